package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
)

// PeerRef names the announce in the log whose batch holds a peer's last
// address, sealed: the batch's sequence and the announce's index in it.
// Only the site's staff view uses it, to open the address; it is never
// shown.
type PeerRef struct {
	Seq   uint64
	Index int
}

// PeerRow is one live peer of a torrent, from the peers read model.
type PeerRow struct {
	UserID         domain.UserID
	Name           string // the users read model's name ("forgotten:<id>" for a forgotten user); "" if it has none
	Client         string
	Left           uint64 // as last reported
	Uploaded       uint64 // the session's counters as last reported
	Downloaded     uint64
	UpRate         uint64 // bytes a second between the session's last two announces
	DownRate       uint64
	StartedAt      time.Time // the session's start
	LastAnnounceAt time.Time
	Ref            PeerRef
}

// Seeder reports whether the peer has the whole torrent.
func (p PeerRow) Seeder() bool { return p.Left == 0 }

// Progress is the share of a torrent of size bytes the peer has, 0 to 1:
// 1 − left/size (a seeder has it all; left beyond size is none of it).
func (p PeerRow) Progress(size int64) float64 {
	switch {
	case p.Left == 0:
		return 1
	case size <= 0 || p.Left >= uint64(size):
		return 0
	}
	return 1 - float64(p.Left)/float64(size)
}

// TorrentPeers reads the live peers of torrent h, seeders first, then
// leechers by what they have left (least first), at most limit of them,
// and how many there are in all, in one query.
func TorrentPeers(ctx context.Context, q RowQuerier, h domain.InfoHash, limit int) (peers []PeerRow, total int, err error) {
	rows, err := q.Query(ctx, `SELECT p.user_id, coalesce(u.name, ''), p.client, p.remaining, p.uploaded, p.downloaded,
			p.up_rate, p.down_rate, p.started_at, p.last_announce_at, p.addr_seq, p.addr_index, count(*) OVER ()
		FROM peers.peers p LEFT JOIN users.users u ON u.id = p.user_id
		WHERE p.info_hash = $1
		ORDER BY p.remaining, p.last_announce_at DESC, p.user_id, p.peer_id LIMIT $2`, h[:], limit)
	if err != nil {
		return nil, 0, fmt.Errorf("read peers of %s: %w", h, err)
	}
	defer rows.Close()
	for rows.Next() {
		var p PeerRow
		var left, up, down, upRate, downRate, seq int64
		var index int32
		err := rows.Scan((*pgUUIDScan)(&p.UserID), &p.Name, &p.Client, &left, &up, &down, &upRate, &downRate,
			&p.StartedAt, &p.LastAnnounceAt, &seq, &index, &total)
		if err != nil {
			return nil, 0, fmt.Errorf("read peers of %s: %w", h, err)
		}
		p.Left, p.Uploaded, p.Downloaded, p.UpRate, p.DownRate = uint64(left), uint64(up), uint64(down), uint64(upRate), uint64(downRate)
		p.Ref = PeerRef{Seq: uint64(seq), Index: int(index)}
		peers = append(peers, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read peers of %s: %w", h, err)
	}
	return peers, total, nil
}
