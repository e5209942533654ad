package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/djembe/djembe/projections"
)

// liveWait bounds how long the tracker may take to learn the demo's users
// and torrents, and the read models to show the live peers.
const liveWait = 15 * time.Second

// goLive starts the live sessions on the running serve's tracker, as
// their clients would: a "started" announce each, from this machine. The
// tracker holds them and reaps them once they fall silent, as it does
// every peer. Without a running tracker there are none, and one the
// tracker refuses is only reported: the history stands without them.
func (r *demoRun) goLive(ctx context.Context, live []LivePeer) error {
	addr := r.inst.Runtime.TrackerAddr
	if r.inst.Owner || addr == "" || len(live) == 0 {
		fmt.Fprintln(r.stderr, "demo: no tracker is running: no peer is live now (the history is complete without)")
		return nil
	}
	want := map[int][2]int{} // item: seeders, leechers
	started := 0
	for _, lp := range live {
		if err := r.announce(ctx, "http://"+addr, lp); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fmt.Fprintf(r.stderr, "demo: %v\n", err) // the history stands without
			continue
		}
		started++
		w := want[lp.Item]
		if lp.Left == 0 {
			w[0]++
		} else {
			w[1]++
		}
		want[lp.Item] = w
	}
	fmt.Fprintf(r.stderr, "demo: %d peers live on the tracker at %s (reaped once silent for two intervals)\n", started, addr)
	deadline := time.Now().Add(liveWait)
	for item, w := range want {
		for {
			sw, err := projections.TorrentSwarm(ctx, r.inst.Pool, r.hashes[item])
			if err != nil {
				return err
			}
			if sw.Seeders >= w[0] && sw.Leechers >= w[1] {
				break
			}
			if time.Now().After(deadline) {
				fmt.Fprintf(r.stderr, "demo: the swarm read model does not show the live peers of %s yet\n", r.hashes[item])
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}

// announce sends lp's "started" to the tracker at base, retrying while the
// tracker has not yet learned the user or the torrent from the log.
func (r *demoRun) announce(ctx context.Context, base string, lp LivePeer) error {
	pe := r.plan.People[lp.User]
	var id [20]byte
	n := copy(id[:], pe.Client)
	for i := n; i < len(id); i++ {
		id[i] = peerChars[rand.IntN(len(peerChars))]
	}
	h := r.hashes[lp.Item]
	q := "info_hash=" + url.QueryEscape(string(h[:])) + "&peer_id=" + url.QueryEscape(string(id[:])) +
		"&port=" + strconv.Itoa(int(pe.Port)) + "&uploaded=0&downloaded=0&left=" + strconv.FormatUint(lp.Left, 10) +
		"&event=started&compact=1&numwant=0"
	u := base + "/announce/" + string(r.keys[lp.User]) + "?" + q
	deadline := time.Now().Add(liveWait)
	for {
		reason, err := get(ctx, u)
		if err == nil && reason == "" {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("%s", reason)
			}
			return fmt.Errorf("the tracker at %s did not take a live peer of %s: %v", base, pe.Name, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// get announces at u and returns the tracker's failure reason ("" when
// it accepted the announce).
func get(ctx context.Context, u string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", errors.New("bad tracker address") // u holds a passkey: never quote it
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", err
	}
	var answer map[string]any
	if err := bencode.Unmarshal(body, &answer); err != nil {
		return "", fmt.Errorf("the tracker answered %s with %q", resp.Status, body)
	}
	reason, _ := answer["failure reason"].(string)
	return reason, nil
}
