package tracker

import (
	"log/slog"
	"net/netip"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/peerkeys"
	"github.com/prometheus/client_golang/prometheus"
)

// Config is what the wiring tells a Tracker. The zero value of every field
// means its default (see withDefaults).
type Config struct {
	// Node names this tracker process; its announce batches go to
	// djembe.announce.<Node>. Default "t1". Each running node needs its own.
	Node string
	// Secret derives users' passkeys from the nonces the log holds; the
	// write side derives them with the same one.
	Secret domain.ServerSecret
	// Interval is the announce interval sent to clients. The value in each
	// response is jittered uniformly within ±10% so that a swarm started at
	// one moment does not keep re-announcing in lockstep. Peers silent for
	// two Intervals are reaped. Default 30m.
	Interval time.Duration
	// MinInterval is the `min interval` sent to clients; re-announcing
	// sooner is answered with a warning message, and refused once it happens
	// more than Burst times in a row. Default 5m (at most Interval).
	MinInterval time.Duration
	// DefaultNumwant is the number of peers sent when the client does not
	// ask (default 50); MaxNumwant caps what a client may ask for (default 200).
	DefaultNumwant int
	MaxNumwant     int
	// Burst is how many announces of one peer in a row inside MinInterval
	// are still answered (with a warning). Default 5; negative means none;
	// at most 255.
	Burst int
	// TrustedProxies are the only remote addresses whose X-Forwarded-For and
	// X-Real-IP headers are believed.
	TrustedProxies []netip.Prefix
	// SiteURL is the web site's base URL, which refusals name pages of
	// (for example "download the .torrent again from SITE/torrents/HASH").
	// Default "http://127.0.0.1:8080", the web's default listener.
	SiteURL string
	// Conns bound the connections of the listeners Guard wraps.
	Conns ConnLimits
	// MaxPeersPerTorrent is how many peers (clients) one user may have in
	// one swarm; more are refused. Default 3, as UNIT3D allows.
	MaxPeersPerTorrent int
	// NewPeerBurst and NewPeerRate bound how fast one user may add peers to
	// swarms: a bucket of NewPeerBurst that refills NewPeerRate per second.
	// Defaults 2000 and 10: a seedbox restarting with a few thousand
	// torrents gets them all within minutes; a forger spreading fake peers
	// gets ten a second.
	NewPeerBurst int
	NewPeerRate  float64
	// MaxRate bounds the credit of one announce, each way: at most MaxRate
	// bytes per second since the peer's previous announce (see
	// domain.Bounds). Default domain.DefaultMaxRate.
	MaxRate uint64
	// AllowIPParam honours the ip, ipv4 and ipv6 announce parameters.
	AllowIPParam bool
	// BatchSize is the most announces in one published AnnounceBatch
	// (default 1000); FlushInterval is how long a partial batch may wait
	// (default 100ms).
	BatchSize     int
	FlushInterval time.Duration
	// Logger receives the tracker's log lines; nil: slog.Default().
	Logger *slog.Logger
	// Metrics receives the tracker's Prometheus collectors; nil: none.
	Metrics prometheus.Registerer
	// PeerKeys seals the peers' addresses in the announce batches, and
	// opens those of the batches replayed. Nodes that read each other's
	// batches need the same keys. nil: keys in this process's memory, shared
	// by its trackers and never destroyed (a restart of the process brings
	// the swarms back without addresses until each peer announces again).
	PeerKeys PeerKeys
	// Now is the clock; nil: time.Now. Tests inject one to move time.
	Now func() time.Time
	// OnQuarantine is told of each log record the tracker skips instead of
	// applying (see eventlog.Quarantined), once it is counted and logged.
	// nil: none.
	OnQuarantine QuarantineFunc
}

// Defaults used for zero Config fields.
const (
	DefaultNode          = "t1"
	DefaultInterval      = 30 * time.Minute
	DefaultMinInterval   = 5 * time.Minute
	DefaultNumwant       = 50
	DefaultMaxNumwant    = 200
	DefaultBurst         = 5
	DefaultBatchSize     = 1000
	DefaultFlushInterval = 100 * time.Millisecond
	DefaultSiteURL       = "http://127.0.0.1:8080"

	DefaultMaxPeersPerTorrent = 3
	DefaultNewPeerBurst       = 2000
	DefaultNewPeerRate        = 10.0
)

// maxPendingAnnounces bounds the announces accepted but not yet stored in the
// log. Beyond it announces are refused (and change nothing) rather than held
// in memory without limit or dropped: no credit is ever lost.
const maxPendingAnnounces = 1 << 20

// PeerKeys is a key ring for the peers' addresses (see domain.SealedAddrs
// and internal/peerkeys): a key per period, destroyed after a retention.
// Its methods are called with the tracker's clock.
type PeerKeys interface {
	// Seal returns the key (domain.AddrKeySize bytes) that seals addresses
	// at now, and its id.
	Seal(now time.Time) (id uint32, key []byte, err error)
	// Key returns the key with id, unless it is destroyed or past retention
	// at now.
	Key(id uint32, now time.Time) (key []byte, ok bool)
	// Expire destroys the keys past retention at now.
	Expire(now time.Time) error
}

// processKeys are the PeerKeys of trackers configured without any.
var processKeys = peerkeys.Memory(0)

func (c Config) withDefaults() Config {
	if c.Node == "" {
		c.Node = DefaultNode
	}
	if c.Interval <= 0 {
		c.Interval = DefaultInterval
	}
	if c.MinInterval <= 0 {
		c.MinInterval = min(DefaultMinInterval, c.Interval)
	}
	if c.DefaultNumwant <= 0 {
		c.DefaultNumwant = DefaultNumwant
	}
	if c.MaxNumwant <= 0 {
		c.MaxNumwant = DefaultMaxNumwant
	}
	c.DefaultNumwant = min(c.DefaultNumwant, c.MaxNumwant)
	if c.Burst == 0 {
		c.Burst = DefaultBurst
	}
	c.Burst = min(max(c.Burst, 0), 255)
	if c.BatchSize <= 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.FlushInterval <= 0 {
		c.FlushInterval = DefaultFlushInterval
	}
	c.Conns = c.Conns.withDefaults()
	if c.MaxPeersPerTorrent <= 0 {
		c.MaxPeersPerTorrent = DefaultMaxPeersPerTorrent
	}
	if c.NewPeerBurst <= 0 {
		c.NewPeerBurst = DefaultNewPeerBurst
	}
	if c.NewPeerRate <= 0 {
		c.NewPeerRate = DefaultNewPeerRate
	}
	if c.SiteURL == "" {
		c.SiteURL = DefaultSiteURL
	}
	if c.MaxRate == 0 {
		c.MaxRate = domain.DefaultMaxRate
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.PeerKeys == nil {
		c.PeerKeys = processKeys
	}
	return c
}
