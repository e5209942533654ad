package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Status is where a projection stands against the log.
type Status struct {
	Name      string     `json:"name"`
	Version   int        `json:"version"`
	Seq       uint64     `json:"seq"`      // checkpoint: last stream sequence applied
	LastSeq   uint64     `json:"last_seq"` // the stream's last sequence
	Lag       uint64     `json:"lag"`      // LastSeq - Seq
	UpdatedAt time.Time  `json:"updated_at"`
	RebuiltAt *time.Time `json:"rebuilt_at,omitempty"`
}

// LogEnd tells where the log ends: *eventlog.Log.
type LogEnd interface {
	LastSeq(ctx context.Context) (uint64, error)
}

// Statuses reads every projection's checkpoint and the log's last sequence.
// Any process can call it: it reads only PostgreSQL and the stream.
func Statuses(ctx context.Context, pool *pgxpool.Pool, log LogEnd) ([]Status, error) {
	last, err := log.LastSeq(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := pool.Query(ctx, `SELECT name, version, seq, updated_at, rebuilt_at FROM projections ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read projections: %w", err)
	}
	defer rows.Close()
	var out []Status
	for rows.Next() {
		var s Status
		var seq int64
		if err := rows.Scan(&s.Name, &s.Version, &seq, &s.UpdatedAt, &s.RebuiltAt); err != nil {
			return nil, err
		}
		s.Seq, s.LastSeq = uint64(seq), last
		if last > s.Seq {
			s.Lag = last - s.Seq
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Collector exports projection lag and checkpoints, and the quarantine's
// entries by state, as Prometheus metrics, read fresh at every scrape.
type Collector struct {
	pool *pgxpool.Pool
	log  LogEnd
}

// NewCollector returns a collector over the projections table and the log.
func NewCollector(pool *pgxpool.Pool, log LogEnd) *Collector {
	return &Collector{pool: pool, log: log}
}

var (
	lagDesc = prometheus.NewDesc("djembe_projection_lag_events",
		"Events in the log not yet applied by the projection (last stream sequence minus checkpoint).", []string{"projection"}, nil)
	checkpointDesc = prometheus.NewDesc("djembe_projection_checkpoint",
		"Last stream sequence applied by the projection.", []string{"projection"}, nil)
	lastSeqDesc     = prometheus.NewDesc("djembe_log_last_sequence", "The event log's last stream sequence.", nil, nil)
	quarantinedDesc = prometheus.NewDesc("djembe_quarantined_events",
		"Log records consumers skipped, by the operator's decision (quarantined: not looked at yet; skipped; released).", []string{"state"}, nil)
)

func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- lagDesc
	ch <- checkpointDesc
	ch <- lastSeqDesc
	ch <- quarantinedDesc
}

func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := Statuses(ctx, c.pool, c.log)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(lagDesc, err)
		return
	}
	for _, s := range st {
		ch <- prometheus.MustNewConstMetric(lagDesc, prometheus.GaugeValue, float64(s.Lag), s.Name)
		ch <- prometheus.MustNewConstMetric(checkpointDesc, prometheus.CounterValue, float64(s.Seq), s.Name)
	}
	if len(st) > 0 {
		ch <- prometheus.MustNewConstMetric(lastSeqDesc, prometheus.CounterValue, float64(st[0].LastSeq))
	}
	counts, err := QuarantineCounts(ctx, c.pool)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(quarantinedDesc, err)
		return
	}
	for _, s := range QuarantineStates {
		ch <- prometheus.MustNewConstMetric(quarantinedDesc, prometheus.GaugeValue, float64(counts[s]), s)
	}
}
