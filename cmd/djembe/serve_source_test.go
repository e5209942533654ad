package main

import (
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
)

// --torrent-source (or DJEMBE_TORRENT_SOURCE, which the flag overrides)
// is "djembe" by default; one that is empty, too long, not printable
// ASCII or has a space at an end is refused, naming the flag.
func TestServeTorrentSource(t *testing.T) {
	withEnv := func(v string) *env {
		e := benchEnv()
		e.getenv = func(k string) string {
			if k == "DJEMBE_TORRENT_SOURCE" {
				return v
			}
			return ""
		}
		return e
	}
	for _, tc := range []struct {
		env  string
		args []string
		want string
	}{
		{"", nil, "djembe"},
		{"from.env", nil, "from.env"},
		{"from.env", []string{"--torrent-source", "My Tracker [MT]"}, "My Tracker [MT]"},
		{"", []string{"--torrent-source", strings.Repeat("x", 64)}, strings.Repeat("x", 64)},
	} {
		c, err := parseServe(withEnv(tc.env), tc.args)
		if err != nil || c.TorrentSource != tc.want {
			t.Errorf("env %q, %v: %q, %v; want %q", tc.env, tc.args, c.TorrentSource, err, tc.want)
		}
	}
	for bad, want := range map[string]string{
		"":                      "empty",
		strings.Repeat("x", 65): "65 characters long; keep it to 64",
		" djembe":               "begins or ends with a space",
		"djembe ":               "begins or ends with a space",
		"dj\tembe":              "only printable ASCII",
		"djémbe":                "only printable ASCII",
	} {
		_, err := parseServe(benchEnv(), []string{"--torrent-source", bad})
		if domain.KindOf(err) != domain.KindInvalid || !strings.Contains(err.Error(), "--torrent-source") || !strings.Contains(err.Error(), want) {
			t.Errorf("--torrent-source %q: %v; want a refusal saying %q", bad, err, want)
		}
	}
}
