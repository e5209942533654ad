package loadgen

import (
	"bufio"
	"bytes"
	"net/http"
	"strings"
	"testing"
)

func testPopulation(t testing.TB, peers int) *Population {
	t.Helper()
	users := []User{{"bench-u-000001", "0123456789abcdef0123456789abcdef"}, {"bench-u-000002", "fedcba9876543210fedcba9876543210"}}
	torrents := []Torrent{SynthTorrent(0), SynthTorrent(1), SynthTorrent(2)}
	pop, err := NewPopulation(users, torrents, DefaultShape(peers), 0xbeef)
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

func TestAppendRequestIsAValidAnnounce(t *testing.T) {
	pop := testPopulation(t, 10)
	pe := &pop.Peers[3]
	pe.Uploaded, pe.Downloaded, pe.Left = 123, 456, 789
	target := Target{Addr: "127.0.0.1:6969", PathPrefix: "/t"}
	raw := pop.appendRequest(nil, &target, request{peer: 3, event: EventCompleted, close: true})
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("%v in %q", err, raw)
	}
	q := req.URL.Query()
	want := map[string]string{
		"info_hash": string(pop.Torrents[pe.Torrent].InfoHash[:]),
		"peer_id":   string(pop.PeerID(3)),
		"uploaded":  "123", "downloaded": "456", "left": "789",
		"event": "completed", "compact": "1", "numwant": "50",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if req.URL.Path != "/t/announce/"+pop.Users[pe.User].Passkey {
		t.Errorf("path %q", req.URL.Path)
	}
	if req.Host != "127.0.0.1:6969" || !req.Close || req.Header.Get("User-Agent") == "" {
		t.Errorf("host %q close %v agent %q", req.Host, req.Close, req.Header.Get("User-Agent"))
	}
	if len(q.Get("peer_id")) != 20 || len(q.Get("key")) != 8 {
		t.Errorf("peer_id %q key %q", q.Get("peer_id"), q.Get("key"))
	}
	none := pop.appendRequest(nil, &target, request{peer: 3, event: EventNone})
	if bytes.Contains(none, []byte("event=")) || bytes.Contains(none, []byte("Connection")) {
		t.Errorf("a regular keep-alive announce carries no event and no Connection header: %q", none)
	}
}

func TestPeerIDsAreDistinctAndAllowed(t *testing.T) {
	pop := testPopulation(t, 50000)
	seen := map[string]bool{}
	for i := range pop.Peers {
		id := string(pop.PeerID(i))
		if len(id) != 20 || seen[id] {
			t.Fatalf("peer %d id %q: length %d, duplicate %v", i, id, len(id), seen[id])
		}
		seen[id] = true
		if !strings.HasPrefix(id, clients[pop.Peers[i].Client].prefix) {
			t.Fatalf("peer %d id %q lacks its client prefix", i, id)
		}
	}
	other, _ := NewPopulation(pop.Users, pop.Torrents, pop.Shape, 0xcafe)
	if bytes.Equal(other.PeerID(0), pop.PeerID(0)) {
		t.Error("a different nonce must give different peer ids")
	}
}

func TestAppendEscaped(t *testing.T) {
	got := string(appendEscaped(nil, []byte{'a', 'Z', '9', '-', '.', '_', '~', ' ', 0, 0xff, '%', '&'}))
	if want := "aZ9-._~%20%00%FF%25%26"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
