package music

import (
	"context"
	"slices"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/google/uuid"
)

// EditAlbum replaces what describes an album, its credits given by name
// (artists not on the site yet are created). Staff only.
func (m *Commands) EditAlbum(ctx context.Context, a commands.Actor, id uuid.UUID, artists []ArtistCredit, info music.AlbumInfo) error {
	const op = "edit album"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	info.Credits = nil
	for _, c := range artists {
		if err := music.CheckArtistName(op, "artists", strings.TrimSpace(c.Name)); err != nil {
			return err
		}
		info.Credits = append(info.Credits, music.Credit{Artist: uuid.NewSHA1(uuid.Nil, []byte(music.NameKey(c.Name))), Role: c.Role})
	}
	if err := info.Check(op); err != nil {
		return err
	}
	al, last, err := m.album(ctx, op, id)
	if err != nil {
		return err
	}
	info.Credits = nil
	for _, c := range artists {
		art, err := m.artistFor(ctx, op, a, strings.TrimSpace(c.Name))
		if err != nil {
			return err
		}
		if cr := (music.Credit{Artist: art.ID, Role: c.Role}); !hasCredit(info.Credits, cr) {
			info.Credits = append(info.Credits, cr)
		}
	}
	_, err = m.s.Change(ctx, op, a, music.AlbumSubject(al.ID), last, music.AlbumEdited{Album: al.ID, AlbumInfo: info})
	return err
}

// EditRelease replaces what describes an edition. An edition whose
// formats carry a log or cue stays a CD. Every problem is returned, each
// with its field. Staff only.
func (m *Commands) EditRelease(ctx context.Context, a commands.Actor, album, release uuid.UUID, info music.ReleaseInfo) error {
	const op = "edit edition"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	al, last, err := m.album(ctx, op, album)
	if err != nil {
		return err
	}
	if _, ok := al.Release(release); !ok {
		return domain.FieldE(op, "release", domain.KindNotFound, "the album has no such edition")
	}
	if err := joinErrs(info.Check(op), fitsFormats(op, al, release, info.Media)); err != nil {
		return err
	}
	_, err = m.s.Change(ctx, op, a, music.AlbumSubject(album), last, music.ReleaseEdited{Album: album, Release: release, ReleaseInfo: info})
	return err
}

// EditFormat replaces what describes a format; its edition must not have
// that format already in another torrent. Staff only.
func (m *Commands) EditFormat(ctx context.Context, a commands.Actor, album uuid.UUID, h domain.InfoHash, info music.FormatInfo) error {
	const op = "edit format"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	al, last, err := m.album(ctx, op, album)
	if err != nil {
		return err
	}
	f, ok := al.Format(h)
	if !ok {
		return domain.FieldE(op, "info_hash", domain.KindNotFound, "the album has no format with torrent %s", h)
	}
	others := al
	others.Formats = nil
	for _, o := range al.Formats {
		if o.InfoHash != h {
			others.Formats = append(others.Formats, o)
		}
	}
	if err := others.CheckNewFormat(op, f.Release, h, info); err != nil {
		return err
	}
	_, err = m.s.Change(ctx, op, a, music.AlbumSubject(album), last, music.FormatEdited{Album: album, InfoHash: h, FormatInfo: info})
	return err
}

// fitsFormats refuses media for edition release of al when one of its
// formats does not fit it (a log or cue needs a CD), else nil; the
// refusal is the field "media"'s. An unknown medium is left to
// ReleaseInfo.Check.
func fitsFormats(op string, al music.Album, release uuid.UUID, media string) error {
	if !slices.Contains(music.Media, media) {
		return nil
	}
	for _, f := range al.Formats {
		if f.Release != release {
			continue
		}
		if err := f.Check(op, media); err != nil {
			return domain.FieldE(op, "media", domain.KindInvalid, "a format of this edition does not fit %s: %s", media, domain.Message(err))
		}
	}
	return nil
}
