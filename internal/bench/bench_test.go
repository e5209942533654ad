package bench

import (
	"testing"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/loadgen"
)

// valid is a Config that passes Check, with the flags' defaults.
func valid() Config {
	return Config{Users: 2000, Torrents: 20000, Peers: 200000, Conns: 64, Duration: 10 * time.Second,
		Mode: "both", Skew: 1, Numwant: 50, Seed: 1, Rounds: 1}
}

func TestCheckRefusesAndDerives(t *testing.T) {
	for name, spoil := range map[string]func(*Config){
		"users": func(c *Config) { c.Users = 0 }, "peers": func(c *Config) { c.Peers = 0 },
		"conns": func(c *Config) { c.Conns = 10001 }, "mode": func(c *Config) { c.Mode = "pipelined" },
		"duration": func(c *Config) { c.Duration = 0 }, "rate": func(c *Config) { c.Rate = "fast" },
		"negative rate": func(c *Config) { c.Rate = "-5" }, "skew": func(c *Config) { c.Skew = -1 },
		"rounds": func(c *Config) { c.Rounds = 0 },
	} {
		c := valid()
		spoil(&c)
		if err := c.Check(); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("%s: got %v, want a refusal", name, err)
		}
	}
	c := valid()
	c.PeersOnly, c.Mode, c.Rate = 1000000, "close", "half"
	if err := c.Check(); err != nil || c.Peers != 1000000 || c.Settle != 5*time.Minute ||
		len(c.Modes()) != 1 || c.Modes()[0] != loadgen.Close || c.OpenRate() != 0 {
		t.Fatalf("%+v, %v", c, err)
	}
	if err := c.Check(); err != nil || c.Peers != 1000000 || c.Settle != 5*time.Minute {
		t.Fatalf("checked twice: %+v, %v", c, err)
	}
	c = valid()
	c.Rate = "5000"
	if err := c.Check(); err != nil || c.OpenRate() != 5000 || len(c.Modes()) != 2 || c.Settle != 30*time.Second {
		t.Fatalf("rate %v modes %v settle %v: %v", c.OpenRate(), c.Modes(), c.Settle, err)
	}
}

func TestLoggenCheck(t *testing.T) {
	ok := LoggenConfig{Announces: 0, Users: 1, Torrents: 1, Peers: 1, Batch: 1}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []LoggenConfig{{Users: 0, Torrents: 1, Peers: 1, Batch: 1}, {Announces: -1, Users: 1, Torrents: 1, Peers: 1, Batch: 1},
		{Users: 1, Torrents: 1, Peers: 1, Batch: 0}} {
		if err := bad.Check(); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("%+v: got %v, want a refusal", bad, err)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{0.8}, 0.8}, {[]float64{0.7, 0.9}, 0.8}, {[]float64{0.1, 0.85, 0.9}, 0.85}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestTrackerTarget(t *testing.T) {
	tg, err := trackerTarget("http://127.0.0.1:6969/t/")
	if err != nil || tg.Addr != "127.0.0.1:6969" || tg.PathPrefix != "/t" || tg.Host != "127.0.0.1:6969" {
		t.Fatalf("%+v %v", tg, err)
	}
	if tg, err := trackerTarget("http://localhost"); err != nil || tg.Addr != "localhost:80" {
		t.Fatalf("%+v %v", tg, err)
	}
	for _, bad := range []string{"", "https://127.0.0.1:6969", "127.0.0.1:6969", "http://"} {
		if _, err := trackerTarget(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestUnknownRefusal(t *testing.T) {
	for reason, want := range map[string]bool{
		"unknown passkey: check your .torrent":        true,
		"Unregistered torrent":                        true,
		"this torrent is not registered here":         true,
		"client not allowed: -XX0000-":                false,
		"announcing too often: wait for min interval": false,
		"": false,
	} {
		if got := unknownRefusal(reason); got != want {
			t.Errorf("%q: %v", reason, got)
		}
	}
}
