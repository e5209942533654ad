package demo

import (
	"crypto/rand"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Person is a sample user and how they behave in swarms.
type Person struct {
	Name   string
	Staff  bool
	Client string     // peer_id prefix, Azureus style: the client's name shows on the site
	Addr   netip.Addr // a documentation address (RFC 5737)
	Port   uint16
	// Down is the most the user downloads, Up the most they upload to one
	// swarm, in bytes per second.
	Down, Up float64
	// Appetite weighs how many torrents they download; Taste multiplies it
	// per category; BigTaste favours large torrents.
	Appetite float64
	Taste    map[string]float64
	BigTaste bool
	// Early: they grab new uploads within hours (a seedbox with RSS).
	Early bool
	// SeedMin and SeedMax bound how long they seed what they completed.
	SeedMin, SeedMax time.Duration
	// Uploads weighs how many of the catalog's torrents they upload.
	Uploads float64
	// ActiveUntil ends their activity at this share of the weeks (0: to the end).
	ActiveUntil float64
	// Idle: registered, never announced.
	Idle bool
	// FakeUp, when above 0, makes them a cheat: their client (a ratio
	// faker) claims this many bytes a second of upload on top of what it
	// made, in every session, which the tracker credits only within its
	// bounds and the cheat signals show staff.
	FakeUp float64
	// Disabled is the reason staff give for disabling them at the end ("": not disabled).
	Disabled string
	// Invites granted to them.
	Invites int
}

const mibps = float64(1 << 20)

// People are the demo's users: the staff user first. Their names are
// what the demo claims, and what makes a second run refuse.
func People() []Person {
	day := 24 * time.Hour
	a := func(s string) netip.Addr { return netip.MustParseAddr(s) }
	return []Person{
		{Name: "admin", Staff: true, Client: "-TR4060-", Addr: a("203.0.113.10"), Port: 51413, Down: 20 * mibps, Up: 4 * mibps,
			Appetite: 0.5, SeedMin: day, SeedMax: 3 * day, Uploads: 2, Invites: 0},
		{Name: "kestrel", Client: "-DE211s-", Addr: a("198.51.100.23"), Port: 58846, Down: 60 * mibps, Up: 40 * mibps,
			Appetite: 0.4, Early: true, SeedMin: 4 * day, SeedMax: 8 * day, Uploads: 2, Invites: 5},
		{Name: "mira", Client: "-qB4630-", Addr: a("192.0.2.14"), Port: 6881, Down: 12 * mibps, Up: 4 * mibps,
			Appetite: 1.0, Taste: map[string]float64{"Music": 2}, SeedMin: day, SeedMax: 2 * day, Uploads: 2, Invites: 2},
		{Name: "otto", Client: "-qB4630-", Addr: a("192.0.2.77"), Port: 49160, Down: 25 * mibps, Up: 1 * mibps,
			Appetite: 0.3, BigTaste: true, SeedMin: 30 * time.Minute, SeedMax: 90 * time.Minute, Invites: 0},
		{Name: "juniper", Client: "-TR4060-", Addr: a("192.0.2.31"), Port: 51413, Down: 8 * mibps, Up: 3 * mibps,
			Appetite: 0.9, Taste: map[string]float64{"Books": 2.5}, SeedMin: day, SeedMax: 2 * day, Uploads: 1, Invites: 2},
		{Name: "basil", Client: "-LT2090-", Addr: a("198.51.100.42"), Port: 6889, Down: 15 * mibps, Up: 4 * mibps,
			Appetite: 1.0, Taste: map[string]float64{"Games": 3}, SeedMin: 2 * day, SeedMax: 3 * day, Uploads: 1, Invites: 1},
		{Name: "wren", Client: "-qB4630-", Addr: a("192.0.2.58"), Port: 40123, Down: 6 * mibps, Up: 2.5 * mibps,
			Appetite: 0.6, Taste: map[string]float64{"Music": 3}, SeedMin: day, SeedMax: 2 * day, Uploads: 1, Invites: 1},
		{Name: "ines", Client: "-TR4060-", Addr: a("203.0.113.61"), Port: 51413, Down: 10 * mibps, Up: 3 * mibps,
			Appetite: 0.8, Taste: map[string]float64{"Books": 2, "TV": 1.5}, SeedMin: day, SeedMax: 2 * day, Uploads: 1.5, Invites: 2},
		{Name: "tomas", Client: "-qB4630-", Addr: a("198.51.100.87"), Port: 6881, Down: 30 * mibps, Up: 5 * mibps,
			Appetite: 1.0, Taste: map[string]float64{"Movies": 2, "TV": 1.5}, SeedMin: day, SeedMax: 3 * day, Uploads: 1, Invites: 2},
		{Name: "priya", Client: "-DE211s-", Addr: a("203.0.113.95"), Port: 58846, Down: 10 * mibps, Up: 3 * mibps,
			Appetite: 0.8, Taste: map[string]float64{"Software": 2.5}, SeedMin: day, SeedMax: 2 * day, Uploads: 1.5, Invites: 1,
			FakeUp: 24 << 10},
		{Name: "fenna", Client: "-lt0D80-", Addr: a("192.0.2.103"), Port: 50000, Down: 20 * mibps, Up: 6 * mibps,
			Appetite: 0.9, SeedMin: 2 * day, SeedMax: 4 * day, Uploads: 1, Invites: 2},
		{Name: "lior", Client: "-qB4630-", Addr: a("203.0.113.140"), Port: 6881, Down: 12 * mibps, Up: 1.5 * mibps,
			Appetite: 0.9, SeedMin: 12 * time.Hour, SeedMax: day, ActiveUntil: 0.45,
			Disabled: "account shared outside the household; write to staff to have it back"},
		{Name: "sable", Client: "-TR4060-", Addr: a("192.0.2.200"), Port: 51413, Idle: true, Invites: 1},
	}
}

// passwordWords make passwords people can type from the printout.
var passwordWords = strings.Fields(`amber anchor aspen basalt beacon birch cinder cobalt comet coral
	crane delta dune ember fable fern fjord flint garnet glacier harbor hazel heron indigo iris jasper
	juniper kelp lagoon lantern larch lumen maple marble meadow mica nimbus oak onyx orbit pebble
	pine prism quartz raven reed ridge saffron sequoia sierra slate sorrel spruce tundra umber
	violet walnut willow zephyr`)

// NewPassword is five words and a number drawn with crypto/rand (not
// from the seed: two demo sites never share passwords), about 36 bits.
func NewPassword() string {
	n := func(max int) int {
		v, err := rand.Int(rand.Reader, big.NewInt(int64(max)))
		if err != nil {
			panic(err) // crypto/rand does not fail
		}
		return int(v.Int64())
	}
	parts := make([]string, 0, 6)
	for range 5 {
		parts = append(parts, passwordWords[n(len(passwordWords))])
	}
	parts = append(parts, strconv.Itoa(10+n(90)))
	return strings.Join(parts, "-")
}
