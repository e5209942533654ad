package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/go-chi/httprate"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Failed logins are throttled: LoginFailuresPerAccount wrong passwords for
// one name, or LoginFailuresPerAddress from one address, within
// LoginFailureWindow, and that name or address may not try again until
// the count has fallen (httprate's sliding window: the failures of the
// window before count for the part of it still inside the last
// LoginFailureWindow).
const (
	LoginFailuresPerAccount = 5
	LoginFailuresPerAddress = 20
	LoginFailureWindow      = 15 * time.Minute
)

// loginThrottle counts failed logins per account and per address. With a
// database the failures are rows of login_failures (migration 00006), so
// a restart forgets none and every web process on the database counts
// the same; without one (tests) they are httprate's in-memory counters.
// Keys are kept only as an HMAC under the server secret.
type loginThrottle struct {
	account, address *failureLimit
	secret           []byte
}

// newLoginThrottle counts in pool's login_failures, or in memory when
// pool is nil.
func newLoginThrottle(pool *pgxpool.Pool, secret domain.ServerSecret) *loginThrottle {
	store := func(window time.Duration) failureStore {
		if pool == nil {
			return newMemoryFailures(window)
		}
		return &pgFailures{pool: pool, window: window}
	}
	return &loginThrottle{
		account: &failureLimit{limit: LoginFailuresPerAccount, window: LoginFailureWindow, store: store(LoginFailureWindow)},
		address: &failureLimit{limit: LoginFailuresPerAddress, window: LoginFailureWindow, store: store(LoginFailureWindow)},
		secret:  secret,
	}
}

// blocked is the message refusing a login for name from address, and how
// long until it may be tried again; "" when it may be tried now.
func (t *loginThrottle) blocked(ctx context.Context, name, address string, now time.Time) (string, time.Duration, error) {
	wait, err := t.account.wait(ctx, t.key("account", domain.UsernameKey(name)), now)
	if err != nil || wait > 0 {
		return "Too many failed logins for this account; try again in " + minutes(wait) + ".", wait, err
	}
	wait, err = t.address.wait(ctx, t.key("address", address), now)
	if err != nil || wait > 0 {
		return "Too many failed logins from your address; try again in " + minutes(wait) + ".", wait, err
	}
	return "", 0, nil
}

// failed counts a failed login for name from address.
func (t *loginThrottle) failed(ctx context.Context, name, address string, now time.Time) error {
	if err := t.account.store.add(ctx, t.key("account", domain.UsernameKey(name)), now); err != nil {
		return err
	}
	return t.address.store.add(ctx, t.key("address", address), now)
}

// key is the key failures of kind ("account": a name's key as a username,
// whether or not anyone has the name, so the throttle tells nothing of
// which names exist; "address") count under: an HMAC-SHA256 under the
// server secret, so the table holds no name or address in clear.
func (t *loginThrottle) key(kind, value string) []byte {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte("djembe login failures\x00" + kind + "\x00" + value))
	return m.Sum(nil)
}

// minutes is d as the message says it: "1 minute", "12 minutes".
func minutes(d time.Duration) string {
	m := int(math.Ceil(d.Minutes()))
	if m <= 1 {
		return "1 minute"
	}
	return strconv.Itoa(m) + " minutes"
}

// failureStore keeps failures by key. Windows are aligned to the clock (a
// window starts at a multiple of its length), as httprate's are.
type failureStore interface {
	add(ctx context.Context, key []byte, at time.Time) error
	// counts are key's failures in the window starting at cur and in the
	// one before it.
	counts(ctx context.Context, key []byte, cur time.Time) (curr, prev int, err error)
}

// failureLimit is a limit of failures per key within a sliding window, as
// httprate counts it, so the time until a key is let through again is known.
type failureLimit struct {
	limit  int
	window time.Duration
	store  failureStore
}

// rate is httprate's sliding-window count of key's failures at now: this
// window's, and the last window's weighted by the share of it still inside
// the last window length.
func (l *failureLimit) rate(ctx context.Context, key []byte, now time.Time) (float64, int, int, error) {
	cur := now.UTC().Truncate(l.window)
	curr, prev, err := l.store.counts(ctx, key, cur)
	elapsed := now.Sub(cur)
	return float64(prev)*float64(l.window-elapsed)/float64(l.window) + float64(curr), curr, prev, err
}

// wait is how long until key may fail again without passing the limit: 0
// when it may now. Its count must fall below limit: within this window by
// the last window's share shrinking, else after it ends, by this window's.
func (l *failureLimit) wait(ctx context.Context, key []byte, now time.Time) (time.Duration, error) {
	rate, curr, prev, err := l.rate(ctx, key, now)
	free := float64(l.limit) - 0.5 // httprate rounds the count: below limit-0.5 it is under the limit
	if err != nil || rate < free {
		return 0, err
	}
	cur := now.UTC().Truncate(l.window)
	if float64(curr) < free {
		// prev*(W-e)/W + curr < free  ⇔  e > W*(1-(free-curr)/prev)
		at := cur.Add(time.Duration(float64(l.window) * (1 - (free-float64(curr))/float64(prev))))
		return after(at.Sub(now)), nil
	}
	at := cur.Add(l.window).Add(time.Duration(float64(l.window) * (1 - free/float64(curr))))
	return after(at.Sub(now)), nil
}

// after is the first whole second after d.
func after(d time.Duration) time.Duration {
	return d.Round(time.Millisecond).Truncate(time.Second) + time.Second
}

// memoryFailures keeps failures in httprate's local counter: a restart
// forgets them.
type memoryFailures struct {
	window  time.Duration
	counter httprate.LimitCounter
}

func newMemoryFailures(window time.Duration) *memoryFailures {
	c := httprate.NewLocalLimitCounter(window)
	c.Config(math.MaxInt32, window)
	return &memoryFailures{window: window, counter: c}
}

func (m *memoryFailures) add(_ context.Context, key []byte, at time.Time) error {
	return m.counter.IncrementBy(string(key), at.UTC().Truncate(m.window), 1)
}

func (m *memoryFailures) counts(_ context.Context, key []byte, cur time.Time) (int, int, error) {
	return m.counter.Get(string(key), cur, cur.Add(-m.window))
}

// pgFailures keeps failures in login_failures, one row each, and deletes
// rows no window reads any more (older than the start of the window before
// the current one) at most once a minute.
type pgFailures struct {
	pool   *pgxpool.Pool
	window time.Duration

	mu       sync.Mutex
	prunedAt time.Time
}

// pruneEvery bounds how often a site deletes the failures it no longer needs.
const pruneEvery = time.Minute

func (p *pgFailures) add(ctx context.Context, key []byte, at time.Time) error {
	if _, err := p.pool.Exec(ctx, `INSERT INTO login_failures (key_hash, at) VALUES ($1, $2)`, key, at); err != nil {
		return fmt.Errorf("record a failed login: %w", err)
	}
	p.mu.Lock()
	prune := at.Sub(p.prunedAt) >= pruneEvery || at.Before(p.prunedAt)
	if prune {
		p.prunedAt = at
	}
	p.mu.Unlock()
	if prune {
		before := at.UTC().Truncate(p.window).Add(-p.window)
		if _, err := p.pool.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, before); err != nil {
			return fmt.Errorf("delete old failed logins: %w", err)
		}
	}
	return nil
}

func (p *pgFailures) counts(ctx context.Context, key []byte, cur time.Time) (curr, prev int, err error) {
	err = p.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE at >= $2), count(*) FILTER (WHERE at < $2)
		FROM login_failures WHERE key_hash = $1 AND at >= $3 AND at < $4`,
		key, cur, cur.Add(-p.window), cur.Add(p.window)).Scan(&curr, &prev)
	if err != nil {
		return 0, 0, fmt.Errorf("count failed logins: %w", err)
	}
	return curr, prev, nil
}
