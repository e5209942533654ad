package tracker

import (
	"strconv"

	"github.com/djembe/djembe/domain"
)

// ClientError is a refusal the client is told about: its text is sent as the
// bencoded `failure reason` (with HTTP 200) and says what to do. A request
// that ends in a ClientError changes nothing.
type ClientError string

func (e ClientError) Error() string { return string(e) }

// Refusals with a fixed text. Parameter errors are built by missingParam and
// malformedParam so that each names its parameter.
const (
	ErrUnknownPasskey = ClientError("unknown passkey: download the .torrent again from the site to get your current announce URL")
	ErrNoPasskey      = ClientError("no passkey in the announce URL: download the .torrent again from the site to get your personal announce URL")
	ErrUserDisabled   = ClientError("your account is disabled: contact the staff of the site")
	ErrUnregistered   = ClientError("torrent not registered with this tracker: download it from the site")
	ErrDeleted        = ClientError("torrent deleted from this tracker: remove it from your client")
	ErrLeechDisabled  = ClientError("your account may not download at the moment (you may still seed): check your ratio on the site")
	ErrFullScrape     = ClientError("full scrape is not allowed: give one or more info_hash parameters")
	ErrTooManyHashes  = ClientError("too many info_hash parameters in one scrape: ask for at most " + maxScrapeHashesText)
	ErrBusy           = ClientError("the tracker cannot record announces right now: your client will retry later")
	ErrNotFound       = ClientError("unknown tracker URL: use the announce URL from your .torrent file")
)

const maxScrapeHashesText = "64"

// missingParam is the refusal of a request without a required parameter.
func missingParam(name string) ClientError {
	return ClientError("missing parameter " + name + ": your client sent an incomplete request; update or change the client")
}

// malformedParam is the refusal of a parameter that does not parse; want
// says what was expected.
func malformedParam(name, want string) ClientError {
	return ClientError("malformed parameter " + name + ": " + want)
}

// clientNotAllowed names the client that is refused.
func clientNotAllowed(peerID []byte) ClientError {
	return ClientError("client " + strconv.Quote(domain.ClientName(peerID)) +
		" is not allowed on this tracker: use one of the clients listed on the site")
}

// tooOften refuses a peer that re-announced more than the burst allows;
// waitSeconds is how long until its next announce is welcome.
func tooOften(waitSeconds int64) ClientError {
	return ClientError("announcing too often: wait " + strconv.FormatInt(waitSeconds, 10) +
		" seconds before announcing again (check your client's re-announce settings)")
}
