package testenv

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DumpTables reads every table of schema as sorted text rows.
func DumpTables(t testing.TB, pool *pgxpool.Pool, schema string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, schema)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, tb := range tables {
		rows, err := pool.Query(ctx, fmt.Sprintf(`SELECT x::text FROM %q.%q x ORDER BY 1`, schema, tb))
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, s)
		}
		rows.Close()
		out[tb] = lines
	}
	return out
}

// DiffDumps reports the first differences between two dumps.
func DiffDumps(t testing.TB, what string, a, b map[string][]string) {
	t.Helper()
	for tb, ra := range a {
		rb, ok := b[tb]
		if !ok {
			t.Errorf("%s: table %s missing", what, tb)
			continue
		}
		if slices.Equal(ra, rb) {
			continue
		}
		setB := map[string]bool{}
		for _, r := range rb {
			setB[r] = true
		}
		setA := map[string]bool{}
		for _, r := range ra {
			setA[r] = true
		}
		n := 0
		for _, r := range ra {
			if !setB[r] && n < 5 {
				t.Errorf("%s: %s only before: %s", what, tb, r)
				n++
			}
		}
		for _, r := range rb {
			if !setA[r] && n < 10 {
				t.Errorf("%s: %s only after:  %s", what, tb, r)
				n++
			}
		}
		t.Errorf("%s: table %s differs (%d vs %d rows)", what, tb, len(ra), len(rb))
	}
	if len(a) != len(b) {
		t.Errorf("%s: %d tables vs %d", what, len(a), len(b))
	}
}

// DumpSchema renders every row of every table in schema, sorted, so two
// dumps are equal exactly when the tables are equal row for row. A schema
// without tables fails the test.
func DumpSchema(t testing.TB, pool *pgxpool.Pool, schema string) string {
	t.Helper()
	tables := DumpTables(t, pool, schema)
	if len(tables) == 0 {
		t.Fatalf("schema %s has no tables", schema)
	}
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		fmt.Fprintf(&b, "== %s\n%s\n", name, strings.Join(tables[name], "\n"))
	}
	return b.String()
}
