package backup

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/domain/backup"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/google/uuid"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// allowance is the tests' starter allowance, in bytes.
const allowance = 100_000

// env is the Backup plugin's write side on a real log, with two users.
// The standing each user has is set by the test: it is the read model's
// figures that the write side decides on, not a stand-in for the log.
type env struct {
	t         *testing.T
	ctx       context.Context
	log       *eventlog.Log
	core      *commands.Commands
	m         *Commands
	ada, bob  commands.Actor
	mu        sync.Mutex
	standings map[domain.UserID]backup.Standing
}

func newEnv(t *testing.T) *env {
	log := testenv.Log(t)
	core := commands.New(log, commands.Keys{Secret: domain.ServerSecret("the backup tests' secret, 32 byte"), Vault: testenv.DB(t)})
	e := &env{t: t, ctx: context.Background(), log: log, core: core, standings: map[domain.UserID]backup.Standing{}}
	e.m = New(core, e.standing, allowance)
	e.ada, e.bob = e.register("ada"), e.register("bob")
	return e
}

func (e *env) register(name string) commands.Actor {
	r, err := e.core.RegisterUser(e.ctx, commands.Operator, commands.RegisterUser{Name: name})
	if err != nil {
		e.t.Fatal(err)
	}
	return commands.UserActor(r.User.ID, false)
}

func (e *env) standing(_ context.Context, u domain.UserID) (backup.Standing, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.standings[u], nil
}

// set makes st a's standing, as the read model would hold it.
func (e *env) set(a commands.Actor, st backup.Standing) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.standings[a.User] = st
}

func (e *env) last() uint64 {
	e.t.Helper()
	seq, err := e.log.LastSeq(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return seq
}

// unchanged fails when the log grew past before.
func (e *env) unchanged(what string, before uint64) {
	e.t.Helper()
	if after := e.last(); after != before {
		e.t.Errorf("%s: appended %d events", what, after-before)
	}
}

// create makes a backup of ada's at redundancy n.
func (e *env) create(name string, n int) uuid.UUID {
	e.t.Helper()
	id, err := e.m.CreateBackup(e.ctx, e.ada, "ada", backup.Info{Name: name, Redundancy: n})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// version is ada's version of backup id: a .torrent of size bytes.
func (e *env) version(id uuid.UUID, file string, size int64) AddVersion {
	return AddVersion{Backup: id, File: testenv.TorrentOfSize(e.t, file, size, false), Uploader: "ada", Source: "djembe", Message: "nightly"}
}

func (e *env) add(id uuid.UUID, file string, size int64) Added {
	e.t.Helper()
	out, err := e.m.AddVersion(e.ctx, e.ada, e.version(id, file, size))
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// Every problem of a new backup is refused beside its field, and nothing
// is appended; the owner and staff create it.
func TestCreateBackup(t *testing.T) {
	e := newEnv(t)
	good := backup.Info{Name: "Photos", Description: "the family's", Redundancy: 2}
	for _, tc := range []struct {
		name   string
		actor  commands.Actor
		owner  string
		edit   func(*backup.Info)
		kind   domain.Kind
		fields []string
	}{
		{"no name", e.ada, "ada", func(i *backup.Info) { i.Name = "  " }, domain.KindInvalid, []string{"name"}},
		{"a name too long", e.ada, "ada", func(i *backup.Info) { i.Name = strings.Repeat("n", backup.MaxNameLen+1) }, domain.KindInvalid, []string{"name"}},
		{"a line break in the name", e.ada, "ada", func(i *backup.Info) { i.Name = "a\nb" }, domain.KindInvalid, []string{"name"}},
		{"no redundancy", e.ada, "ada", func(i *backup.Info) { i.Redundancy = 0 }, domain.KindInvalid, []string{"redundancy"}},
		{"too much redundancy", e.ada, "ada", func(i *backup.Info) { i.Redundancy = backup.MaxRedundancy + 1 }, domain.KindInvalid, []string{"redundancy"}},
		{"a description too long", e.ada, "ada", func(i *backup.Info) { i.Description = strings.Repeat("d", backup.MaxDescription+1) }, domain.KindInvalid, []string{"description"}},
		{"name and redundancy", e.ada, "ada", func(i *backup.Info) { i.Name, i.Redundancy = "", 11 }, domain.KindInvalid, []string{"name", "redundancy"}},
		{"nobody's", e.ada, "nobody", func(*backup.Info) {}, domain.KindNotFound, []string{"user"}},
		{"another's", e.bob, "ada", func(*backup.Info) {}, domain.KindForbidden, []string{"user"}},
		{"another's without a name", e.bob, "ada", func(i *backup.Info) { i.Name = "" }, domain.KindForbidden, []string{"user", "name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info := good
			tc.edit(&info)
			before := e.last()
			_, err := e.m.CreateBackup(e.ctx, tc.actor, tc.owner, info)
			if domain.KindOf(err) != tc.kind || !slices.Equal(domain.Fields(err), tc.fields) {
				t.Errorf("%v: kind %v fields %q, want %v %q", err, domain.KindOf(err), domain.Fields(err), tc.kind, tc.fields)
			}
			e.unchanged(tc.name, before)
		})
	}
	id, err := e.m.CreateBackup(e.ctx, e.ada, "ada", backup.Info{Name: " Photos ", Description: "the family's", Redundancy: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.m.Backup(e.ctx, id)
	if err != nil || b.Owner != e.ada.User || b.Name != "Photos" || b.Redundancy != 2 || b.Description != "the family's" {
		t.Fatalf("created %+v, %v", b, err)
	}
	if _, err := e.m.CreateBackup(e.ctx, commands.Operator, "bob", good); err != nil {
		t.Errorf("staff creating bob's backup: %v", err)
	}
	if _, err := e.m.Backup(e.ctx, uuid.New()); domain.KindOf(err) != domain.KindNotFound || domain.FieldOf(err) != "backup" {
		t.Errorf("an unknown backup: %v", err)
	}
}

// A version within the owner's room (credit plus allowance, less
// obligation) is registered, neutral, in category Backup, titled after
// its backup and number; one past it is refused with the exact bytes to
// back up first, and nothing is appended; one at exactly the limit is
// accepted.
func TestAddVersionQuota(t *testing.T) {
	e := newEnv(t)
	for i, tc := range []struct {
		name     string
		standing backup.Standing
		size     int64
		n        int
		needed   uint64 // 0: accepted
	}{
		{"within the allowance", backup.Standing{}, 40_000, 2, 0},
		{"at exactly the limit", backup.Standing{Credit: 20_000, Obligation: 40_000}, 40_000, 2, 0},
		{"credit makes room", backup.Standing{Credit: 500_000, Obligation: 100_000}, 150_000, 3, 0},
		{"past the allowance", backup.Standing{Obligation: 30_000}, 40_000, 2, 10_000},
		{"one byte past the limit", backup.Standing{Credit: 20_000, Obligation: 40_001}, 40_000, 2, 1},
		{"past credit and allowance", backup.Standing{Credit: 1_000, Obligation: 0}, 60_000, 3, 180_000 - 101_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.set(e.ada, tc.standing)
			id := e.create(tc.name, tc.n)
			before := e.last()
			out, err := e.m.AddVersion(e.ctx, e.ada, e.version(id, "data-"+string(rune('a'+i)), tc.size))
			if tc.needed != 0 {
				var qe *backup.QuotaError
				if !errors.As(err, &qe) || qe.Needed != tc.needed || qe.Field != "file" || domain.FieldOf(err) != "file" || domain.KindOf(err) != domain.KindInvalid {
					t.Fatalf("refusal %v (%+v), want %d bytes needed on file", err, qe, tc.needed)
				}
				e.unchanged(tc.name, before)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			e.accepted(id, out, 1, uint64(tc.size))
		})
	}
}

// accepted checks version number of backup id: the result, the
// aggregate and the torrent registered for it.
func (e *env) accepted(id uuid.UUID, out Added, number int, size uint64) {
	e.t.Helper()
	b, err := e.m.Backup(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	want := Title(b.Name, number)
	if out.Number != number || out.Size != size || out.Title != want || !strings.HasSuffix(want, " – version "+string(rune('0'+number))) {
		e.t.Errorf("added %+v, want number %d size %d title %q", out, number, size, want)
	}
	if v, ok := b.Version(number); !ok || v.InfoHash != out.InfoHash || v.Size != size || v.Deleted || v.Message != "nightly" {
		e.t.Errorf("version %d is %+v (%v)", number, v, ok)
	}
	tor, err := e.core.Torrent(e.ctx, out.InfoHash)
	if err != nil {
		e.t.Fatal(err)
	}
	if tor.Category != backup.Category || tor.Title != want || tor.Factors != (domain.Factors{}) || tor.Uploader != e.ada.User || uint64(tor.Size) != size {
		e.t.Errorf("registered %q in %q with factors %+v by %s, size %d", tor.Title, tor.Category, tor.Factors, tor.Uploader, tor.Size)
	}
}

// A version's own problems are refused on their fields before the quota
// or the tracker sees it, and a duplicate .torrent on "file"; nothing is
// appended.
func TestAddVersionRefusals(t *testing.T) {
	e := newEnv(t)
	id := e.create("Mail", 1)
	first := e.add(id, "mail-1", 10_000)
	for _, tc := range []struct {
		name   string
		actor  commands.Actor
		edit   func(*AddVersion)
		kind   domain.Kind
		fields []string
	}{
		{"no file", e.ada, func(v *AddVersion) { v.File = nil }, domain.KindInvalid, []string{"file"}},
		{"not a torrent", e.ada, func(v *AddVersion) { v.File = []byte("not bencode") }, domain.KindInvalid, []string{"file"}},
		{"a message too long", e.ada, func(v *AddVersion) { v.Message = strings.Repeat("m", backup.MaxMessage+1) }, domain.KindInvalid, []string{"message"}},
		{"the same torrent again", e.ada, func(v *AddVersion) { v.File = testenv.TorrentOfSize(t, "mail-1", 10_000, false) }, domain.KindConflict, []string{"file"}},
		{"uploaded as another", e.ada, func(v *AddVersion) { v.Uploader = "bob" }, domain.KindForbidden, []string{"user"}},
		{"uploaded as nobody", e.ada, func(v *AddVersion) { v.Uploader = "nobody" }, domain.KindNotFound, []string{"user"}},
		{"another user", e.bob, func(v *AddVersion) { v.Uploader = "bob" }, domain.KindForbidden, nil},
		{"another user as the owner", e.bob, func(*AddVersion) {}, domain.KindForbidden, nil},
		{"staff", commands.Operator, func(*AddVersion) {}, domain.KindForbidden, nil},
		{"staff who are a user", commands.UserActor(e.bob.User, true), func(*AddVersion) {}, domain.KindForbidden, nil},
		{"no such backup", e.ada, func(v *AddVersion) { v.Backup = uuid.New() }, domain.KindNotFound, []string{"backup"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := e.version(id, "mail-2", 10_000)
			tc.edit(&v)
			before := e.last()
			_, err := e.m.AddVersion(e.ctx, tc.actor, v)
			if domain.KindOf(err) != tc.kind || !slices.Equal(domain.Fields(err), tc.fields) {
				t.Errorf("%v: kind %v fields %q, want %v %q", err, domain.KindOf(err), domain.Fields(err), tc.kind, tc.fields)
			}
			e.unchanged(tc.name, before)
		})
	}
	e.accepted(id, first, 1, 10_000)
	e.accepted(id, e.add(id, "mail-2", 10_000), 2, 10_000)
}

// A higher redundancy is held against the owner's room (live size times
// the copies added), and refused on "redundancy" past it; a lower one is
// always accepted; the same one appends nothing.
func TestSetRedundancy(t *testing.T) {
	e := newEnv(t)
	id := e.create("Code", 1)
	e.add(id, "code-1", 40_000)
	e.set(e.ada, backup.Standing{Obligation: 40_000}) // room 60,000
	for _, tc := range []struct {
		name   string
		actor  commands.Actor
		n      int
		needed uint64
		kind   domain.Kind // of a refusal other than the quota
		want   int         // the redundancy after
	}{
		{"raised within the room", e.ada, 2, 0, 0, 2},
		{"the same", e.ada, 2, 0, 0, 2},
		{"raised past the room", e.ada, 4, 80_000 - 60_000, 0, 2},
		{"raised to the room", e.ada, 3, 0, 0, 3},
		{"by another user", e.bob, 1, 0, domain.KindForbidden, 3},
		{"out of bounds", e.ada, 0, 0, domain.KindInvalid, 3},
		{"lowered past nothing owed", e.ada, 1, 0, 0, 1},
		{"by staff", commands.Operator, 2, 0, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.last()
			err := e.m.SetRedundancy(e.ctx, tc.actor, id, tc.n)
			var qe *backup.QuotaError
			switch {
			case tc.needed != 0:
				if !errors.As(err, &qe) || qe.Needed != tc.needed || domain.FieldOf(err) != "redundancy" {
					t.Errorf("refusal %v (%+v), want %d bytes needed on redundancy", err, qe, tc.needed)
				}
			case tc.kind != 0:
				if domain.KindOf(err) != tc.kind {
					t.Errorf("%v, want kind %v", err, tc.kind)
				}
			case err != nil:
				t.Errorf("refused: %v", err)
			}
			if err != nil || tc.name == "the same" {
				e.unchanged(tc.name, before)
			}
			if b, _ := e.m.Backup(e.ctx, id); b.Redundancy != tc.want {
				t.Errorf("redundancy %d, want %d", b.Redundancy, tc.want)
			}
		})
	}
	// Lowering is accepted however far past the room the owner is.
	e.set(e.ada, backup.Standing{Obligation: 10 * allowance})
	if err := e.m.SetRedundancy(e.ctx, e.ada, id, 1); err != nil {
		t.Errorf("lowering past the room: %v", err)
	}
}

// Points are assigned from the owner's balance (the starting grant and
// what they earned, less what they assigned), moved back and forth,
// never negative nor past the balance; only by the owner or staff.
func TestAssignPoints(t *testing.T) {
	e := newEnv(t)
	id := e.create("Music", 1)
	// As the read model holds it: 20 points earned, 30 assigned to other
	// backups, and this backup's; so 90 points to give this backup.
	sync := func() {
		b, err := e.m.Backup(e.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		e.set(e.ada, backup.Standing{EarnedMilli: 20_000, AssignedMilli: 30_000 + b.PointsMilli})
	}
	sync()
	for _, tc := range []struct {
		name  string
		actor commands.Actor
		milli int64
		kind  domain.Kind // 0: accepted
		want  int64
	}{
		{"within the balance", e.ada, 60_000, 0, 60_000},
		{"all the balance", e.ada, 90_000, 0, 90_000},
		{"past the balance", e.ada, 90_001, domain.KindInvalid, 90_000},
		{"taken back", e.ada, 10_000, 0, 10_000},
		{"negative", e.ada, -1, domain.KindInvalid, 10_000},
		{"by another user", e.bob, 20_000, domain.KindForbidden, 10_000},
		{"by staff", commands.Operator, 20_000, 0, 20_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.last()
			err := e.m.AssignPoints(e.ctx, tc.actor, id, tc.milli)
			if domain.KindOf(err) != tc.kind && !(tc.kind == 0 && err == nil) {
				t.Errorf("%v, want kind %v", err, tc.kind)
			}
			if tc.kind == domain.KindInvalid && domain.FieldOf(err) != "points" {
				t.Errorf("refused on %q: %v", domain.FieldOf(err), err)
			}
			if err != nil {
				e.unchanged(tc.name, before)
			}
			if b, _ := e.m.Backup(e.ctx, id); b.PointsMilli != tc.want {
				t.Errorf("points %d, want %d", b.PointsMilli, tc.want)
			}
			sync()
		})
	}
	// The balance is 70 points with this backup's 20 counted as assigned,
	// so it may hold 90, and not a thousandth more.
	if err := e.m.AssignPoints(e.ctx, e.ada, id, 90_000); err != nil {
		t.Errorf("the backup's points and the balance: %v", err)
	}
	if err := e.m.AssignPoints(e.ctx, e.ada, id, 160_001); domain.FieldOf(err) != "points" {
		t.Errorf("past the balance with the backup's points: %v", err)
	}
}

// Deleting a version appends VersionDeleted and deletes its torrent, so
// the tracker refuses it; its number is never given again; a version
// deleted already appends nothing; only the owner or staff delete.
func TestDeleteVersion(t *testing.T) {
	e := newEnv(t)
	id := e.create("Docs", 2)
	v1, v2 := e.add(id, "docs-1", 20_000), e.add(id, "docs-2", 30_000)
	before := e.last()
	if err := e.m.DeleteVersion(e.ctx, e.bob, id, 2); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("another user deleted a version: %v", err)
	}
	if err := e.m.DeleteVersion(e.ctx, e.ada, id, 9); domain.KindOf(err) != domain.KindNotFound || domain.FieldOf(err) != "version" {
		t.Errorf("an unknown version: %v", err)
	}
	e.unchanged("refused deletions", before)

	if err := e.m.DeleteVersion(e.ctx, e.ada, id, 2); err != nil {
		t.Fatal(err)
	}
	tor, err := e.core.Torrent(e.ctx, v2.InfoHash)
	if err != nil || !tor.Deleted {
		t.Fatalf("the deleted version's torrent: deleted %v, %v", tor.Deleted, err)
	}
	if _, err := e.core.PersonalTorrent(e.ctx, e.ada, v2.InfoHash, "ada", "http://tracker.example/"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("the deleted version's .torrent is still given: %v", err)
	}
	b, _ := e.m.Backup(e.ctx, id)
	if v, _ := b.Version(2); !v.Deleted || b.LiveSize() != 20_000 || b.Obligation() != 40_000 {
		t.Errorf("after the deletion: version %+v, live %d, obligation %d", v, b.LiveSize(), b.Obligation())
	}
	if tor, _ := e.core.Torrent(e.ctx, v1.InfoHash); tor.Deleted {
		t.Error("version 1's torrent was deleted too")
	}

	before = e.last()
	if err := e.m.DeleteVersion(e.ctx, e.ada, id, 2); err != nil {
		t.Errorf("deleting a deleted version again: %v", err)
	}
	e.unchanged("deleting again", before)

	e.accepted(id, e.add(id, "docs-3", 10_000), 3, 10_000)
	if err := e.m.DeleteVersion(e.ctx, commands.Operator, id, 1); err != nil {
		t.Errorf("staff deleting a version: %v", err)
	}
	e.accepted(id, e.add(id, "docs-4", 10_000), 4, 10_000)
}

// Editing replaces the name and description (the owner or staff), each
// problem beside its field; the titles of later versions follow the name.
func TestEditBackup(t *testing.T) {
	e := newEnv(t)
	id := e.create("Old", 1)
	before := e.last()
	if err := e.m.EditBackup(e.ctx, e.bob, id, "Mine", ""); domain.KindOf(err) != domain.KindForbidden {
		t.Errorf("another user edited: %v", err)
	}
	if err := e.m.EditBackup(e.ctx, e.ada, id, "", strings.Repeat("d", backup.MaxDescription+1)); !slices.Equal(domain.Fields(err), []string{"name", "description"}) {
		t.Errorf("refused on %q: %v", domain.Fields(err), err)
	}
	if err := e.m.EditBackup(e.ctx, e.ada, id, "Old", ""); err != nil {
		t.Errorf("nothing to change: %v", err)
	}
	e.unchanged("refused and empty edits", before)
	if err := e.m.EditBackup(e.ctx, e.ada, id, "New", "notes"); err != nil {
		t.Fatal(err)
	}
	out := e.add(id, "new-1", 1_000)
	if out.Title != "New – version 1" {
		t.Errorf("title %q", out.Title)
	}
}

// Versions added at once to one backup never share a number: each is
// decided again at its append, and one whose number was taken meanwhile
// is refused as a conflict on "file", its torrent deleted again.
func TestConcurrentVersions(t *testing.T) {
	e := newEnv(t)
	id := e.create("Racing", 1)
	const n = 5
	outs, errs := make([]Added, n), make([]error, n)
	files := make([]AddVersion, n)
	for i := range files {
		files[i] = e.version(id, "race-"+string(rune('a'+i)), 1_000)
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = e.m.AddVersion(e.ctx, e.ada, files[i])
		}()
	}
	wg.Wait()
	b, err := e.m.Backup(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	won := 0
	for i := range n {
		tor, terr := e.core.Torrent(e.ctx, outs[i].InfoHash)
		switch {
		case errs[i] == nil:
			won++
			if v, ok := b.Version(outs[i].Number); !ok || v.InfoHash != outs[i].InfoHash || tor.Title != Title("Racing", outs[i].Number) || tor.Deleted {
				t.Errorf("version %+v: in the backup as %+v, torrent %q deleted %v (%v)", outs[i], v, tor.Title, tor.Deleted, terr)
			}
		case domain.KindOf(errs[i]) != domain.KindConflict || domain.FieldOf(errs[i]) != "file":
			t.Errorf("a refused version: %v", errs[i])
		case terr == nil && !tor.Deleted:
			t.Errorf("a refused version's torrent %s stays registered", outs[i].InfoHash)
		}
	}
	if won == 0 || len(b.Versions) != won {
		t.Fatalf("%d versions added, the backup has %d", won, len(b.Versions))
	}
	for i, v := range b.Versions {
		if v.Number != i+1 {
			t.Errorf("version %d is numbered %d", i+1, v.Number)
		}
	}
}

// A standing that cannot be read refuses nothing and changes nothing: the
// change is unavailable, to try again.
func TestStandingUnavailable(t *testing.T) {
	e := newEnv(t)
	id := e.create("Later", 1)
	down := New(e.core, func(context.Context, domain.UserID) (backup.Standing, error) {
		return backup.Standing{}, errors.New("connection refused")
	}, allowance)
	before := e.last()
	if _, err := down.AddVersion(e.ctx, e.ada, e.version(id, "later-1", 1_000)); domain.KindOf(err) != domain.KindUnavailable {
		t.Errorf("adding a version: %v", err)
	}
	if err := down.AssignPoints(e.ctx, e.ada, id, 1); domain.KindOf(err) != domain.KindUnavailable {
		t.Errorf("assigning points: %v", err)
	}
	if err := down.SetRedundancy(e.ctx, e.ada, id, 2); err != nil {
		t.Errorf("raising the redundancy of a backup without versions asks nothing, yet: %v", err)
	}
	if err := down.SetRedundancy(e.ctx, e.ada, id, 1); err != nil {
		t.Errorf("lowering the redundancy: %v", err)
	}
	if after := e.last(); after != before+2 {
		t.Errorf("appended %d events, want the two redundancy changes", after-before)
	}
}
