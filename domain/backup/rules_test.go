package backup

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

const gib = domain.GiB

// history is a backup of 3 GiB over two versions wanting 2 copies.
func history() (Backup, []domain.Event) {
	id, owner := uuid.New(), uuid.New()
	evs := []domain.Event{
		BackupCreated{Backup: id, Owner: owner, Name: "photos", Redundancy: 2},
		VersionAdded{Backup: id, Owner: owner, Number: 1, InfoHash: domain.InfoHash{1}, Size: 1 * gib},
		VersionAdded{Backup: id, Owner: owner, Number: 2, InfoHash: domain.InfoHash{2}, Size: 2 * gib},
		BackupPointsAssigned{Backup: id, Owner: owner, Milli: 30_000},
	}
	var b Backup
	for _, e := range evs {
		b.Apply(e)
	}
	return b, evs
}

// Obligation is live size × redundancy; deleting a version or lowering
// the redundancy frees it at once; numbers are never reused.
func TestObligation(t *testing.T) {
	b, _ := history()
	if b.Obligation() != 6*gib || b.NextNumber() != 3 {
		t.Fatalf("obligation %d, next %d", b.Obligation(), b.NextNumber())
	}
	for _, tc := range []struct {
		name string
		e    domain.Event
		want uint64
	}{
		{"redundancy lowered to 1", BackupRedundancySet{Backup: b.ID, Redundancy: 1}, 3 * gib},
		{"version 2 deleted", VersionDeleted{Backup: b.ID, Number: 2}, 1 * gib},
		{"another backup's deletion", VersionDeleted{Backup: uuid.New(), Number: 1}, 1 * gib},
		{"redundancy raised to 5", BackupRedundancySet{Backup: b.ID, Redundancy: 5}, 5 * gib},
	} {
		b.Apply(tc.e)
		if got := b.Obligation(); got != tc.want {
			t.Errorf("%s: obligation %d, want %d", tc.name, got, tc.want)
		}
	}
	if b.NextNumber() != 3 {
		t.Errorf("a deleted version's number came free: next %d", b.NextNumber())
	}
	if Obligation(math.MaxUint64/2, 3) != math.MaxUint64 {
		t.Error("an obligation past 2^64 must saturate")
	}
}

// The quota refuses obligation past credit plus allowance, saying how many
// bytes to back up first; at the limit exactly it accepts.
func TestQuota(t *testing.T) {
	for _, tc := range []struct {
		name   string
		q      Quota
		more   uint64
		needed uint64 // 0: accepted
	}{
		{"a newcomer within the allowance", Quota{Allowance: gib}, gib, 0},
		{"a newcomer one byte past it", Quota{Allowance: gib}, gib + 1, 1},
		{"credit counts", Quota{Credit: 4 * gib, Allowance: gib}, 5 * gib, 0},
		{"obligation already taken counts", Quota{Credit: 4 * gib, Obligation: 3 * gib, Allowance: gib}, 3 * gib, gib},
		{"1 GB at 5x needs 5 GB backed up", Quota{Allowance: 0}, 5 * gib, 5 * gib},
		{"over already: all of it is needed", Quota{Credit: gib, Obligation: 3 * gib}, gib, gib},
		{"no overflow at the top", Quota{Credit: math.MaxUint64, Allowance: gib}, math.MaxUint64, 0},
	} {
		err := tc.q.CheckMore("add version", "file", tc.more)
		var qe *QuotaError
		switch {
		case tc.needed == 0 && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.needed != 0 && (!errors.As(err, &qe) || qe.Needed != tc.needed):
			t.Errorf("%s: %v, want %d bytes needed", tc.name, err, tc.needed)
		case tc.needed != 0 && (domain.KindOf(err) != domain.KindInvalid || domain.FieldOf(err) != "file"):
			t.Errorf("%s: a quota refusal is invalid beside its field: %v %q", tc.name, domain.KindOf(err), domain.FieldOf(err))
		}
	}
}

func TestInfoCheck(t *testing.T) {
	for _, tc := range []struct {
		in     Info
		fields []string
	}{
		{Info{Name: "photos", Redundancy: 3}, nil},
		{Info{Name: " ", Redundancy: 0}, []string{"name", "redundancy"}},
		{Info{Name: "x", Redundancy: MaxRedundancy + 1}, []string{"redundancy"}},
		{Info{Name: string(make([]byte, MaxNameLen+1)), Redundancy: 1, Description: string(make([]byte, MaxDescription+1))}, []string{"name", "description"}},
	} {
		if got := domain.Fields(tc.in.Check("create backup")); !slices.Equal(got, tc.fields) {
			t.Errorf("%+v: fields %v, want %v", tc.in.Redundancy, got, tc.fields)
		}
	}
}

// A version's state from its copies, what it wants and its owner: the
// issue's sequence for N = 2 is healthy (A, B and C seed), under-replicated
// (B stops), at risk (C stops, A alone), lost (A stops).
func TestStateOf(t *testing.T) {
	for _, tc := range []struct {
		copies, n int
		owner     bool
		want      State
	}{
		{2, 2, false, Healthy},
		{3, 2, true, Healthy},
		{1, 1, false, Healthy},
		{2, 3, false, UnderReplicated},
		{1, 2, true, UnderReplicated}, // one other user and the owner: two copies
		{1, 2, false, AtRisk},
		{0, 2, true, AtRisk}, // the owner's copy alone
		{0, 1, true, AtRisk},
		{0, 2, false, Lost},
		{0, 1, false, Lost},
	} {
		if got := StateOf(tc.copies, tc.n, tc.owner); got != tc.want {
			t.Errorf("%d of %d, owner seeding %v: %s, want %s", tc.copies, tc.n, tc.owner, got, tc.want)
		}
	}
}

// Every version has its backup's points, one added later too, and points
// move back and forth within the owner's balance.
func TestPointsInheritance(t *testing.T) {
	b, _ := history()
	b.Apply(VersionAdded{Backup: b.ID, Number: 3, InfoHash: domain.InfoHash{3}, Size: gib})
	for n := 1; n <= 3; n++ {
		if b.PointsOf(n) != 30_000 {
			t.Errorf("version %d: %d points, want the backup's 30", n, b.PointsOf(n))
		}
	}
	b.Apply(VersionDeleted{Backup: b.ID, Number: 1})
	b.Apply(BackupPointsAssigned{Backup: b.ID, Milli: 50_000})
	if b.PointsOf(1) != 0 || b.PointsOf(2) != 50_000 || b.PointsOf(3) != 50_000 || b.PointsOf(9) != 0 {
		t.Errorf("after a deletion and more points: %d %d %d", b.PointsOf(1), b.PointsOf(2), b.PointsOf(3))
	}
	for _, tc := range []struct {
		name                    string
		milli, already, balance int64
		ok                      bool
	}{
		{"all of the balance", 100_000, 0, 100_000, true},
		{"one more than the balance", 100_001, 0, 100_000, false},
		{"more on top of what it had", 150_000, 50_000, 100_000, true},
		{"back to nothing", 0, 50_000, 0, true},
		{"negative", -1, 0, 100_000, false},
	} {
		if err := CheckPoints("assign points", tc.milli, tc.already, tc.balance); (err == nil) != tc.ok || (err != nil && domain.FieldOf(err) != "points") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// Seeding pays per hour, per GiB and per missing copy; a healthy version
// pays nothing.
func TestPointsEarned(t *testing.T) {
	for _, tc := range []struct {
		name    string
		d       time.Duration
		size    uint64
		deficit int
		want    int64
	}{
		{"an hour of 1 GiB lacking one copy", time.Hour, gib, 1, 1000},
		{"half an hour", 30 * time.Minute, gib, 1, 500},
		{"a small version counts as 1 GiB", time.Hour, 10, 1, 1000},
		{"2.5 GiB counts as 3", time.Hour, 5 * gib / 2, 1, 3000},
		{"lacking three copies", time.Hour, gib, 3, 3000},
		{"healthy", time.Hour, gib, 0, 0},
		{"over-replicated", time.Hour, gib, -1, 0},
		{"no time", 0, gib, 2, 0},
		{"a second", time.Second, gib, 1, 0},
		{"no overflow", time.Duration(math.MaxInt64), math.MaxUint64 / 2, 10, math.MaxInt64},
	} {
		if got := PointsEarned(tc.d, tc.size, tc.deficit); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

// The backup credit of an announce: its download within the bounds.
func TestCredit(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    domain.Announce
		size uint64
		want uint64
	}{
		{"a download", domain.Announce{Downloaded: 300, Credit: domain.Credit{RawDown: 200}}, 1000, 200},
		{"a new session", domain.Announce{Downloaded: 300, Credit: domain.Credit{NewSession: true}}, 1000, 0},
		{"past the size", domain.Announce{Downloaded: 1500, Credit: domain.Credit{RawDown: 1000, Caps: domain.CapDownSize}}, 1000, 500},
		{"past the size from the start", domain.Announce{Downloaded: 2000, Credit: domain.Credit{RawDown: 800, Caps: domain.CapDownSize}}, 1000, 0},
		{"faster than possible", domain.Announce{Downloaded: 300, Credit: domain.Credit{RawDown: 200, Caps: domain.CapDownRate}}, 1000, 0},
	} {
		if got := Credit(&tc.a, tc.size); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

// The queue: at risk first, then under-replicated, lost last; then by
// points, deficit and age.
func TestQueueOrder(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	entries := map[string]QueueEntry{
		"lost":                   {State: Lost, PointsMilli: 900_000, Deficit: 5, Added: t0},
		"under, 10 points":       {State: UnderReplicated, PointsMilli: 10_000, Deficit: 1, Added: t0},
		"under, 0 points, -3":    {State: UnderReplicated, Deficit: 3, Added: t0},
		"under, 0 points, -1":    {State: UnderReplicated, Deficit: 1, Added: t0},
		"under, 0 points, -1, 2": {State: UnderReplicated, Deficit: 1, Added: t0.Add(time.Hour)},
		"at risk, 0 points":      {State: AtRisk, Deficit: 1, Added: t0},
		"at risk, 5 points":      {State: AtRisk, PointsMilli: 5000, Deficit: 1, Added: t0.Add(time.Hour)},
	}
	var names []string
	for n := range entries {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		switch {
		case Before(entries[a], entries[b]):
			return -1
		case Before(entries[b], entries[a]):
			return 1
		}
		return 0
	})
	want := []string{"at risk, 5 points", "at risk, 0 points", "under, 10 points", "under, 0 points, -3", "under, 0 points, -1",
		"under, 0 points, -1, 2", "lost"}
	if !slices.Equal(names, want) {
		t.Errorf("queue %q\nwant  %q", names, want)
	}
}
