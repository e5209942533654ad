package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Metrics is a Prometheus text exposition reduced to one number per metric
// name: the sum over its label sets. Types holds the declared TYPE of each
// family ("gauge", "counter", ...).
type Metrics struct {
	Values map[string]float64
	Types  map[string]string
}

// ParseMetrics reads the Prometheus text format.
func ParseMetrics(r io.Reader) (Metrics, error) {
	m := Metrics{Values: map[string]float64{}, Types: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if f := strings.Fields(line); len(f) >= 4 && f[0] == "#" && f[1] == "TYPE" {
			m.Types[f[2]] = f[3]
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		name, rest := line, ""
		if i := strings.IndexAny(line, "{ "); i >= 0 {
			name, rest = line[:i], line[i:]
		}
		if j := strings.LastIndexByte(rest, '}'); j >= 0 {
			rest = rest[j+1:]
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			continue
		}
		m.Values[name] += v
	}
	return m, sc.Err()
}

// ScrapeMetrics fetches and parses url (a /metrics endpoint), sending
// token as a bearer token unless it is "".
func ScrapeMetrics(ctx context.Context, url, token string) (Metrics, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return Metrics{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Metrics{}, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Metrics{}, fmt.Errorf("scrape %s: HTTP %s", url, resp.Status)
	}
	return ParseMetrics(resp.Body)
}

// PeerGauge finds the tracker's active-peer gauge: the named metric when name
// is set, else the first gauge (in name order) whose name contains "peers"
// and neither "seed" nor "leech" nor "max"/"limit". ok is false when none is
// exposed.
func (m Metrics) PeerGauge(name string) (string, float64, bool) {
	if name != "" {
		v, ok := m.Values[name]
		return name, v, ok
	}
	var names []string
	for n, t := range m.Types {
		if t == "gauge" && strings.Contains(n, "peers") && !strings.ContainsAny(n, "{") &&
			!strings.Contains(n, "seed") && !strings.Contains(n, "leech") && !strings.Contains(n, "max") && !strings.Contains(n, "limit") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		if v, ok := m.Values[n]; ok {
			return n, v, true
		}
	}
	return "", 0, false
}
