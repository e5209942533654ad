// Package bench measures a running Djembe serve: `djembe bench` drives
// announces at its tracker and reports speed and memory (Run), its hidden
// helper serves the trivial net/http baseline it is compared with
// (ServeBaseline), and `djembe loggen` appends a synthetic history to
// measure appends and replay (Loggen).
//
// The package writes progress and tables to the io.Writer it is given, never
// to the process's own streams, and returns its results for the caller to
// print. A refused configuration is an error of kind domain.KindInvalid.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"sort"

	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/loadgen"
)

// Summary is the JSON `djembe bench` prints on stdout.
type Summary struct {
	Setup       SetupReport          `json:"setup"`
	Shape       ShapeReport          `json:"shape"`
	Runs        []*loadgen.Result    `json:"runs"`
	Memory      *MemoryReport        `json:"memory,omitempty"`
	Ratios      map[string]float64   `json:"tracker_to_baseline_ratio,omitempty"` // by mode: tracker req/s ÷ baseline req/s, the median over the rounds
	RoundRatios map[string][]float64 `json:"round_ratios,omitempty"`              // by mode: each round's ratio
}

// ShapeReport describes the simulated load.
type ShapeReport struct {
	Users         int     `json:"users"`
	Torrents      int     `json:"torrents"`
	Peers         int     `json:"peers"`
	Skew          float64 `json:"zipf_skew"`
	SeedFraction  float64 `json:"seed_fraction"`
	StopRate      float64 `json:"stop_rate"`
	Numwant       int     `json:"numwant"`
	Conns         int     `json:"conns"`
	BiggestSwarms []int   `json:"biggest_swarms"`
	MedianSwarm   int     `json:"median_swarm"`
	EmptyTorrents int     `json:"torrents_without_peers"`
}

// Run creates simulated users and torrents as events in the log of the serve
// running on ic's data directory, waits until its tracker knows them, drives
// announces at it and reports speed and memory: a table on stderr, and the
// summary it returns. It refuses (domain.KindInvalid) a Config that fails
// Check and a data directory no serve holds. Every phase is bounded and all
// traffic goes to loopback addresses.
func Run(ctx context.Context, ic instance.Config, c *Config, stderr io.Writer) (*Summary, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	noServe := refuse("bench: no djembe serve is running on %s; start `djembe serve --data %s` first", ic.DataDir, ic.DataDir)
	if !instance.Held(ic.DataDir) {
		return nil, noServe
	}
	inst, err := instance.Open(ctx, ic, instance.Client)
	if err != nil {
		return nil, err
	}
	if inst.Owner { // the serve stopped meanwhile
		inst.Close()
		return nil, noServe
	}
	if c.TrackerURL == "" {
		c.TrackerURL = inst.Runtime.TrackerURL
	}
	if c.OpsURL == "" && inst.Runtime.OpsAddr != "" {
		c.OpsURL = "http://" + inst.Runtime.OpsAddr
	}
	target, err := trackerTarget(c.TrackerURL)
	if err != nil {
		inst.Close()
		return nil, err
	}
	fmt.Fprintf(stderr, "bench: tracker %s, metrics %s\n", c.TrackerURL, orNone(c.OpsURL))
	users, torrents, setup, err := setupAll(ctx, stderr, inst, c)
	inst.Close()
	if err != nil {
		return nil, err
	}
	b := &bench{w: stderr, c: c, target: target, summary: Summary{Setup: setup}}
	if err := b.run(ctx, users, torrents); err != nil {
		return nil, err
	}
	return &b.summary, nil
}

// bench runs the phases of one Run and collects the summary.
type bench struct {
	w       io.Writer // stderr: progress and the table
	c       *Config
	target  loadgen.Target
	summary Summary
}

func (b *bench) run(ctx context.Context, users []loadgen.User, torrents []loadgen.Torrent) (err error) {
	shape := loadgen.DefaultShape(b.c.Peers)
	shape.Skew, shape.Numwant, shape.Seed = b.c.Skew, b.c.Numwant, b.c.Seed
	pop, err := loadgen.NewPopulation(users, torrents, shape, randomNonce())
	if err != nil {
		return err
	}
	b.describe(pop)
	loadgen.WriteTableHeader(b.w)
	// Memory is the point of --peers-only: the before reading settles too.
	before, beforeHow := b.reading(ctx, b.c.PeersOnly > 0)
	fill, err := b.phase(ctx, pop, loadgen.Config{Name: "tracker fill", Target: b.target, Conns: b.c.Conns, Once: true})
	if err != nil {
		return err
	}
	if !b.c.KeepPeers {
		defer b.leave(ctx, pop, &err)
	}
	b.memory(ctx, before, beforeHow, fill)
	if b.c.PeersOnly > 0 {
		return nil
	}
	return b.rounds(ctx, pop)
}

// describe records and prints the shape of the simulated population.
func (b *bench) describe(pop *loadgen.Population) {
	sizes := pop.SwarmSizes()
	sort.Sort(sort.Reverse(sort.IntSlice(sizes)))
	empty := 0
	for _, n := range sizes {
		if n == 0 {
			empty++
		}
	}
	s := pop.Shape
	b.summary.Shape = ShapeReport{Users: len(pop.Users), Torrents: len(pop.Torrents), Peers: len(pop.Peers), Skew: s.Skew,
		SeedFraction: s.SeedFraction, StopRate: s.StopRate, Numwant: s.Numwant, Conns: b.c.Conns,
		BiggestSwarms: sizes[:min(5, len(sizes))], MedianSwarm: sizes[len(sizes)/2], EmptyTorrents: empty}
	fmt.Fprintf(b.w, "shape: %d peers of %d users on %d torrents (Zipf s=%.2f: biggest swarms %v, median %d, %d without peers), %.0f%% seeders, %.0f%% stops, numwant %d, %d conns\n",
		len(pop.Peers), len(pop.Users), len(pop.Torrents), s.Skew, b.summary.Shape.BiggestSwarms, b.summary.Shape.MedianSwarm, empty,
		100*s.SeedFraction, 100*s.StopRate, s.Numwant, b.c.Conns)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func randomNonce() uint16 {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint16(b[:])
}
