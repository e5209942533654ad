// Package moviestest appends a Movies history for the conformance suite
// and the plugin's read-model tests.
package moviestest

import (
	"context"
	"fmt"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/google/uuid"
)

// Catalogue is what History appended, for a test to look for.
type Catalogue struct {
	// People: a director (with an alias), a misspelling of her merged into
	// her, an actor (edited later) and another actor.
	People   []uuid.UUID
	Movies   []uuid.UUID // The Matrix, The Matrix Reloaded, John Wick
	Editions []uuid.UUID // one per movie, then a second edition of Movies[0]
	// Formats: Movies[0] two, Movies[1] two, Movies[2] two, then one of
	// the second edition of Movies[0].
	Formats []domain.InfoHash
	Deleted domain.InfoHash // Formats[4], whose torrent was deleted
	// Merged is a duplicate of Movies[0] (with its IMDb id, from before
	// the ids were claimed) merged into it: its Theatrical joined Movies[0]'s,
	// its Extended moved as it is, with a format each (MergedFormats).
	Merged        uuid.UUID
	MergedEdition uuid.UUID // the Extended edition, which moved
	MergedFormats []domain.InfoHash
}

// History appends a catalogue exercising every Movies event: four people
// (one with an alias, one edited), three movies with credits of every
// kind, editions and formats (their torrents registered in category
// Movies), a movie edit, an edition and a format edit, a merge of the
// second person into the first, a deleted format torrent, IMDb claims (one
// taken, one voided and taken over, one released) and a duplicate movie
// merged into the first. seed makes the info hashes and names its own.
func History(t testing.TB, log *eventlog.Log, seed byte) Catalogue {
	t.Helper()
	ctx := context.Background()
	add := func(subject string, e domain.Event, opts ...eventlog.AppendOption) {
		t.Helper()
		if _, err := log.Append(ctx, subject, e, opts...); err != nil {
			t.Fatal(err)
		}
	}
	var c Catalogue
	for i, n := range []string{"Lana Wachowski", "Lana Wachowsky", "Keanu Reeves", "Carrie-Anne Moss"} {
		n = fmt.Sprintf("%s %d", n, seed)
		id := uuid.New()
		add(movies.NameSubject(n), movies.PersonNameClaimed{Name: n, Person: id}, eventlog.ExpectNew())
		add(movies.PersonSubject(id), movies.PersonCreated{Person: id, Name: n, PersonInfo: movies.PersonInfo{Biography: "About " + n}})
		c.People = append(c.People, id)
		if i == 0 {
			alias := fmt.Sprintf("Larry Wachowski %d", seed)
			add(movies.NameSubject(alias), movies.PersonNameClaimed{Name: alias, Person: id}, eventlog.ExpectNew())
			add(movies.PersonSubject(id), movies.PersonAliasAdded{Person: id, Alias: alias})
		}
	}
	add(movies.PersonSubject(c.People[2]), movies.PersonEdited{Person: c.People[2], PersonInfo: movies.PersonInfo{BirthYear: 1964, Biography: "Beirut"}})
	lana, typo, keanu, carrie := c.People[0], c.People[1], c.People[2], c.People[3]
	director := func(p uuid.UUID) movies.Credit { return movies.Credit{Person: p, Kind: movies.CreditDirector} }
	actor := func(p uuid.UUID, role string, billing int) movies.Credit {
		return movies.Credit{Person: p, Kind: movies.CreditActor, Role: role, Billing: billing}
	}
	enc := func(source, res, codec, container, hdr string, subs ...string) movies.FormatInfo {
		return movies.FormatInfo{Source: source, Resolution: res, Codec: codec, Container: container, HDR: hdr, Kind: movies.KindEncode, Subtitles: subs}
	}
	remux := enc("UHD Blu-ray", "2160p", "H.265", "MKV", "Dolby Vision", "en", "fr")
	remux.Kind = movies.KindRemux
	list := []struct {
		info    movies.MovieInfo
		formats []movies.FormatInfo
	}{
		{movies.MovieInfo{Title: "The Matrix", Year: 1999, IMDbID: "tt0133093", Runtime: 136, Tags: []string{"science.fiction", "action"},
			Credits: []movies.Credit{director(lana), director(typo), {Person: typo, Kind: movies.CreditWriter},
				actor(keanu, "Neo", 1), actor(carrie, "Trinity", 2)}},
			[]movies.FormatInfo{enc("Blu-ray", "1080p", "x264", "MKV", movies.HDRNone, "en"), remux}},
		{movies.MovieInfo{Title: "The Matrix Reloaded", Year: 2003, Tags: []string{"science.fiction"},
			Credits: []movies.Credit{director(typo), actor(keanu, "Neo", 1)}},
			[]movies.FormatInfo{enc("WEB", "1080p", "H.264", "MKV", movies.HDRNone), enc("WEB", "2160p", "H.265", "MKV", "HDR10")}},
		{movies.MovieInfo{Title: "John Wick", Year: 2014, Tags: []string{"action", "neo.noir"},
			Credits: []movies.Credit{actor(keanu, "John Wick", 1)}},
			[]movies.FormatInfo{enc("Blu-ray", "1080p", "x264", "MKV", movies.HDRNone), enc("Blu-ray", "720p", "x264", "MKV", movies.HDRNone)}},
	}
	torrent := func(n int, title string) domain.InfoHash {
		h := domain.InfoHash{seed, byte(n), 0xb2}
		add(domain.TorrentSubject(h), domain.TorrentRegistered{InfoHash: h, Name: fmt.Sprintf("m%d-%d", seed, n), Title: title,
			Size: int64(1000 * (n + 1)), Category: "Movies", Uploader: uuid.New(), Factors: domain.NormalFactors}, eventlog.ExpectNew())
		return h
	}
	for i, m := range list {
		id, ed := uuid.New(), uuid.New()
		add(movies.MovieSubject(id), movies.MovieCreated{Movie: id, MovieInfo: m.info}, eventlog.ExpectNew())
		add(movies.MovieSubject(id), movies.EditionAdded{Movie: id, Edition: ed, EditionInfo: movies.EditionInfo{Name: "Theatrical"}})
		for j, f := range m.formats {
			h := torrent(2*i+j, m.info.Title)
			add(movies.MovieSubject(id), movies.FormatAdded{Movie: id, Edition: ed, InfoHash: h, FormatInfo: f})
			c.Formats = append(c.Formats, h)
		}
		c.Movies, c.Editions = append(c.Movies, id), append(c.Editions, ed)
	}
	matrix, wick := c.Movies[0], c.Movies[2]
	second := uuid.New()
	add(movies.MovieSubject(matrix), movies.EditionAdded{Movie: matrix, Edition: second,
		EditionInfo: movies.EditionInfo{Name: "10th Anniversary", Year: 2009, Distributor: "Warner"}})
	h := torrent(9, "The Matrix DVD")
	add(movies.MovieSubject(matrix), movies.FormatAdded{Movie: matrix, Edition: second, InfoHash: h,
		FormatInfo: enc("DVD", "576p", "XviD", "AVI", movies.HDRNone)})
	c.Formats, c.Editions = append(c.Formats, h), append(c.Editions, second)
	add(movies.MovieSubject(matrix), movies.EditionEdited{Movie: matrix, Edition: c.Editions[0],
		EditionInfo: movies.EditionInfo{Name: "Theatrical", Year: 1999, Distributor: "Warner"}})
	add(movies.MovieSubject(matrix), movies.FormatEdited{Movie: matrix, InfoHash: c.Formats[0],
		FormatInfo: enc("Blu-ray", "1080p", "x264", "MKV", movies.HDRNone, "en", "de")})
	// John Wick's id: a claim whose writer stopped is voided and taken
	// over by the edit that gives it the id; The Matrix Reloaded's, once
	// claimed, is released. Claims are not expected new: seeds share ids.
	ghost, reloaded := uuid.New(), c.Movies[1]
	add(movies.IMDbSubject("tt0133093"), movies.IMDbClaimed{IMDbID: "tt0133093", Movie: matrix})
	add(movies.IMDbSubject("tt2911666"), movies.IMDbClaimed{IMDbID: "tt2911666", Movie: ghost})
	add(movies.MovieSubject(ghost), movies.MovieIMDbVoided{Movie: ghost, IMDbID: "tt2911666"}, eventlog.ExpectNew())
	add(movies.IMDbSubject("tt2911666"), movies.IMDbClaimed{IMDbID: "tt2911666", Movie: wick})
	add(movies.IMDbSubject("tt0234215"), movies.IMDbClaimed{IMDbID: "tt0234215", Movie: reloaded})
	add(movies.IMDbSubject("tt0234215"), movies.IMDbReleased{IMDbID: "tt0234215", Movie: reloaded})
	add(movies.MovieSubject(wick), movies.MovieEdited{Movie: wick, MovieInfo: movies.MovieInfo{Title: "John Wick", Year: 2014, Runtime: 101,
		IMDbID: "tt2911666", Tags: []string{"action", "neo.noir"},
		Credits: []movies.Credit{actor(keanu, "John Wick", 1), {Person: typo, Kind: movies.CreditProducer}}}})
	add(movies.PersonSubject(typo), movies.PersonMerged{Person: typo, Into: lana})
	c.Deleted = c.Formats[4]
	add(domain.TorrentSubject(c.Deleted), domain.TorrentDeleted{InfoHash: c.Deleted, Reason: "trumped"})

	// A duplicate of The Matrix, merged into it.
	dup, dupTheatrical := uuid.New(), uuid.New()
	c.Merged, c.MergedEdition = dup, uuid.New()
	add(movies.MovieSubject(dup), movies.MovieCreated{Movie: dup, MovieInfo: movies.MovieInfo{Title: "Matrix", Year: 1999, IMDbID: "tt0133093",
		Credits: []movies.Credit{director(typo), actor(carrie, "Trinity", 1)}}}, eventlog.ExpectNew())
	theatrical := movies.EditionInfo{Name: "theatrical", Year: 1999, Distributor: "warner"}
	extended := movies.EditionInfo{Name: "Extended"}
	add(movies.MovieSubject(dup), movies.EditionAdded{Movie: dup, Edition: dupTheatrical, EditionInfo: theatrical})
	add(movies.MovieSubject(dup), movies.EditionAdded{Movie: dup, Edition: c.MergedEdition, EditionInfo: extended})
	web, dvd := enc("WEB", "720p", "H.264", "MKV", movies.HDRNone), enc("DVD", "576p", "XviD", "AVI", movies.HDRNone)
	hWeb, hDVD := torrent(10, "Matrix WEB"), torrent(11, "Matrix DVD")
	add(movies.MovieSubject(dup), movies.FormatAdded{Movie: dup, Edition: dupTheatrical, InfoHash: hWeb, FormatInfo: web})
	add(movies.MovieSubject(dup), movies.FormatAdded{Movie: dup, Edition: c.MergedEdition, InfoHash: hDVD, FormatInfo: dvd})
	add(movies.MovieSubject(dup), movies.MovieMerged{Movie: dup, Into: matrix})
	add(movies.MovieSubject(matrix), movies.MovieAbsorbed{Movie: matrix, From: dup,
		Editions: []movies.MergedEdition{{Edition: dupTheatrical, Into: c.Editions[0], EditionInfo: theatrical},
			{Edition: c.MergedEdition, Into: c.MergedEdition, EditionInfo: extended}},
		Formats: []movies.MergedFormat{{InfoHash: hWeb, Edition: c.Editions[0], FormatInfo: web},
			{InfoHash: hDVD, Edition: c.MergedEdition, FormatInfo: dvd}}})
	c.MergedFormats = []domain.InfoHash{hWeb, hDVD}
	return c
}
