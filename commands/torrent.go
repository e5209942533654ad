package commands

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/djembe/djembe/domain"
)

// AddTorrent is the input of Commands.AddTorrent.
type AddTorrent struct {
	File     []byte // the .torrent as uploaded
	Uploader string // the uploader's name; a user who is not staff may name only themselves
	Category string // one of Categories, or the plugin that owns it; may be empty
	// Title is the name the site shows (empty: the .torrent's name), and
	// Description the uploader's plain text; both optional.
	Title       string
	Description string
	// Source, when set, is written into the info dictionary as "source"
	// (with private=1), so the info hash differs from every public copy of
	// the same files. The site sets it; the CLI registers the .torrent
	// with private=1 alone, as before.
	Source string
	// Neutral registers the torrent with neutral factors (0/0) in its
	// TorrentRegistered, so no announce of it ever counts in the site's
	// ratio, from the first. A plugin whose torrents keep an economy of
	// their own (Backup) sets it; no door sets it from what a user sends.
	Neutral bool
}

// Categories are the site's generic categories, in the order the upload
// form lists them. Plugins own theirs, by their name.
var Categories = []string{"Music", "Movies", "TV", "Games", "Software", "Books", "Other"}

// Limits of what an uploader writes.
const (
	MaxTitleRunes       = 200
	MaxDescriptionRunes = 20000
	MaxSourceBytes      = 64
)

// CheckCategory refuses a category that is not one of Categories, on the
// field "category". The site's upload form checks it; AddTorrent itself
// also takes a plugin's name, which owns the torrent.
func CheckCategory(category string) error {
	if !slices.Contains(Categories, category) {
		return domain.FieldE("add torrent", "category", domain.KindInvalid, "choose one of the categories listed (%s)", strings.Join(Categories, ", "))
	}
	return nil
}

// checkUpload refuses a title or description the site would not show,
// each on its own field.
func checkUpload(in AddTorrent) error {
	const op = "add torrent"
	if n := utf8.RuneCountInString(in.Title); n > MaxTitleRunes {
		return domain.FieldE(op, "title", domain.KindInvalid, "the name is %d characters long; keep it to %d", n, MaxTitleRunes)
	}
	if !utf8.ValidString(in.Title) || strings.ContainsFunc(in.Title, unicode.IsControl) {
		return domain.FieldE(op, "title", domain.KindInvalid, "the name may not hold control characters or line breaks")
	}
	if n := utf8.RuneCountInString(in.Description); n > MaxDescriptionRunes {
		return domain.FieldE(op, "description", domain.KindInvalid, "the description is %d characters long; keep it to %d", n, MaxDescriptionRunes)
	}
	if !utf8.ValidString(in.Description) {
		return domain.FieldE(op, "description", domain.KindInvalid, "the description is not valid UTF-8 text")
	}
	if in.Source != "" {
		if err := CheckSource(in.Source); err != nil {
			return domain.E(op, domain.KindInvalid, "%v", err)
		}
	}
	return nil
}

// CheckSource refuses a "source" tag that is not 1 to MaxSourceBytes
// printable ASCII characters (space included) with no space at either end:
// what a client shows and a cross-seeding tool compares, so nothing it
// could render differently or trim.
func CheckSource(source string) error {
	switch {
	case source == "":
		return errors.New("the source tag is empty: give 1 to 64 printable ASCII characters, such as djembe")
	case len(source) > MaxSourceBytes:
		return fmt.Errorf("the source tag is %d characters long; keep it to %d", len(source), MaxSourceBytes)
	case source[0] == ' ' || source[len(source)-1] == ' ':
		return fmt.Errorf("the source tag %q begins or ends with a space", source)
	}
	for i := 0; i < len(source); i++ {
		if c := source[i]; c < 0x20 || c > 0x7e {
			return fmt.Errorf("the source tag may hold only printable ASCII characters (found byte 0x%02x at %d)", c, i)
		}
	}
	return nil
}

// TorrentAdded is what adding a torrent gives back.
type TorrentAdded struct {
	Torrent     domain.TorrentRegistered
	MadePrivate bool // the private flag was set, so the info hash differs from the upload's
}

// AddTorrent validates a .torrent (Limits.ParseTorrent, with c's limits),
// makes it private (with in.Source) and registers it. An info hash
// registers once: a duplicate is a KindConflict on "file", returned with
// the registration it would have made (its InfoHash is the one taken).
func (c *Commands) AddTorrent(ctx context.Context, a Actor, in AddTorrent) (TorrentAdded, error) {
	const op = "add torrent"
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n"))
	if err := checkUpload(in); err != nil {
		return TorrentAdded{}, err
	}
	parsed, err := c.limits.ParseTorrent(in.File)
	if err != nil {
		return TorrentAdded{}, err
	}
	if in.Source != "" {
		raw, changed, err := withSource(parsed.Registered.Info, in.Source)
		if err != nil {
			return TorrentAdded{}, err
		}
		parsed.Registered.Info, parsed.Registered.InfoHash = raw, domain.InfoHash(sha1.Sum(raw))
		parsed.Republished = parsed.Republished || changed
	}
	u, _, err := c.user(ctx, op, in.Uploader)
	if err != nil {
		return TorrentAdded{}, err
	}
	if !a.mayChange(u.ID) {
		return TorrentAdded{}, domain.FieldE(op, "user", domain.KindForbidden, "you may upload only as yourself")
	}
	reg := parsed.Registered
	reg.Uploader, reg.Category, reg.Description = u.ID, in.Category, in.Description
	if in.Neutral {
		reg.Factors = domain.Factors{}
	}
	if in.Title != reg.Name {
		reg.Title = in.Title
	}
	if err := eventFits(reg); err != nil {
		return TorrentAdded{}, err
	}
	if err := c.claim(ctx, op, a, domain.TorrentSubject(reg.InfoHash), reg); errors.Is(err, errTaken) {
		// The registration comes back with the conflict, so the caller can
		// link to the torrent already registered.
		return TorrentAdded{Torrent: reg}, domain.FieldE(op, "file", domain.KindConflict, "torrent %s (%s) is already registered", reg.InfoHash, reg.Name)
	} else if err != nil {
		return TorrentAdded{}, err
	}
	return TorrentAdded{Torrent: reg, MadePrivate: parsed.Republished}, nil
}

// maxEventBytes is the most a TorrentRegistered may take as stored: the
// log's message limit (eventlog's stream MaxMsgSize, 8 MiB) less room for
// the headers. The event holds the info dictionary in base64 and every path
// again, so a .torrent above about 6 MiB may not fit.
const maxEventBytes = 8<<20 - 64<<10

// eventFits refuses a registration that the log could not store, which
// would otherwise fail as if the log were down.
func eventFits(reg domain.TorrentRegistered) error {
	_, payload, err := domain.Encode(reg)
	if err != nil {
		return domain.Wrap("add torrent", err)
	}
	if len(payload) > maxEventBytes {
		return refuseFile("the .torrent is too large to register: its info dictionary and file list take %.1f MiB as stored, more than the %.1f MiB the site's log holds in one event; make it again with a larger piece size or fewer files", float64(len(payload))/(1<<20), float64(maxEventBytes)/(1<<20))
	}
	return nil
}

// PersonalTorrent builds the .torrent of h for the user named user: the
// registered info dictionary and an announce URL under publicURL holding
// the user's current passkey. A user may get only their own.
func (c *Commands) PersonalTorrent(ctx context.Context, a Actor, h domain.InfoHash, user, publicURL string) ([]byte, error) {
	return c.personalTorrent(ctx, a, h, user, publicURL, "")
}

func (c *Commands) personalTorrent(ctx context.Context, a Actor, h domain.InfoHash, user, publicURL, pageURL string) ([]byte, error) {
	const op = "get torrent"
	t, _, err := c.liveTorrent(ctx, op, h)
	if err != nil {
		return nil, err
	}
	u, _, err := c.user(ctx, op, user)
	if err != nil {
		return nil, err
	}
	if !a.mayChange(u.ID) {
		return nil, domain.E(op, domain.KindForbidden, "a .torrent holds its user's passkey: you may get only your own")
	}
	body, err := personalTorrent(t.TorrentRegistered, publicURL, u.Passkey, pageURL)
	if err != nil {
		return nil, domain.Wrap(op, err)
	}
	return body, nil
}

// Download is the input of Commands.Download.
type Download struct {
	InfoHash  domain.InfoHash
	User      string // the user whose passkey it holds
	PublicURL string // the tracker's public base URL
	PageURL   string // the torrent's page, the .torrent's comment
}

// Downloaded is a personal .torrent and the file name to save it as.
type Downloaded struct {
	Body     []byte
	FileName string // safe in a Content-Disposition: printable, no path, ends in .torrent
}

// Download builds the personal .torrent of in.User (PersonalTorrent) with
// the torrent's page as its comment, and names it after the torrent.
func (c *Commands) Download(ctx context.Context, a Actor, in Download) (Downloaded, error) {
	t, _, err := c.liveTorrent(ctx, "get torrent", in.InfoHash)
	if err != nil {
		return Downloaded{}, err
	}
	body, err := c.personalTorrent(ctx, a, in.InfoHash, in.User, in.PublicURL, in.PageURL)
	if err != nil {
		return Downloaded{}, err
	}
	return Downloaded{Body: body, FileName: TorrentFileName(t.DisplayName())}, nil
}

// TorrentFileName is name made a safe file name ending in .torrent: path
// separators, control characters, quotes and what Windows refuses become
// "_", runs of them one, and it is cut to 150 bytes at a rune boundary.
func TorrentFileName(name string) string {
	var b strings.Builder
	under := false
	for _, r := range name {
		bad := r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|;%`, r) || !unicode.IsPrint(r) || r == utf8.RuneError
		if bad || (unicode.IsSpace(r) && r != ' ') {
			if !under {
				b.WriteByte('_')
			}
			under = true
			continue
		}
		if b.Len()+utf8.RuneLen(r) > 150 {
			break
		}
		b.WriteRune(r)
		under = false
	}
	s := strings.Trim(b.String(), " ._")
	if s == "" {
		s = "torrent"
	}
	return s + ".torrent"
}

// SetTorrentFactors changes what announces of h credit. Staff only.
func (c *Commands) SetTorrentFactors(ctx context.Context, a Actor, h domain.InfoHash, f domain.Factors) (domain.TorrentFactorsSet, error) {
	ev := domain.TorrentFactorsSet{InfoHash: h, Factors: f}
	return ev, c.changeTorrent(ctx, "set torrent factors", a, h, ev)
}

// DeleteTorrent unregisters h: the tracker refuses its announces and drops
// its peers. Staff only.
func (c *Commands) DeleteTorrent(ctx context.Context, a Actor, h domain.InfoHash, reason string) (domain.TorrentDeleted, error) {
	ev := domain.TorrentDeleted{InfoHash: h, Reason: reason}
	return ev, c.changeTorrent(ctx, "delete torrent", a, h, ev)
}

// changeTorrent appends ev to a live torrent's subject, as staff.
func (c *Commands) changeTorrent(ctx context.Context, op string, a Actor, h domain.InfoHash, ev domain.Event) error {
	if err := a.staffOnly(op); err != nil {
		return err
	}
	_, last, err := c.liveTorrent(ctx, op, h)
	if err != nil {
		return err
	}
	return c.change(ctx, op, a, domain.TorrentSubject(h), last, ev)
}

// SetClientAllowList replaces the peer_id prefixes the tracker allows.
// Staff only.
func (c *Commands) SetClientAllowList(ctx context.Context, a Actor, prefixes []string) (domain.ClientAllowListSet, error) {
	const op = "set client allow-list"
	ev := domain.ClientAllowListSet{Prefixes: prefixes}
	if err := a.staffOnly(op); err != nil {
		return ev, err
	}
	if err := ev.Validate(); err != nil {
		return ev, domain.FieldE(op, "prefixes", domain.KindInvalid, "%v", err)
	}
	return ev, c.set(ctx, op, a, domain.SubjectClients, ev)
}
