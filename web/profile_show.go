package web

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/projections"
	"github.com/go-chi/chi/v5"
)

// changesPerPage is how many rows of "why did my ratio change" a page shows.
const changesPerPage = 50

// profileView is what templates/profile.html shows. The owner's secrets
// (Keys) are read only for the owner and staff: for anyone else they are
// not in the page's data at all.
type profileView struct {
	User     projections.UserRow
	Standing projections.Standing
	Own      bool // the viewer is this user
	Keys     *profileKeys
	Notice   string

	Chart   ratioChart
	Changes []ratioChange
	Page    int
	More    bool

	Lists []torrentList // seeding, leeching, snatched
}

// NewerPage and OlderPage are the neighbouring pages of the changes.
func (p profileView) NewerPage() int { return p.Page - 1 }
func (p profileView) OlderPage() int { return p.Page + 1 }

// torrentList is one of the profile's torrent lists.
type torrentList struct {
	ID, Title, Empty string
	Rows             []profileTorrent // the first profileListMax
	Total            int
}

// profileListMax is how many rows of each list the profile shows: a
// heavy user's thousands of snatches would make a page nobody reads.
const profileListMax = 100

// ratioChange is one row of "why did my ratio change".
type ratioChange struct{ projections.RatioChange }

// Factors is what the credit made of the claim, up and down: "×2" for
// double upload, "×0" for freeleech, "–" where nothing was claimed.
func (c ratioChange) Factors() string {
	f := func(credited, claimed uint64) string {
		if claimed == 0 {
			return "–"
		}
		return "×" + strconv.FormatFloat(math.Round(float64(credited)/float64(claimed)*100)/100, 'f', -1, 64)
	}
	return "up " + f(c.Uploaded, c.RawUploaded) + ", down " + f(c.Downloaded, c.RawDownloaded)
}

// profileKeys are the owner's passkey, RSS key and API tokens, with what a
// token form just did: the token created (shown this once) or the error.
type profileKeys struct {
	Passkey    string
	RSSKey     domain.RSSKey
	Tokens     []projections.TokenRow
	Created    *commands.CreatedToken
	Label      string // the label a refused form sent
	LabelError string
	// InvitesLeft is how many invites the user may still send (staff:
	// any number); InvitedBy who invited them, if anyone did.
	InvitesLeft int
	InvitedBy   *projections.InviteUser
}

// LiveTokens counts the tokens not revoked.
func (k profileKeys) LiveTokens() int {
	n := 0
	for _, t := range k.Tokens {
		if t.RevokedAt == nil {
			n++
		}
	}
	return n
}

// figures is the standing as the user box reads it, for its ratio text and colour.
func (p profileView) figures() Viewer {
	s := p.Standing
	return Viewer{Uploaded: s.Uploaded, Downloaded: s.Downloaded, Ratio: s.Ratio, Required: s.Required}
}

func (p profileView) RatioText() string  { return p.figures().RatioText() }
func (p profileView) RatioClass() string { return p.figures().RatioClass() }

// BufferText is the buffer in bytes, signed: what may still be downloaded
// before the ratio falls below the requirement, or how far below it is.
func (p profileView) BufferText() string {
	if b := p.Standing.Buffer; b < 0 {
		return "−" + formatBytes(uint64(-b))
	}
	return formatBytes(uint64(p.Standing.Buffer))
}

// SharePercent is the share of snatched torrents seeded, in percent.
func (p profileView) SharePercent() string {
	return strconv.FormatFloat(p.Standing.ShareSeeded*100, 'f', 0, 64) + "%"
}

// profileTorrent is one row of the seeding, leeching and snatched lists.
type profileTorrent struct{ projections.ProfileTorrent }

// SeedTime is the time seeded, as "3d 4h", "2h 5m" or "12m".
func (t profileTorrent) SeedTime() string {
	return formatSeedTime(time.Duration(t.SeedMs) * time.Millisecond)
}

// Done is how much of the torrent the user has, in percent.
func (t profileTorrent) Done() string {
	if t.Left == nil || t.Size == 0 {
		return "?"
	}
	have := float64(t.Size-min(*t.Left, t.Size)) / float64(t.Size)
	return strconv.FormatFloat(have*100, 'f', 1, 64) + "%"
}

// torrentLists sorts a user's torrents into the seeding, leeching and
// snatched lists (a snatch being seeded is in two): the first two in the
// order given (the last announce's, newest first), the snatches newest
// first; each keeps its first profileListMax rows and counts them all.
func torrentLists(name string, ts []projections.ProfileTorrent) []torrentList {
	ls := []torrentList{
		{ID: "seeding", Title: "Seeding", Empty: name + " is not seeding anything right now."},
		{ID: "leeching", Title: "Leeching", Empty: name + " is not downloading anything right now."},
		{ID: "snatched", Title: "Snatched", Empty: name + " has not completed a torrent yet."},
	}
	for _, t := range ts {
		switch {
		case t.Seeding():
			ls[0].Rows = append(ls[0].Rows, profileTorrent{t})
		case t.Leeching():
			ls[1].Rows = append(ls[1].Rows, profileTorrent{t})
		}
		if t.SnatchedAt != nil {
			ls[2].Rows = append(ls[2].Rows, profileTorrent{t})
		}
	}
	slices.SortStableFunc(ls[2].Rows, func(a, b profileTorrent) int { return b.SnatchedAt.Compare(*a.SnatchedAt) })
	for i := range ls {
		ls[i].Total = len(ls[i].Rows)
		ls[i].Rows = ls[i].Rows[:min(len(ls[i].Rows), profileListMax)]
	}
	return ls
}

func formatSeedTime(d time.Duration) string {
	d = d.Truncate(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return strconv.Itoa(days) + "d " + strconv.Itoa(hours) + "h"
	case hours > 0:
		return strconv.Itoa(hours) + "h " + strconv.Itoa(mins) + "m"
	}
	return strconv.Itoa(mins) + "m"
}

// profileShow is a user's profile, to anyone signed in: their figures,
// ratio history, why it changed and their torrents; to the owner and staff
// also their passkey, RSS key and API tokens.
func (s *site) profileShow(w http.ResponseWriter, r *http.Request) {
	v := s.signedIn(w, r)
	if v == nil {
		return
	}
	var notice string
	switch r.URL.Query().Get("done") {
	case "passkey":
		notice = "The passkey was rotated: the old one is refused now. Download your .torrent files again (or change the passkey in your client's tracker URLs)."
	case "rsskey":
		notice = "The RSS key was rotated: feeds with the old one are refused now."
	}
	s.renderProfile(w, r, v, http.StatusOK, func(k *profileKeys) {}, notice)
}

// renderProfile reads and renders the profile of the user the route
// names for v; keys, for the owner and staff, may add what a form did.
func (s *site) renderProfile(w http.ResponseWriter, r *http.Request, v *Viewer, status int, keys func(*profileKeys), notice string) {
	ctx := r.Context()
	u, err := projections.ShowUser(ctx, s.Pool, s.Secret, chi.URLParam(r, "name"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	passkey := u.Passkey
	u.Passkey = "" // only Keys carries it, and only to whom it may see it
	pv := profileView{User: u, Own: u.ID == v.ID, Notice: notice}
	if pv.Standing, err = projections.UserStanding(ctx, s.Pool, nil, u.ID); err != nil {
		s.failErr(w, r, err)
		return
	}
	if pv.Standing.Forgotten {
		s.notFound(w, r)
		return
	}
	if pv.Own || v.Staff {
		k := &profileKeys{Passkey: passkey}
		acc, err := projections.Account(ctx, s.Pool, s.Secret, u.ID)
		if err != nil && domain.KindOf(err) != domain.KindNotFound {
			s.failErr(w, r, err)
			return
		}
		k.RSSKey, k.InvitesLeft, k.InvitedBy = acc.RSSKey, acc.InvitesLeft, acc.InvitedBy
		if k.Tokens, err = projections.Tokens(ctx, s.Pool, u.ID); err != nil {
			s.failErr(w, r, err)
			return
		}
		keys(k)
		pv.Keys = k
	}
	hist, err := projections.RatioHistory(ctx, s.Pool, u.ID)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	pv.Chart = newRatioChart(hist)
	pv.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	pv.Page = min(max(pv.Page, 1), 1_000_000) // a page number past any history shows the empty state, not an overflowed offset
	changes, err := projections.RatioChanges(ctx, s.Pool, u.ID, changesPerPage+1, (pv.Page-1)*changesPerPage)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, c := range changes {
		pv.Changes = append(pv.Changes, ratioChange{c})
	}
	if len(pv.Changes) > changesPerPage {
		pv.Changes, pv.More = pv.Changes[:changesPerPage], true
	}
	ts, err := projections.ProfileTorrents(ctx, s.Pool, u.ID)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	pv.Lists = torrentLists(u.Name, ts)
	p := s.page(r, u.Name, "")
	p.Data = pv
	s.render(w, r, status, "profile", p)
}
