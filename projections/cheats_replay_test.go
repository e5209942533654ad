package projections

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/jackc/pgx/v5/pgxpool"
)

// cheatHistory is a generated history over about five days with capped
// claims among the honest ones: some upload claimed into an empty swarm
// (nothing credited), some of it forged beyond any rate.
func cheatHistory(seed uint64, messages int) []domain.Event {
	g := newHistGen(seed, 30, 40, 100, 40_000)
	rng := rand.New(rand.NewPCG(seed, 3))
	var evs []domain.Event
	for _, r := range g.registrations() {
		evs = append(evs, r)
	}
	for m := 0; m < messages; m++ {
		b := g.batch(1 + rng.IntN(200))
		for i := range b.Announces {
			if a := &b.Announces[i]; a.RawUp > 0 && rng.IntN(20) == 0 {
				a.Caps, a.CreditedUp = domain.CapUpEmpty, 0
				if rng.IntN(3) == 0 {
					a.Caps, a.RawUp = a.Caps|domain.CapUpRate, 1<<62+rng.Uint64N(1<<40)
				}
			}
		}
		evs = append(evs, b)
		if m == messages/2 {
			evs = append(evs, g.deleteTorrent(0)...)
		}
	}
	return evs
}

// cheatModel is what the cheats tables must hold, computed from the
// events without the projection's code: rows as text, keyed as the
// tables are.
type cheatModel struct {
	users, days map[string]*[4]*big.Int // claimed up and down, credited up and down
	claims      map[string]string
}

func newCheatModel() *cheatModel {
	return &cheatModel{users: map[string]*[4]*big.Int{}, days: map[string]*[4]*big.Int{}, claims: map[string]string{}}
}

func (m *cheatModel) add(seq uint64, b *domain.AnnounceBatch) {
	for i := range b.Announces {
		a := &b.Announces[i]
		if a.RawUp == 0 && a.RawDown == 0 && a.CreditedUp == 0 && a.CreditedDown == 0 && a.Caps == 0 {
			continue
		}
		day := time.UnixMilli(a.TimeMillis).UTC().Format(time.DateOnly)
		for _, k := range []struct {
			m   map[string]*[4]*big.Int
			key string
		}{{m.users, fmt.Sprintf("%s %s %x", day, a.UserID, a.InfoHash[:])}, {m.days, fmt.Sprintf("%s %x", day, a.InfoHash[:])}} {
			if k.m[k.key] == nil {
				k.m[k.key] = &[4]*big.Int{new(big.Int), new(big.Int), new(big.Int), new(big.Int)}
			}
			for j, v := range []uint64{a.RawUp, a.RawDown, a.CreditedUp, a.CreditedDown} {
				k.m[k.key][j].Add(k.m[k.key][j], new(big.Int).SetUint64(v))
			}
		}
		if a.Caps != 0 {
			m.claims[fmt.Sprintf("%d %d", seq, i)] = fmt.Sprintf("%d %s %x {%s} %d %d %d %d", a.TimeMillis, a.UserID, a.InfoHash[:],
				strings.Join(a.Caps.Names(), ","), a.RawUp, a.RawDown, a.CreditedUp, a.CreditedDown)
		}
	}
}

// check compares the model with the tables of schema.
func (m *cheatModel) check(t *testing.T, pool *pgxpool.Pool, schema string) {
	t.Helper()
	maxBigint := big.NewInt(math.MaxInt64)
	sums := func(s *[4]*big.Int) string { // the exact sums, saturated at the largest bigint
		var out []string
		for _, v := range s {
			if v.Cmp(maxBigint) > 0 {
				v = maxBigint
			}
			out = append(out, v.String())
		}
		return strings.Join(out, " ")
	}
	want := map[string]string{}
	for k, s := range m.users {
		want["user_days "+k] = sums(s)
	}
	for k, s := range m.days {
		want["torrent_days "+k] = sums(s)
	}
	for k, c := range m.claims {
		want["capped_claims "+k] = c
	}
	got := readCheatTables(t, pool, schema)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected row %q", k, g)
		}
	}
	if len(m.claims) < 10 || len(m.days) < 20 || !strings.Contains(fmt.Sprint(want), "9223372036854775807") {
		t.Fatalf("the history has %d capped claims, %d torrent days and maybe no saturated sum: too few to tell", len(m.claims), len(m.days))
	}
}

// readCheatTables reads the rows of the cheats tables in schema, keyed and
// rendered as cheatModel does.
func readCheatTables(t *testing.T, pool *pgxpool.Pool, schema string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, q := range []string{
		`SELECT 'user_days ' || day || ' ' || user_id || ' ' || encode(info_hash, 'hex'), concat_ws(' ', raw_uploaded, raw_downloaded, uploaded, downloaded) FROM %s.user_days`,
		`SELECT 'torrent_days ' || day || ' ' || encode(info_hash, 'hex'), concat_ws(' ', raw_uploaded, raw_downloaded, uploaded, downloaded) FROM %s.torrent_days`,
		`SELECT 'capped_claims ' || seq || ' ' || idx, concat_ws(' ', (extract(epoch FROM at) * 1000)::int8, user_id, encode(info_hash, 'hex'),
			'{' || array_to_string(caps, ',') || '}', raw_uploaded, raw_downloaded, uploaded, downloaded) FROM %s.capped_claims`,
	} {
		rows, err := pool.Query(context.Background(), fmt.Sprintf(q, schema))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			got[k] = v
		}
		if rows.Close(); rows.Err() != nil {
			t.Fatal(rows.Err())
		}
	}
	return got
}

// TestCheatsReplayEqualsLive projects a generated history live while it
// is appended, checks the tables against a model computed from the
// events, then rebuilds them from the log and requires the same rows.
func TestCheatsReplayEqualsLive(t *testing.T) {
	e := newAnnEnv(t)
	e.follow(CheatSignals{})
	model := newCheatModel()
	for _, ev := range cheatHistory(5, 120) {
		subject, opts := subjectOf(ev)
		e.append(subject, ev, opts...)
		if b, ok := ev.(*domain.AnnounceBatch); ok {
			model.add(e.last, b)
		}
	}
	e.sync()
	model.check(t, e.pool, "cheats")
	live := testenv.DumpTables(t, e.pool, "cheats")
	if err := NewProjector(CheatSignals{}, e.pool, e.log).Rebuild(e.ctx, nil); err != nil {
		t.Fatal(err)
	}
	testenv.DiffDumps(t, "cheats live vs rebuilt", live, testenv.DumpTables(t, e.pool, "cheats"))
}
