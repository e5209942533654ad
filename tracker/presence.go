package tracker

// leave is when a user's leecher last stopped downloading in a swarm.
type leave struct {
	user uint32
	at   uint32 // clock ticks
}

// leavers remembers the last two users whose leechers stopped downloading
// (left the swarm, completed or paused), enough to know when any user but
// a given one last had a leecher go: last is the newest leave, other the
// newest leave of a user other than last's. A torrent's seeders are
// credited upload only while some other user's leecher was there to
// receive it, and a leecher that came and left between two of a seeder's
// announces was there.
type leavers struct {
	last, other leave
}

// note records that user's leecher stopped downloading at tick at.
func (l *leavers) note(user, at uint32) {
	if l.last.user != user {
		l.other = l.last
	}
	l.last = leave{user: user, at: max(at, l.last.at)}
}

// shift moves the leaves down ticks later (at most to now), as resume does
// the silence of the peers after the tracker was down.
func (l *leavers) shift(down, now uint32) {
	for _, e := range []*leave{&l.last, &l.other} {
		if e.at != 0 {
			e.at = later(e.at, down, now)
		}
	}
}

// since reports whether a leecher of a user other than user stopped
// downloading at or after tick since.
func (l *leavers) since(user, since uint32) bool {
	e := l.last
	if e.user == user {
		e = l.other
	}
	return e.at != 0 && e.at >= since
}

// leecherSince reports whether, since tick since, the torrent's swarm held
// a leecher of a user other than user: one downloading now, or one that
// stopped downloading since.
func (t *torrent) leecherSince(user, since uint32) bool {
	for i := range t.peers[:t.nDown] {
		if t.peers[i].user != user {
			return true
		}
	}
	return t.leavers.since(user, since)
}

// set replaces the peer at pos with p, noting a leecher that stops
// downloading (at p.seen), and returns its new position.
func (t *torrent) set(pos int, p peer) int {
	if old := &t.peers[pos]; old.downloading() && !p.downloading() {
		t.leavers.note(old.user, p.seen)
	}
	return t.update(pos, p)
}

// drop removes the peer at pos at tick now, noting a leecher that leaves.
func (t *torrent) drop(pos int, now uint32) {
	if old := &t.peers[pos]; old.downloading() {
		t.leavers.note(old.user, now)
	}
	t.remove(pos)
}
