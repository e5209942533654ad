package tracker

import (
	"errors"

	"github.com/djembe/djembe/domain"
)

// addrsOf returns the address of each of b's announces, in order, or nil
// when the tracker cannot read them: the batch holds none, or its key is
// destroyed (past retention: those peers were reaped long ago, or the
// tracker was down longer than the retention), or it does not open. A batch
// stored before addresses were sealed gives its plain ones. It never fails:
// the accounting in the batch is applied whatever became of its addresses.
// seq names the batch in the log line about a box that does not open.
func (t *Tracker) addrsOf(b *domain.AnnounceBatch, seq uint64) []domain.PeerAddr {
	if plain := b.PlainAddrs(); plain != nil {
		return plain
	}
	if len(b.Addrs.Box) == 0 {
		return nil
	}
	key, ok := t.cfg.PeerKeys.Key(b.Addrs.KeyID, t.cfg.Now())
	if !ok {
		return nil
	}
	addrs, err := b.Addrs.Open(key, len(b.Announces))
	if err != nil {
		what := "addresses that do not open with their key"
		if !errors.Is(err, domain.ErrAddrsUnreadable) {
			what = "malformed addresses"
		}
		t.cfg.Logger.Warn("tracker: an announce batch with "+what+"; its peers are restored without them",
			"seq", seq, "err", err)
		return nil
	}
	return addrs
}
