package commands

import (
	"context"

	"github.com/djembe/djembe/domain"
)

// Torrent is the torrent h as its subject in the log has it now: its
// registration with the factors in force, and whether it was deleted. No
// read model keeps the factors, so the staff pages read them here.
func (c *Commands) Torrent(ctx context.Context, h domain.InfoHash) (domain.Torrent, error) {
	t, _, err := c.torrent(ctx, "read torrent", h)
	return t, err
}

// ClientAllowList is the peer_id prefixes the tracker allows: the last
// ClientAllowListSet's, or domain.DefaultClientPrefixes when none was set.
func (c *Commands) ClientAllowList(ctx context.Context) ([]string, error) {
	evs, _, err := c.read(ctx, "read client allow-list", domain.SubjectClients)
	if err != nil {
		return nil, err
	}
	prefixes := domain.DefaultClientPrefixes
	for _, e := range evs {
		if s, ok := e.(domain.ClientAllowListSet); ok {
			prefixes = s.Prefixes
		}
	}
	return prefixes, nil
}
