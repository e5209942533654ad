package projectiontest

import (
	"context"
	"slices"
	"testing"

	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections"
	"github.com/jackc/pgx/v5"
)

// oneTransaction applies the history with one Apply call per event, all in
// one transaction, and requires the tables of an undisturbed run: the
// runtime makes several calls in one transaction when it isolates an event
// the projection refuses, and when a rebuild's swap catches up, so what one
// call leaves behind in the transaction (a staging table's rows, say) must
// not reach the next.
func oneTransaction(t *testing.T, p projections.Projection, log *eventlog.Log, want string) {
	ctx := context.Background()
	pool := testenv.DB(t)
	consumes := p.Consumes()
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		schema := pgx.Identifier{p.Name()}.Sanitize()
		if _, err := tx.Exec(ctx, "CREATE SCHEMA "+schema+"; SET LOCAL search_path TO "+schema+", public"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, p.Schema()); err != nil {
			return err
		}
		for _, rec := range readAll(t, log) {
			if !slices.Contains(consumes, rec.Meta.Type) {
				continue
			}
			e, err := rec.DecodeChecked()
			if err != nil {
				continue // quarantined: the runtime skips it too
			}
			ev := projections.Event{Seq: rec.Seq, Subject: rec.Subject, Meta: rec.Meta, Event: e}
			if err := p.Apply(ctx, tx, []projections.Event{ev}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := testenv.DumpSchema(t, pool, p.Name()); got != want {
		t.Fatalf("with one Apply call per event in one transaction the tables differ:\n got %s\nwant %s", got, want)
	}
}
