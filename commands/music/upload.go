package music

import (
	"context"
	"fmt"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/google/uuid"
)

// ArtistCredit is an artist named on an upload's new album, by name: an
// artist of that name (or alias) is found, else created.
type ArtistCredit struct {
	Name string
	Role music.Role
}

// Upload is a music upload: the .torrent with where its format goes.
//
// The format goes into an existing edition (Album and Release), a new
// edition of an existing album (Album, and ReleaseInfo; an edition the
// album already has by that description is used), or a new album with its
// first edition (Artists, AlbumInfo and ReleaseInfo).
type Upload struct {
	File        []byte
	Uploader    string
	Source      string // the site's source tag (see commands.AddTorrent)
	Description string // notes on this torrent, shown on its page

	Album       uuid.UUID // uuid.Nil: a new album
	Artists     []ArtistCredit
	AlbumInfo   music.AlbumInfo // for a new album; its Credits come from Artists
	Release     uuid.UUID       // uuid.Nil: ReleaseInfo describes the edition
	ReleaseInfo music.ReleaseInfo
	Format      music.FormatInfo
}

// Uploaded is where an upload's format went.
type Uploaded struct {
	InfoHash domain.InfoHash
	Album    uuid.UUID
	Release  uuid.UUID
	Title    string // the torrent's title, as browse lists it
}

// Upload registers the .torrent (commands.AddTorrent, category Music) and
// makes it a format of its edition, creating the artists, album and
// edition it names that do not exist. Everything the uploader wrote is
// checked before anything is appended, each problem on its field; a
// format the edition has already is refused (KindConflict on "format",
// a *music.DuplicateError naming the torrent that has it). Should the
// edition gain that format between the check and the append (a race with
// another upload), the torrent just registered is deleted again and the
// upload refused the same way.
func (m *Commands) Upload(ctx context.Context, a commands.Actor, in Upload) (Uploaded, error) {
	const op = "upload music"
	p, err := m.plan(ctx, op, in)
	if err != nil {
		return Uploaded{}, err
	}
	added, err := m.s.Core().AddTorrent(ctx, a, commands.AddTorrent{File: in.File, Uploader: in.Uploader, Category: Category,
		Title: p.title, Description: in.Description, Source: in.Source})
	if err != nil {
		return Uploaded{InfoHash: added.Torrent.InfoHash}, err
	}
	h := added.Torrent.InfoHash
	out, err := m.place(ctx, op, a, in, p, h)
	if err != nil {
		if _, derr := m.s.Core().DeleteTorrent(ctx, commands.Operator, h, "its music upload failed: "+domain.Message(err)); derr != nil {
			return Uploaded{InfoHash: h}, fmt.Errorf("%w (and the torrent registered for it could not be deleted: %v)", err, derr)
		}
		return Uploaded{InfoHash: h}, err
	}
	return out, nil
}

// Check is Upload's checks alone: every problem of in, each on its
// field, and nothing appended. A form that could not read some of its
// fields shows the other problems too with it.
func (m *Commands) Check(ctx context.Context, in Upload) error {
	_, err := m.plan(ctx, "upload music", in)
	return err
}

// plan is an upload checked, before anything is appended: the album it
// goes into (if it exists), the edition's medium and the torrent's title.
type plan struct {
	album   music.Album // zero for a new album
	release uuid.UUID   // uuid.Nil: a new edition, or one found by description at placing
	media   string
	title   string
}

// plan checks everything an upload says, returning every problem with its
// field, and refuses a duplicate format in an existing edition.
func (m *Commands) plan(ctx context.Context, op string, in Upload) (plan, error) {
	var p plan
	var errs []error
	if len(in.File) == 0 {
		errs = append(errs, domain.FieldE(op, "file", domain.KindInvalid, "choose the .torrent file your BitTorrent client made"))
	}
	artists := ""
	if in.Album == uuid.Nil {
		info := in.AlbumInfo
		info.Credits = nil
		names := []string{}
		for _, c := range in.Artists {
			if err := music.CheckArtistName(op, "artists", strings.TrimSpace(c.Name)); err != nil {
				errs = append(errs, err)
				continue
			}
			info.Credits = append(info.Credits, music.Credit{Artist: uuid.NewSHA1(uuid.Nil, []byte(music.NameKey(c.Name))), Role: c.Role})
			if c.Role == music.RoleMain {
				names = append(names, strings.TrimSpace(c.Name))
			}
		}
		errs = append(errs, info.Check(op))
		artists = joinNames(names)
		al, err := m.sameAlbum(ctx, op, in)
		if err != nil {
			return p, err
		}
		p.album = al // zero unless the album is here already
	} else {
		al, _, err := m.album(ctx, op, in.Album)
		if err != nil {
			return p, err
		}
		p.album = al
		artists = joinNames(m.mainArtists(ctx, op, al))
	}
	switch {
	case in.Release != uuid.Nil && p.album.Exists():
		r, ok := p.album.Release(in.Release)
		if !ok {
			errs = append(errs, domain.FieldE(op, "release", domain.KindNotFound, "the album has no such edition"))
			break
		}
		p.release, p.media = r.ID, r.Media
	case in.Release != uuid.Nil && in.Album == uuid.Nil:
		errs = append(errs, domain.FieldE(op, "release", domain.KindInvalid, "a new album has no editions yet: describe the edition"))
	default:
		err := in.ReleaseInfo.Check(op)
		errs = append(errs, err)
		if err == nil {
			p.media = in.ReleaseInfo.Media
		}
		if r, ok := p.album.SameRelease(in.ReleaseInfo); ok {
			p.release = r.ID
		}
	}
	errs = append(errs, in.Format.Check(op, p.media))
	if err := joinErrs(errs...); err != nil {
		return p, err
	}
	if p.release != uuid.Nil {
		if err := p.album.CheckNewFormat(op, p.release, domain.InfoHash{}, in.Format); err != nil {
			return p, err
		}
	}
	info := in.AlbumInfo
	if p.album.Exists() {
		info = p.album.Info
	}
	p.title = Title(artists, info, in.ReleaseInfo, p.media, in.Format)
	return p, nil
}

// place appends what an upload creates: its new artists, album and
// edition, then the format itself, on the album's sequence. A format the
// edition gained meanwhile is refused as a duplicate.
func (m *Commands) place(ctx context.Context, op string, a commands.Actor, in Upload, p plan, h domain.InfoHash) (Uploaded, error) {
	albumID := in.Album
	if albumID == uuid.Nil && p.album.Exists() {
		albumID = p.album.ID // the same album, uploaded before
	}
	if albumID == uuid.Nil {
		info := in.AlbumInfo
		info.Credits = nil
		for _, c := range in.Artists {
			art, err := m.artistFor(ctx, op, a, strings.TrimSpace(c.Name))
			if err != nil {
				return Uploaded{}, err
			}
			if cr := (music.Credit{Artist: art.ID, Role: c.Role}); !hasCredit(info.Credits, cr) {
				info.Credits = append(info.Credits, cr)
			}
		}
		var err error
		if albumID, err = m.createAlbum(ctx, op, a, info); err != nil {
			return Uploaded{}, err
		}
	}
	for range 3 {
		al, last, err := m.album(ctx, op, albumID)
		if err != nil {
			return Uploaded{}, err
		}
		release := in.Release
		if release == uuid.Nil {
			if r, ok := al.SameRelease(in.ReleaseInfo); ok {
				release = r.ID
			} else {
				release = uuid.New()
				if last, err = m.s.Change(ctx, op, a, music.AlbumSubject(albumID), last,
					music.ReleaseAdded{Album: albumID, Release: release, ReleaseInfo: in.ReleaseInfo}); domain.KindOf(err) == domain.KindConflict {
					continue
				} else if err != nil {
					return Uploaded{}, err
				}
				al.Apply(music.ReleaseAdded{Album: albumID, Release: release, ReleaseInfo: in.ReleaseInfo})
			}
		}
		if err := al.CheckNewFormat(op, release, h, in.Format); err != nil {
			return Uploaded{}, err
		}
		_, err = m.s.Change(ctx, op, a, music.AlbumSubject(albumID), last,
			music.FormatAdded{Album: albumID, Release: release, InfoHash: h, FormatInfo: in.Format})
		if domain.KindOf(err) == domain.KindConflict {
			continue
		}
		if err != nil {
			return Uploaded{}, err
		}
		return Uploaded{InfoHash: h, Album: albumID, Release: release, Title: p.title}, nil
	}
	return Uploaded{}, domain.E(op, domain.KindConflict, "the album changed while this upload was being placed: try again")
}

// mainKey is the AlbumKey of an album with info's title and year and its
// main artists (credits in role main).
func mainKey(info music.AlbumInfo) string {
	var ids []uuid.UUID
	for _, c := range info.Credits {
		if c.Role == music.RoleMain {
			ids = append(ids, c.Artist)
		}
	}
	return music.AlbumKey(ids, info.Title, info.Year)
}

// sameAlbum is the album already here that a new album's upload
// describes (its main artists, title and year: music.AlbumKey), or the
// zero Album. Nothing is created: an artist not here yet means a new album.
func (m *Commands) sameAlbum(ctx context.Context, op string, in Upload) (music.Album, error) {
	info := in.AlbumInfo
	info.Credits = nil
	for _, c := range in.Artists {
		if c.Role != music.RoleMain {
			continue
		}
		art, ok, err := m.named(ctx, op, commands.Operator, strings.TrimSpace(c.Name))
		if err != nil || !ok {
			return music.Album{}, err
		}
		info.Credits = append(info.Credits, music.Credit{Artist: art.ID, Role: music.RoleMain})
	}
	if len(info.Credits) == 0 {
		return music.Album{}, nil
	}
	evs, _, err := m.s.Read(ctx, op, music.AlbumKeySubject(mainKey(info)))
	if err != nil || len(evs) == 0 {
		return music.Album{}, err
	}
	claim, ok := evs[0].(music.AlbumKeyClaimed)
	if !ok {
		return music.Album{}, domain.E(op, domain.KindInternal, "an album key's claim begins with a %s", evs[0].EventType())
	}
	al, _, err := m.album(ctx, op, claim.Album)
	if domain.KindOf(err) == domain.KindNotFound {
		return music.Album{}, nil // claimed, never created: this upload creates it
	}
	return al, err
}

// createAlbum claims info's key for a new album and creates it; when the
// key is taken (the same album, uploaded meanwhile or left uncreated by a
// writer that stopped), that album is the one, created here if need be.
func (m *Commands) createAlbum(ctx context.Context, op string, a commands.Actor, info music.AlbumInfo) (uuid.UUID, error) {
	key := mainKey(info)
	id := uuid.New()
	err := m.s.Claim(ctx, op, a, music.AlbumKeySubject(key), music.AlbumKeyClaimed{Key: key, Album: id})
	if commands.IsTaken(err) {
		evs, _, rerr := m.s.Read(ctx, op, music.AlbumKeySubject(key))
		if rerr != nil {
			return uuid.Nil, rerr
		}
		claim, ok := evs[0].(music.AlbumKeyClaimed)
		if !ok {
			return uuid.Nil, domain.E(op, domain.KindInternal, "an album key's claim begins with a %s", evs[0].EventType())
		}
		id, err = claim.Album, nil
	}
	if err != nil {
		return uuid.Nil, err
	}
	if err := m.s.Claim(ctx, op, a, music.AlbumSubject(id), music.AlbumCreated{Album: id, AlbumInfo: info}); err != nil && !commands.IsTaken(err) {
		return uuid.Nil, err
	}
	return id, nil
}

// mainArtists are the names of an album's main artists, as they are now
// (merges followed); an artist that cannot be read is left out.
func (m *Commands) mainArtists(ctx context.Context, op string, al music.Album) []string {
	var names []string
	for _, c := range al.Info.Credits {
		if c.Role != music.RoleMain {
			continue
		}
		if art, _, err := m.current(ctx, op, c.Artist); err == nil {
			names = append(names, art.Name)
		}
	}
	return names
}

func hasCredit(cs []music.Credit, c music.Credit) bool {
	for _, have := range cs {
		if have == c {
			return true
		}
	}
	return false
}

// joinNames joins artists' names as what.cd's titles do: "A", "A & B",
// "A, B & C"; more than three are "Various Artists".
func joinNames(names []string) string {
	switch n := len(names); {
	case n == 0:
		return ""
	case n == 1:
		return names[0]
	case n <= 3:
		return strings.Join(names[:n-1], ", ") + " & " + names[n-1]
	}
	return "Various Artists"
}

// Title is a music torrent's title as generic pages list it: "Artist –
// Album (Year) [Media / Format / Encoding]", the artists left out when
// none is known.
func Title(artists string, album music.AlbumInfo, release music.ReleaseInfo, media string, f music.FormatInfo) string {
	var b strings.Builder
	if artists != "" {
		b.WriteString(artists + " – ")
	}
	fmt.Fprintf(&b, "%s (%d) [%s / %s / %s]", album.Title, album.Year, media, f.Format, f.Encoding)
	return b.String()
}
