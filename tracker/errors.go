package tracker

import (
	"strconv"
	"strings"

	"github.com/djembe/djembe/domain"
)

// ClientError is a refusal the client is told about: Text is sent as the
// bencoded `failure reason` (with HTTP 200) and says what to do; Code is a
// stable name of the kind of refusal, for metrics and logs (it never holds
// a passkey or anything else the client sent). A request that ends in a
// ClientError changes nothing.
type ClientError struct {
	Code string
	Text string
}

func (e *ClientError) Error() string { return e.Text }

func clientError(code, text string) *ClientError { return &ClientError{Code: code, Text: text} }

// Refusals with a fixed text. Those that send the user to a page of the
// site are made by the tracker's siteRefusals; parameter errors by
// missingParam and malformedParam so that each names its parameter.
var (
	ErrDeleted       = clientError("deleted", "torrent deleted from this tracker: remove it from your client")
	ErrFullScrape    = clientError("full_scrape", "full scrape is not allowed: give one or more info_hash parameters")
	ErrTooManyHashes = clientError("too_many_hashes", "too many info_hash parameters in one scrape: ask for at most "+strconv.Itoa(maxScrapeHashes))
	ErrTooLong       = clientError("too_long", "request too long: a scrape may ask for at most "+strconv.Itoa(maxScrapeHashes)+" info hashes, and an announce URL has no room for more")
	ErrBusy          = clientError("busy", "the tracker cannot record announces right now: your client will retry later")
	ErrNotFound      = clientError("not_found", "unknown tracker URL: use the announce URL from your .torrent file")
)

// Site pages the refusals send people to, under Config.SiteURL. The web
// serves them.
const (
	pageTorrents = "/torrents" // browse; /torrents/HASH is a torrent's page with its download link
	pageProfile  = "/profile"  // the user's own profile: ratio, leeching, passkey
	pageClients  = "/clients"  // the clients the tracker allows
	pageStaff    = "/staff/contact"
)

// siteRefusals make the refusals that name a page of the site.
type siteRefusals struct {
	site string // the site's base URL, without a trailing slash
}

func newSiteRefusals(siteURL string) siteRefusals {
	return siteRefusals{site: strings.TrimRight(siteURL, "/")}
}

// torrentPage is the page to download h's .torrent from: the torrent's own
// page when the request named it, else the browse page.
func (s siteRefusals) torrentPage(h *domain.InfoHash) string {
	if h == nil {
		return s.site + pageTorrents
	}
	return s.site + pageTorrents + "/" + h.String()
}

func (s siteRefusals) noPasskey(h *domain.InfoHash) *ClientError {
	return clientError("no_passkey", "no passkey in the announce URL: download the .torrent again from "+s.torrentPage(h)+" to get your personal announce URL")
}

func (s siteRefusals) unknownPasskey(h *domain.InfoHash) *ClientError {
	return clientError("unknown_passkey", "unknown passkey: download the .torrent again from "+s.torrentPage(h)+" to get your current announce URL")
}

func (s siteRefusals) userDisabled() *ClientError {
	return clientError("user_disabled", "your account is disabled: contact the staff at "+s.site+pageStaff)
}

func (s siteRefusals) unregistered() *ClientError {
	return clientError("unregistered", "torrent not registered with this tracker: download it from "+s.site+pageTorrents)
}

func (s siteRefusals) leechDisabled() *ClientError {
	return clientError("leech_disabled", "your account may not download at the moment (you may still seed): see your ratio on "+s.site+pageProfile)
}

// clientNotAllowed names the client that is refused.
func (s siteRefusals) clientNotAllowed(peerID []byte) *ClientError {
	return clientError("client_not_allowed", "client "+strconv.Quote(domain.ClientName(peerID))+
		" is not allowed on this tracker: use one of the clients listed on "+s.site+pageClients)
}

// missingParam is the refusal of a request without a required parameter.
func missingParam(name string) *ClientError {
	return clientError("missing_param", "missing parameter "+name+": your client sent an incomplete request; update or change the client")
}

// malformedParam is the refusal of a parameter that does not parse; want
// says what was expected.
func malformedParam(name, want string) *ClientError {
	return clientError("malformed_param", "malformed parameter "+name+": "+want)
}

// tooOften refuses a peer that re-announced more than the burst allows;
// waitSeconds is how long until its next announce is welcome.
func tooOften(waitSeconds int64) *ClientError {
	return clientError("too_often", "announcing too often: wait "+strconv.FormatInt(waitSeconds, 10)+
		" seconds before announcing again (check your client's re-announce settings)")
}

// tooManyPeers refuses a new peer of a user who already has max on the torrent.
func tooManyPeers(max int) *ClientError {
	return clientError("too_many_peers", "too many peers: your account already has "+strconv.Itoa(max)+
		" clients on this torrent, the most allowed; stop one of them, or wait for its peer to time out")
}

// tooManyNewPeers refuses a new peer beyond the account's rate of new
// peers; waitSeconds is when the next one is welcome.
func tooManyNewPeers(waitSeconds int64) *ClientError {
	return clientError("too_many_new_peers", "too many new peers from your account: wait "+strconv.FormatInt(waitSeconds, 10)+
		" seconds before starting more torrents")
}

// refusalCode is the stable name of the kind of refusal err is.
func refusalCode(err error) string {
	if ce, ok := err.(*ClientError); ok {
		return ce.Code
	}
	switch k := domain.KindOf(err); {
	case k.Refused():
		return k.String()
	case k == domain.KindUnavailable:
		return ErrBusy.Code
	}
	return "internal"
}
