package commands

import (
	"context"
	"errors"

	"github.com/djembe/djembe/domain"
)

// AddTorrent is the input of Commands.AddTorrent.
type AddTorrent struct {
	File     []byte // the .torrent as uploaded
	Uploader string // the uploader's name; a user who is not staff may name only themselves
	Category string // the plugin that owns it, if one does
}

// TorrentAdded is what adding a torrent gives back.
type TorrentAdded struct {
	Torrent     domain.TorrentRegistered
	MadePrivate bool // the private flag was set, so the info hash differs from the upload's
}

// AddTorrent validates a .torrent (Limits.ParseTorrent, with c's limits),
// makes it private and registers it. An info hash registers once.
func (c *Commands) AddTorrent(ctx context.Context, a Actor, in AddTorrent) (TorrentAdded, error) {
	const op = "add torrent"
	parsed, err := c.limits.ParseTorrent(in.File)
	if err != nil {
		return TorrentAdded{}, err
	}
	u, _, err := c.user(ctx, op, in.Uploader)
	if err != nil {
		return TorrentAdded{}, err
	}
	if !a.mayChange(u.ID) {
		return TorrentAdded{}, domain.FieldE(op, "user", domain.KindForbidden, "you may upload only as yourself")
	}
	reg := parsed.Registered
	reg.Uploader, reg.Category = u.ID, in.Category
	if err := eventFits(reg); err != nil {
		return TorrentAdded{}, err
	}
	if err := c.claim(ctx, op, a, domain.TorrentSubject(reg.InfoHash), reg); errors.Is(err, errTaken) {
		return TorrentAdded{}, domain.FieldE(op, "file", domain.KindConflict, "torrent %s (%s) is already registered", reg.InfoHash, reg.Name)
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
	body, err := personalTorrent(t.TorrentRegistered, publicURL, u.Passkey)
	if err != nil {
		return nil, domain.Wrap(op, err)
	}
	return body, nil
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
