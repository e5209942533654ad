package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// CappedClaim is one announce the tracker credited less than it claimed
// (a row of cheats.capped_claims).
type CappedClaim struct {
	Seq          uint64          `json:"seq"` // stream sequence of its AnnounceBatch
	Index        int             `json:"index"`
	At           time.Time       `json:"at"`
	UserID       uuid.UUID       `json:"user_id"`
	InfoHash     domain.InfoHash `json:"info_hash"`
	Caps         []string        `json:"caps"` // domain.Caps.Names()
	ClaimedUp    uint64          `json:"claimed_up"`
	ClaimedDown  uint64          `json:"claimed_down"`
	CreditedUp   uint64          `json:"credited_up"`
	CreditedDown uint64          `json:"credited_down"`
}

// UserCappedClaims lists a user's capped claims from since on, newest
// first (then by place in the log), at most limit of them.
func UserCappedClaims(ctx context.Context, q RowQuerier, userID uuid.UUID, since time.Time, limit int) ([]CappedClaim, error) {
	rows, err := q.Query(ctx, `SELECT seq, idx, at, user_id, info_hash, caps, raw_uploaded, raw_downloaded, uploaded, downloaded
		FROM cheats.capped_claims WHERE user_id = $1 AND at >= $2 ORDER BY at DESC, seq DESC, idx DESC LIMIT $3`,
		userID, since, limit)
	if err != nil {
		return nil, fmt.Errorf("read capped claims of %s: %w", userID, err)
	}
	defer rows.Close()
	out := []CappedClaim{}
	for rows.Next() {
		var c CappedClaim
		var seq, up, down, cup, cdown int64
		var hash []byte
		if err := rows.Scan(&seq, &c.Index, &c.At, &c.UserID, &hash, &c.Caps, &up, &down, &cup, &cdown); err != nil {
			return nil, fmt.Errorf("read capped claims of %s: %w", userID, err)
		}
		copy(c.InfoHash[:], hash)
		c.Seq, c.ClaimedUp, c.ClaimedDown, c.CreditedUp, c.CreditedDown = uint64(seq), uint64(up), uint64(down), uint64(cup), uint64(cdown)
		c.At = c.At.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
