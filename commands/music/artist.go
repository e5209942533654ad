package music

import (
	"context"
	"strings"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/music"
	"github.com/google/uuid"
)

// EditArtist replaces an artist's description, image and similar
// artists (each another artist of the site, none twice, at most
// music.MaxSimilar). Staff only.
func (m *Commands) EditArtist(ctx context.Context, a commands.Actor, id uuid.UUID, info music.ArtistInfo) error {
	const op = "edit artist"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	if err := info.Check(op); err != nil {
		return err
	}
	art, last, err := m.current(ctx, op, id)
	if err != nil {
		return err
	}
	for _, s := range info.Similar {
		if s == art.ID {
			return domain.FieldE(op, "similar", domain.KindInvalid, "an artist is not similar to itself: name another artist")
		}
		if o, _, err := m.current(ctx, op, s); err != nil || o.ID == art.ID {
			return domain.FieldE(op, "similar", domain.KindInvalid, "a similar artist must be another artist of the site")
		}
	}
	_, err = m.s.Change(ctx, op, a, music.ArtistSubject(art.ID), last, music.ArtistEdited{Artist: art.ID, ArtistInfo: info})
	return err
}

// AddAlias gives an artist another name, claimed like its own: an alias
// another artist has (or is named) is refused, naming that artist. Staff
// only.
func (m *Commands) AddAlias(ctx context.Context, a commands.Actor, id uuid.UUID, alias string) error {
	const op = "add alias"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	alias = strings.TrimSpace(alias)
	if err := music.CheckArtistName(op, "alias", alias); err != nil {
		return err
	}
	art, last, err := m.current(ctx, op, id)
	if err != nil {
		return err
	}
	if other, ok, err := m.named(ctx, op, a, alias); err != nil {
		return err
	} else if ok {
		return domain.FieldE(op, "alias", domain.KindConflict, "%q already leads to the artist %s", alias, other.Name)
	}
	if err := m.s.Claim(ctx, op, a, music.NameSubject(alias), music.ArtistNameClaimed{Name: alias, Artist: art.ID}); commands.IsTaken(err) {
		return domain.FieldE(op, "alias", domain.KindConflict, "%q was just taken by another artist", alias)
	} else if err != nil {
		return err
	}
	_, err = m.s.Change(ctx, op, a, music.ArtistSubject(art.ID), last, music.ArtistAliasAdded{Artist: art.ID, Alias: alias})
	return err
}

// MergeArtists folds artist from into artist into: from's name and
// aliases lead to into from then on, its credits and albums are into's,
// and its page redirects there. Staff only.
func (m *Commands) MergeArtists(ctx context.Context, a commands.Actor, from, into uuid.UUID) error {
	const op = "merge artists"
	if err := staffOnly(op, a); err != nil {
		return err
	}
	src, last, err := m.artist(ctx, op, from)
	if err != nil {
		return err
	}
	dst, _, err := m.artist(ctx, op, into)
	if err != nil {
		return err
	}
	if err := music.CheckMerge(op, src, dst); err != nil {
		return err
	}
	_, err = m.s.Change(ctx, op, a, music.ArtistSubject(from), last, music.ArtistMerged{Artist: from, Into: into})
	return err
}

// ArtistByName is the artist a name or alias leads to, merges followed.
func (m *Commands) ArtistByName(ctx context.Context, name string) (music.Artist, error) {
	const op = "find artist"
	art, ok, err := m.named(ctx, op, commands.Operator, strings.TrimSpace(name))
	if err == nil && !ok {
		err = domain.FieldE(op, "artist", domain.KindNotFound, "no artist named %q", name)
	}
	return art, err
}
