// Package tracker is Djembe's BitTorrent tracker: announce and scrape over
// HTTP, with the passkey, torrent and client registries and the swarms all in
// memory, built from the event log and kept current by following it.
//
// # The announce path
//
// An announce is parsed from the raw query (no url.ParseQuery), admitted
// (passkey, disabled user, client allow-list, may-leech), then decided under
// the one mutex of its torrent's shard: pace (min interval and burst),
// credit (domain.CreditAnnounce against the peer's session counters and the
// torrent's factors), swarm update, snatch, peer sample. The decision is
// queued in the shard as a domain.Announce and the response is written by
// hand in bencode from pooled buffers. Nothing on this path waits on NATS or
// PostgreSQL, and nothing allocates.
//
// # Recording
//
// A publisher sweeps the shards' queues every FlushInterval (or when a
// batch fills) and appends AnnounceBatch events to djembe.announce.<node>,
// one at a time, in order, each with a dedup id kept across its retries.
// While the log is unreachable the announces wait in memory, and beyond
// maxPendingAnnounces new announces are refused (changing nothing) rather
// than lost. What the events say:
//   - every accepted announce, with raw and credited amounts;
//   - `completed` only for a user's first completion of a torrent; a repeated
//     one is recorded as EventNone (so counting EventCompleted counts snatches);
//   - a peer silent for two intervals as EventReaped, with its last counters
//     and no credit;
//   - the peers' addresses only sealed, once per batch, with the key of the
//     hour (Config.PeerKeys; internal/peerkeys destroys keys after a
//     retention), and none for a peer that stops or is reaped.
//
// # Restarts and nodes
//
// Run reads the whole log before serving: users, torrents, the allow-list and
// every announce batch, which rebuilds the snatches and, per peer, the
// session counters, address and last-seen time. A peer's next announce is
// then credited exactly as without the restart. A peer whose address's key
// is gone comes back without an address: counted, credited, handed out to
// no one until it announces again. Time the node was down is
// not counted as its peers' silence. Batches of other nodes keep being
// applied while following, so nodes share swarms; a node records the reaps
// of its own peers only.
//
// # Memory
//
// A peer is 72 pointer-free bytes in its swarm's slice; swarms above a few
// dozen peers get an open-addressing index of int32. With 1M peers the heap
// grows by about 80 bytes per peer (see TestMemoryPerPeer).
package tracker
