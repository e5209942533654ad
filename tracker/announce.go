package tracker

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/djembe/djembe/domain"
)

// reqState is one request's scratch space, pooled: parsing, peer selection
// and the response reuse its buffers, so a request allocates nothing here.
type reqState struct {
	ann     announceRequest
	scr     scrapeRequest
	res     announceResult
	peers   []peerOut
	entries []scrapeEntry
	buf     []byte
}

func newReqState(maxNumwant int) *reqState {
	return &reqState{
		peers:   make([]peerOut, 0, maxNumwant),
		entries: make([]scrapeEntry, 0, maxScrapeHashes),
		buf:     make([]byte, 0, 512+maxNumwant*18),
	}
}

// user is the user behind an announce or scrape URL's passkey, if that
// user may use the tracker at all. It comes before the query is read: a
// wrong or missing passkey is what the user has to fix first, whatever else
// is wrong. The refusal names the page of the torrent the query asks about,
// when it names one, to download the .torrent again from.
func (t *Tracker) user(passkey, query string) (userState, error) {
	if passkey == "" {
		return userState{}, t.refuse.noPasskey(firstInfoHash(query))
	}
	u, ok := t.users.lookup(passkey)
	switch {
	case !ok:
		return u, t.refuse.unknownPasskey(firstInfoHash(query))
	case u.disabled:
		return u, t.refuse.userDisabled()
	}
	return u, nil
}

// admit checks the rest of an announce that needs no swarm: the client,
// whether the user may download, and room in the publisher's queue.
func (t *Tracker) admit(u userState, req *announceRequest) error {
	switch {
	case !domain.ClientAllowed(*t.clients.Load(), req.peerID[:]):
		return t.refuse.clientNotAllowed(req.peerID[:])
	case u.noLeech && req.left > 0 && req.event != domain.EventStopped:
		return t.refuse.leechDisabled()
	case t.pub.full():
		return ErrBusy
	}
	return nil
}

// decide applies an admitted announce to its torrent's swarm, under the
// shard's lock: it checks the torrent, the peer's pace and, for a new peer,
// the user's peers in the swarm and rate of new peers; credits the
// announce against the peer's session within what was possible; updates
// the swarm; counts a snatch (a session that began with something left
// reporting none); samples peers into st.peers, fills st.res and queues the
// event. An error means nothing changed.
func (t *Tracker) decide(st *reqState, u userState, addr [16]byte, now time.Time) error {
	req := &st.ann
	sh := t.swarms.shardOf(&req.infoHash)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	tor := sh.torrents[req.infoHash]
	switch {
	case tor == nil:
		return t.refuse.unregistered()
	case tor.deleted:
		return ErrDeleted
	}
	before := tor.counts()
	nowTicks := t.clock.ticks(now.UnixMilli())
	pos := tor.find(u.idx, &req.peerID)
	var prev peer
	if pos >= 0 {
		prev = tor.peers[pos]
	}
	burst, err := t.pace(&st.res, &prev, pos >= 0, req.event, nowTicks)
	if err != nil {
		return err
	}
	if pos < 0 && req.event != domain.EventStopped {
		if err := t.admitNewPeer(tor, u.idx, now.UnixMilli()); err != nil {
			return err
		}
	}
	elapsed := time.Duration(int64(nowTicks-min(prev.seen, nowTicks))*tickMillis) * time.Millisecond
	credit := t.credit(tor, u.idx, &prev, pos >= 0, req, elapsed)
	wasLeeching := pos >= 0 && prev.flags&flagLeeched != 0
	snatch := completes(wasLeeching, credit.NewSession, req.left) && tor.addSnatch(u.idx)
	st.peers = st.peers[:0]
	if req.event == domain.EventStopped {
		if pos >= 0 {
			tor.drop(pos, nowTicks)
		}
	} else {
		p := peer{uploaded: req.uploaded, downloaded: req.downloaded, left: req.left, id: req.peerID,
			addr: addr, user: u.idx, seen: nowTicks, port: req.port, burst: burst}
		if req.event == domain.EventPaused {
			p.flags = flagPaused
		}
		if leeching(wasLeeching, credit.NewSession, req.left) {
			p.flags |= flagLeeched
		}
		if pos >= 0 {
			tor.set(pos, p)
		} else {
			tor.add(p)
		}
		st.peers = tor.sample(st.peers, u.idx, !p.downloading(), t.numwant(req.numwant), rand.Uint64())
	}
	sh.recount(tor, before)
	st.res.complete, st.res.incomplete = int(tor.nSeed), len(tor.peers)-int(tor.nSeed)
	st.res.snatches = len(tor.snatchers)
	prevState := domain.PeerAbsent
	if pos >= 0 {
		prevState = prev.state()
	}
	seed := domain.SeedTime(prevState, credit.NewSession, req.event, elapsed)
	var where domain.PeerAddr // a peer that leaves needs none: it is not restored
	if req.event != domain.EventStopped {
		where = domain.PeerAddr{IP: addr, Port: req.port}
	}
	sh.queue(domain.Announce{
		TimeMillis: now.UnixMilli(), InfoHash: req.infoHash, UserID: u.id, PeerID: req.peerID, Event: req.event,
		Uploaded: req.uploaded, Downloaded: req.downloaded, Left: req.left, Credit: credit,
		Prev: prevState, SeedMillis: uint64(seed.Milliseconds()), Snatch: snatch,
	}, where)
	return nil
}

// credit decides what an announce of a peer known (or not) as prev
// credits, within what was possible since its previous announce, elapsed
// ago: see domain.CreditAnnounce.
func (t *Tracker) credit(tor *torrent, user uint32, prev *peer, known bool, req *announceRequest, elapsed time.Duration) domain.Credit {
	return domain.CreditAnnounce(
		domain.Counters{Uploaded: prev.uploaded, Downloaded: prev.downloaded}, known,
		req.event == domain.EventStarted,
		domain.Counters{Uploaded: req.uploaded, Downloaded: req.downloaded}, tor.factors,
		domain.Bounds{MaxRate: t.cfg.MaxRate, Elapsed: elapsed, Size: tor.size, Leecher: tor.leecherSince(user, prev.seen)})
}

// numwant is how many peers to send: the client's wish, or the default,
// capped by MaxNumwant.
func (t *Tracker) numwant(asked int) int {
	if asked < 0 {
		return t.cfg.DefaultNumwant
	}
	return min(asked, t.cfg.MaxNumwant)
}

// pace enforces the minimum interval for a peer that announced before.
// Inside min interval, the first Burst announces in a row are answered
// with a warning and the next are refused; `stopped` and `completed` are
// never refused nor counted. It returns the peer's new burst count.
func (t *Tracker) pace(res *announceResult, prev *peer, known bool, ev domain.AnnounceEvent, now uint32) (uint8, error) {
	res.warning = res.warning[:0]
	if !known {
		return 0, nil
	}
	if ev == domain.EventStopped || ev == domain.EventCompleted {
		return prev.burst, nil
	}
	elapsed := now - min(prev.seen, now)
	if elapsed >= t.minIntervalTicks {
		return 0, nil
	}
	wait := int64(t.minIntervalTicks-elapsed) * tickMillis
	if int(prev.burst) >= t.cfg.Burst {
		return 0, tooOften((wait + 999) / 1000)
	}
	res.warning = appendQuickWarning(res.warning, elapsed, t.minIntervalTicks, t.cfg.Burst-int(prev.burst)-1)
	return prev.burst + 1, nil
}

// appendQuickWarning explains an announce answered although it came early.
// It appends to b without allocating: forced re-announces are common.
func appendQuickWarning(b []byte, elapsed, minInterval uint32, left int) []byte {
	b = append(b, "announced again after "...)
	b = strconv.AppendInt(b, int64(elapsed)*tickMillis/1000, 10)
	b = append(b, " s, before the min interval of "...)
	b = strconv.AppendInt(b, int64(minInterval)*tickMillis/1000, 10)
	b = append(b, " s; "...)
	b = strconv.AppendInt(b, int64(left), 10)
	return append(b, " more early announces in a row will be refused"...)
}

// intervals sets the response's interval (jittered within ±10%) and min
// interval, in whole seconds (at least 1; interval at least min interval).
func (t *Tracker) intervals(res *announceResult) {
	iv := t.cfg.Interval
	if j := int64(iv / 10); j > 0 {
		iv += time.Duration(rand.Int64N(2*j+1) - j)
	}
	res.minInterval = max(int64(t.cfg.MinInterval/time.Second), 1)
	res.interval = max(int64(iv/time.Second), res.minInterval)
}
