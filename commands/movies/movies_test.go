package movies

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/movies"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// env is the Movies plugin's write side on a real log, with a user who
// uploads.
type env struct {
	t    *testing.T
	ctx  context.Context
	log  *eventlog.Log
	core *commands.Commands
	m    *Commands
	dora commands.Actor
}

func newEnv(t *testing.T) *env {
	log := testenv.Log(t)
	core := commands.New(log, commands.Keys{Secret: domain.ServerSecret("the movie tests' secret, 32 bytes"), Vault: testenv.DB(t)})
	e := &env{t: t, ctx: context.Background(), log: log, core: core, m: New(core)}
	r, err := core.RegisterUser(e.ctx, commands.Operator, commands.RegisterUser{Name: "dora"})
	if err != nil {
		t.Fatal(err)
	}
	e.dora = commands.UserActor(r.User.ID, false)
	return e
}

func (e *env) last() uint64 {
	e.t.Helper()
	seq, err := e.log.LastSeq(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return seq
}

func (e *env) movie(id uuid.UUID) movies.Movie {
	e.t.Helper()
	mv, err := e.m.Movie(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return mv
}

var x264 = movies.FormatInfo{Source: "Blu-ray", Codec: "x264", Container: "MKV", Resolution: "1080p", HDR: movies.HDRNone,
	Kind: movies.KindEncode, Subtitles: []string{"en"}}

// newMovie is an upload of a new movie with its director, writers and
// cast, a 1080p Blu-ray encode of its theatrical cut.
func newMovie(t *testing.T, name string) Upload {
	return Upload{File: testenv.TorrentFile(t, name, false), Uploader: "dora", Source: "djembe",
		Credits: []PersonCredit{{Name: "Lana Wachowski", Kind: movies.CreditDirector}, {Name: "Lilly Wachowski", Kind: movies.CreditDirector},
			{Name: "Lana Wachowski", Kind: movies.CreditWriter}, {Name: "Joel Silver", Kind: movies.CreditProducer},
			{Name: "Keanu Reeves", Kind: movies.CreditActor, Role: "Neo"}, {Name: "Carrie-Anne Moss", Kind: movies.CreditActor, Role: "Trinity"}},
		MovieInfo: movies.MovieInfo{Title: "The Matrix", Year: 1999, IMDbID: "tt0133093", Runtime: 136,
			Tags: []string{"science.fiction", "action"}, PosterURL: "https://img.example/matrix.jpg"},
		EditionInfo: movies.EditionInfo{Name: "Theatrical"},
		Format:      x264}
}

// An upload of a new movie creates its people, movie, edition and format,
// and registers its torrent in the category Movies with its title. More
// formats join the edition; a duplicate format is refused naming the
// torrent that has it, and appends nothing; a new edition holds the same
// format again; an edition described again is the same; the same person
// is found by any case; the same torrent cannot be a second format.
func TestUploadBuildsTheHierarchy(t *testing.T) {
	e := newEnv(t)
	first, err := e.m.Upload(e.ctx, e.dora, newMovie(t, "matrix-1080p"))
	if err != nil {
		t.Fatal(err)
	}
	tor, err := e.core.Torrent(e.ctx, first.InfoHash)
	if err != nil {
		t.Fatal(err)
	}
	if tor.Category != Category || tor.Title != "The Matrix (1999) [Theatrical / Blu-ray / 1080p / x264]" || first.Title != tor.Title {
		t.Errorf("torrent registered as %q in %q", tor.Title, tor.Category)
	}
	mv := e.movie(first.Movie)
	lana, err := e.m.PersonByName(e.ctx, "LANA  wachowski")
	if err != nil {
		t.Fatal(err)
	}
	keanu, _ := e.m.PersonByName(e.ctx, "Keanu Reeves")
	want := []movies.Credit{{Person: lana.ID, Kind: movies.CreditDirector}, {Person: lana.ID, Kind: movies.CreditWriter},
		{Person: keanu.ID, Kind: movies.CreditActor, Role: "Neo", Billing: 1}}
	for _, w := range want {
		if !slices.Contains(mv.Info.Credits, w) {
			t.Errorf("credit %+v missing from %+v", w, mv.Info.Credits)
		}
	}
	if len(mv.Info.Credits) != 6 || len(mv.Editions) != 1 || mv.Editions[0].ID != first.Edition || len(mv.Formats) != 1 || mv.Formats[0].InfoHash != first.InfoHash {
		t.Fatalf("movie %+v", mv)
	}

	remux := Upload{File: testenv.TorrentFile(t, "matrix-remux", false), Uploader: "dora", Movie: first.Movie, Edition: first.Edition,
		Format: movies.FormatInfo{Source: "Blu-ray", Codec: "VC-1", Container: "MKV", Resolution: "1080p", HDR: movies.HDRNone, Kind: movies.KindRemux}}
	second, err := e.m.Upload(e.ctx, e.dora, remux)
	if err != nil || second.Edition != first.Edition || second.Title != "The Matrix (1999) [Theatrical / Blu-ray / 1080p / VC-1]" {
		t.Fatalf("a second format of the edition: %+v, %v", second, err)
	}

	before := e.last()
	dup := remux
	dup.File = testenv.TorrentFile(t, "matrix-remux-again", false)
	dup.Format.Container = "M2TS" // the container does not make another format
	_, err = e.m.Upload(e.ctx, e.dora, dup)
	var de *movies.DuplicateError
	if domain.KindOf(err) != domain.KindConflict || domain.FieldOf(err) != "format" || !errors.As(err, &de) || de.Existing != second.InfoHash {
		t.Fatalf("a duplicate format: %v", err)
	}
	if after := e.last(); after != before {
		t.Errorf("the refused duplicate appended %d events", after-before)
	}

	again := remux // the same .torrent, in another edition
	again.Edition, again.EditionInfo = uuid.Nil, movies.EditionInfo{Name: "Remastered"}
	before = e.last()
	if _, err := e.m.Upload(e.ctx, e.dora, again); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("the same torrent as a second format: %v", err)
	}
	if after := e.last(); after != before {
		t.Errorf("the refused torrent appended %d events", after-before)
	}

	cut := Upload{File: testenv.TorrentFile(t, "matrix-cut", false), Uploader: "dora", Movie: first.Movie,
		EditionInfo: movies.EditionInfo{Name: "10th Anniversary", Year: 2009, Distributor: "Warner"}, Format: x264}
	third, err := e.m.Upload(e.ctx, e.dora, cut)
	if err != nil || third.Edition == first.Edition || third.Title != "The Matrix (1999) [10th Anniversary / Blu-ray / 1080p / x264]" {
		t.Fatalf("the same format in a new edition: %+v, %v", third, err)
	}
	more := cut
	more.File = testenv.TorrentFile(t, "matrix-cut-720", false)
	more.EditionInfo.Name = "10TH anniversary"
	more.Format.Resolution = "720p"
	if fourth, err := e.m.Upload(e.ctx, e.dora, more); err != nil || fourth.Edition != third.Edition {
		t.Fatalf("an edition described again is the same edition: %+v (want edition %s), %v", fourth, third.Edition, err)
	}

	other := newMovie(t, "john-wick")
	other.Credits = []PersonCredit{{Name: "Chad Stahelski", Kind: movies.CreditDirector}, {Name: "KEANU REEVES", Kind: movies.CreditActor, Role: "John Wick"}}
	other.MovieInfo = movies.MovieInfo{Title: "John Wick", Year: 2014}
	jw, err := e.m.Upload(e.ctx, e.dora, other)
	if err != nil {
		t.Fatal(err)
	}
	if c := e.movie(jw.Movie).Info.Credits; len(c) != 2 || c[1] != (movies.Credit{Person: keanu.ID, Kind: movies.CreditActor, Role: "John Wick", Billing: 1}) {
		t.Errorf("a person named in another case is the same person: %+v, want %s", c, keanu.ID)
	}
}

// Every problem of an upload is refused on its field before anything is
// appended, the .torrent's too.
func TestUploadRefusals(t *testing.T) {
	e := newEnv(t)
	good := newMovie(t, "good")
	for _, tc := range []struct {
		name   string
		edit   func(*Upload)
		kind   domain.Kind
		fields []string
	}{
		{"no file", func(u *Upload) { u.File = nil }, domain.KindInvalid, []string{"file"}},
		{"no credits", func(u *Upload) { u.Credits = nil }, domain.KindInvalid, []string{"credits"}},
		{"writers only", func(u *Upload) { u.Credits = []PersonCredit{{Name: "A", Kind: movies.CreditWriter}} }, domain.KindInvalid, []string{"credits"}},
		{"a nameless director", func(u *Upload) {
			u.Credits = []PersonCredit{{Name: "A", Kind: movies.CreditActor}, {Name: " ", Kind: movies.CreditDirector}}
		}, domain.KindInvalid, []string{"credits"}},
		{"a director's role", func(u *Upload) { u.Credits[0].Role = "Neo" }, domain.KindInvalid, []string{"credits"}},
		{"title and imdb", func(u *Upload) { u.MovieInfo.Title, u.MovieInfo.IMDbID = "", "133093" }, domain.KindInvalid, []string{"title", "imdb_id"}},
		{"runtime", func(u *Upload) { u.MovieInfo.Runtime = 5000 }, domain.KindInvalid, []string{"runtime"}},
		{"edition and source", func(u *Upload) { u.EditionInfo.Name, u.Format.Source = "", "Laserdisc" }, domain.KindInvalid, []string{"edition", "source"}},
		{"hdr in x264", func(u *Upload) { u.Format.HDR = "HDR10" }, domain.KindInvalid, []string{"hdr"}},
		{"subtitles", func(u *Upload) { u.Format.Subtitles = []string{"english"} }, domain.KindInvalid, []string{"subtitles"}},
		{"an edition of a new movie", func(u *Upload) { u.Edition = uuid.New() }, domain.KindInvalid, []string{"edition"}},
		{"a movie that is not there", func(u *Upload) { u.Movie = uuid.New() }, domain.KindNotFound, []string{"movie"}},
		{"a broken torrent", func(u *Upload) { u.File = []byte("d4:infod6:lengthi5e4:name1:aee") }, domain.KindInvalid, nil},
	} {
		u := good
		u.Credits = slices.Clone(good.Credits)
		tc.edit(&u)
		before := e.last()
		_, err := e.m.Upload(e.ctx, e.dora, u)
		if domain.KindOf(err) != tc.kind {
			t.Errorf("%s: %v (kind %v), want kind %v", tc.name, err, domain.KindOf(err), tc.kind)
		}
		if tc.fields != nil {
			if got := fieldsOf(err); !slices.Equal(got, tc.fields) {
				t.Errorf("%s: fields %q, want %q (%v)", tc.name, got, tc.fields, err)
			}
		}
		if after := e.last(); after != before {
			t.Errorf("%s: the refused upload appended %d events", tc.name, after-before)
		}
	}
}

// Aliases and merges: an alias leads to its person and cannot be taken
// twice; a merged person's name leads to the person they were merged
// into; only staff edit and merge.
func TestAliasesAndMerges(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Upload(e.ctx, e.dora, newMovie(t, "a")); err != nil {
		t.Fatal(err)
	}
	dupe := newMovie(t, "b")
	dupe.MovieInfo = movies.MovieInfo{Title: "Speed", Year: 1994}
	dupe.Credits = []PersonCredit{{Name: "Jan de Bont", Kind: movies.CreditDirector}, {Name: "Keanu Reaves", Kind: movies.CreditActor, Role: "Jack"}}
	sp, err := e.m.Upload(e.ctx, e.dora, dupe)
	if err != nil {
		t.Fatal(err)
	}
	real, _ := e.m.PersonByName(e.ctx, "Keanu Reeves")
	typo, _ := e.m.PersonByName(e.ctx, "Keanu Reaves")
	if real.ID == typo.ID {
		t.Fatal("two names made one person")
	}
	if err := e.m.MergePeople(e.ctx, e.dora, typo.ID, real.ID); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("a user merged people: %v", err)
	}
	if err := e.m.AddAlias(e.ctx, e.dora, real.ID, "Keanu"); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("a user added an alias: %v", err)
	}
	if err := e.m.AddAlias(e.ctx, commands.Operator, real.ID, "Keanu"); err != nil {
		t.Fatal(err)
	}
	if got, err := e.m.PersonByName(e.ctx, "keanu"); err != nil || got.ID != real.ID || !slices.Equal(got.Aliases, []string{"Keanu"}) {
		t.Errorf("the alias leads to %+v (%v)", got, err)
	}
	if err := e.m.AddAlias(e.ctx, commands.Operator, typo.ID, "KEANU"); domain.KindOf(err) != domain.KindConflict || domain.FieldOf(err) != "alias" {
		t.Errorf("an alias taken twice: %v", err)
	}
	if err := e.m.MergePeople(e.ctx, commands.Operator, typo.ID, typo.ID); domain.FieldOf(err) != "into" {
		t.Errorf("a person merged into themselves: %v", err)
	}
	if err := e.m.MergePeople(e.ctx, commands.Operator, typo.ID, real.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := e.m.PersonByName(e.ctx, "Keanu Reaves"); err != nil || got.ID != real.ID {
		t.Errorf("the merged person's name leads to %+v (%v), want %s", got, err, real.ID)
	}
	if err := e.m.MergePeople(e.ctx, commands.Operator, typo.ID, real.ID); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("merging a merged person again: %v", err)
	}
	if err := e.m.EditPerson(e.ctx, commands.Operator, typo.ID, movies.PersonInfo{BirthYear: 1964}); err != nil {
		t.Errorf("an edit of a merged person goes to the person they became: %v", err)
	}
	if got, _ := e.m.PersonByName(e.ctx, "Keanu Reeves"); got.Info.BirthYear != 1964 {
		t.Errorf("edited person %+v", got)
	}
	if err := e.m.EditPerson(e.ctx, commands.Operator, real.ID, movies.PersonInfo{BirthYear: 1500}); domain.FieldOf(err) != "birth_year" {
		t.Errorf("a birth year of 1500: %v", err)
	}
	// An upload naming the merged person credits the person they became,
	// and an edit re-crediting by the merged name too.
	later := newMovie(t, "c")
	later.MovieInfo = movies.MovieInfo{Title: "Point Break", Year: 1991}
	later.Credits = []PersonCredit{{Name: "keanu reaves", Kind: movies.CreditActor, Role: "Johnny Utah"}}
	up, err := e.m.Upload(e.ctx, e.dora, later)
	if err != nil {
		t.Fatal(err)
	}
	if c := e.movie(up.Movie).Info.Credits; c[0].Person != real.ID {
		t.Errorf("an upload naming the merged person credits %s, want %s", c[0].Person, real.ID)
	}
	edit := []PersonCredit{{Name: "Jan de Bont", Kind: movies.CreditDirector}, {Name: "Keanu Reaves", Kind: movies.CreditActor, Role: "Jack Traven"},
		{Name: "Keanu Reeves", Kind: movies.CreditActor, Role: "jack traven"}, {Name: "Sandra Bullock", Kind: movies.CreditActor, Role: "Annie"}}
	if err := e.m.EditMovie(e.ctx, e.dora, sp.Movie, edit, movies.MovieInfo{Title: "Speed", Year: 1994}); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("a user edited a movie: %v", err)
	}
	if err := e.m.EditMovie(e.ctx, commands.Operator, sp.Movie, edit, movies.MovieInfo{Title: "Speed", Year: 1994, Runtime: 116}); err != nil {
		t.Fatal(err)
	}
	sandra, _ := e.m.PersonByName(e.ctx, "Sandra Bullock")
	got := e.movie(sp.Movie).Info
	wantCredits := []movies.Credit{{Person: got.Credits[0].Person, Kind: movies.CreditDirector},
		{Person: real.ID, Kind: movies.CreditActor, Role: "Jack Traven", Billing: 1}, {Person: sandra.ID, Kind: movies.CreditActor, Role: "Annie", Billing: 3}}
	if got.Runtime != 116 || !slices.Equal(got.Credits, wantCredits) {
		t.Errorf("edited movie %+v; want credits %+v (two names of one person in one role are one credit)", got, wantCredits)
	}
	if err := e.m.EditMovie(e.ctx, commands.Operator, sp.Movie, edit, movies.MovieInfo{Title: "Speed", Year: 1994, IMDbID: "nope"}); domain.FieldOf(err) != "imdb_id" {
		t.Errorf("a bad IMDb id: %v", err)
	}
}

// Edits of editions and formats keep the hierarchy's rules.
func TestEditEditionsAndFormats(t *testing.T) {
	e := newEnv(t)
	first, err := e.m.Upload(e.ctx, e.dora, newMovie(t, "m1"))
	if err != nil {
		t.Fatal(err)
	}
	u := Upload{File: testenv.TorrentFile(t, "m2", false), Uploader: "dora", Movie: first.Movie, Edition: first.Edition, Format: x264}
	u.Format.Resolution = "720p"
	second, err := e.m.Upload(e.ctx, e.dora, u)
	if err != nil {
		t.Fatal(err)
	}
	u.File, u.Edition, u.EditionInfo = testenv.TorrentFile(t, "m3", false), uuid.Nil, movies.EditionInfo{Name: "Extended"}
	third, err := e.m.Upload(e.ctx, e.dora, u)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.m.EditFormat(e.ctx, e.dora, first.Movie, second.InfoHash, x264); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("a user edited a format: %v", err)
	}
	var de *movies.DuplicateError
	if err := e.m.EditFormat(e.ctx, commands.Operator, first.Movie, second.InfoHash, x264); !errors.As(err, &de) || de.Existing != first.InfoHash {
		t.Errorf("a format edited into its edition's other format: %v", err)
	}
	mp4 := u.Format
	mp4.Container, mp4.Subtitles = "MP4", []string{"en", "de"}
	if err := e.m.EditFormat(e.ctx, commands.Operator, first.Movie, second.InfoHash, mp4); err != nil {
		t.Errorf("a format edited in its own key: %v", err)
	}
	if err := e.m.EditFormat(e.ctx, commands.Operator, first.Movie, domain.InfoHash{9}, mp4); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("a format that is not there: %v", err)
	}
	if err := e.m.EditFormat(e.ctx, commands.Operator, first.Movie, third.InfoHash, movies.FormatInfo{Source: "DVD"}); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("a bad format: %v", err)
	}
	if err := e.m.EditEdition(e.ctx, commands.Operator, first.Movie, third.Edition, movies.EditionInfo{Name: "theatrical"}); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("an edition edited into another: %v", err)
	}
	if err := e.m.EditEdition(e.ctx, commands.Operator, first.Movie, third.Edition, movies.EditionInfo{Name: "Extended", Year: 2003, Distributor: "New Line"}); err != nil {
		t.Fatal(err)
	}
	mv := e.movie(first.Movie)
	if ed, _ := mv.Edition(third.Edition); ed.Distributor != "New Line" {
		t.Errorf("edited edition %+v", ed)
	}
	if f, _ := mv.Format(second.InfoHash); f.Container != "MP4" || !slices.Equal(f.Subtitles, []string{"en", "de"}) {
		t.Errorf("edited format %+v", f)
	}
}

// fieldsOf lists the fields a (joined) refusal names, in order.
func fieldsOf(err error) []string { return domain.Fields(err) }
