package app

import (
	"math/rand/v2"
	"testing"

	"github.com/djembe/djembe/domain/domaintest"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/testenv"
	"github.com/djembe/djembe/projections/backup/backuptest"
	"github.com/djembe/djembe/projections/movies/moviestest"
	"github.com/djembe/djembe/projections/music/musictest"
	"github.com/djembe/djembe/projections/projectiontest"
)

// histories append, together, a history that exercises every registered
// projection: the core one, and one per plugin (a plugin adds its own here).
var histories = []func(testing.TB, *eventlog.Log){
	func(t testing.TB, log *eventlog.Log) { projectiontest.CoreHistory(t, log, 1) },
	func(t testing.TB, log *eventlog.Log) { projectiontest.AccountsHistory(t, log, 1) },
	func(t testing.TB, log *eventlog.Log) { musictest.History(t, log, 1) },
	func(t testing.TB, log *eventlog.Log) { moviestest.History(t, log, 1) },
	func(t testing.TB, log *eventlog.Log) { backuptest.History(t, log, 1) },
}

// TestEveryProjectionConforms runs the conformance suite over every
// projection the site runs, plugins' included. Each gets a log of its own
// holding the same history: the suite follows the log hundreds of times,
// and a stream keeps each follower (an ordered consumer) for minutes after
// it stops, up to NATS's default of 1,000 a stream.
func TestEveryProjectionConforms(t *testing.T) {
	for _, p := range Projections() {
		t.Run(p.Name(), func(t *testing.T) {
			log := testenv.Log(t)
			for _, h := range histories {
				h(t, log)
			}
			projectiontest.Run(t, p, log)
		})
	}
}

// TestEveryRegisteredEventSurvivesTheLog stores and reads back every event
// type registered by the core and the plugins, with random non-zero fields.
func TestEveryRegisteredEventSurvivesTheLog(t *testing.T) {
	if err := domaintest.CheckRoundTrips(rand.New(rand.NewPCG(11, 11)), 10); err != nil {
		t.Fatal(err)
	}
}
