package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/loadgen"
	"github.com/google/uuid"
)

// benchPasswordHash is no bcrypt hash: simulated users cannot log in.
const benchPasswordHash = "!bench"

// SetupReport is what creating the simulated users and torrents took.
type SetupReport struct {
	Users           int     `json:"users"`
	Torrents        int     `json:"torrents"`
	Appended        int     `json:"events_appended"`
	Existing        int     `json:"events_already_present"`
	AppendSeconds   float64 `json:"append_seconds"`
	EventsPerSecond float64 `json:"events_appended_per_second"`
	ReadySeconds    float64 `json:"tracker_ready_seconds"`
}

// setupAll makes sure users bench-u-* and torrents bench-t-* exist in the
// log, appending the missing ones, and waits until the tracker knows them.
func setupAll(ctx context.Context, stderr io.Writer, inst *instance.Instance, c *Config) ([]loadgen.User, []loadgen.Torrent, SetupReport, error) {
	rep := SetupReport{Users: c.Users, Torrents: c.Torrents}
	start := time.Now()
	users, uploader, last, err := setupUsers(ctx, inst, c.Users, &rep)
	if err != nil {
		return nil, nil, rep, err
	}
	torrents, lastT, err := setupTorrents(ctx, inst, c.Torrents, uploader, &rep)
	if err != nil {
		return nil, nil, rep, err
	}
	rep.AppendSeconds = time.Since(start).Seconds()
	if rep.Appended > 0 {
		rep.EventsPerSecond = float64(rep.Appended) / rep.AppendSeconds
	}
	fmt.Fprintf(stderr, "setup: %d users, %d torrents: %d events appended in %.2fs (%.0f events/s, async in windows of %d), %d already present\n",
		c.Users, c.Torrents, rep.Appended, rep.AppendSeconds, rep.EventsPerSecond, appendWindow, rep.Existing)
	ready := time.Now()
	if err := waitTrackerKnows(ctx, c, users[last], torrents[lastT]); err != nil {
		return nil, nil, rep, err
	}
	rep.ReadySeconds = time.Since(ready).Seconds()
	fmt.Fprintf(stderr, "setup: the tracker knows them after %.2fs\n", rep.ReadySeconds)
	return users, torrents, rep, nil
}

// setupUsers returns the users, the first one's id (the torrents' uploader)
// and the index of the user appended last (the one to probe the tracker with).
func setupUsers(ctx context.Context, inst *instance.Instance, n int, rep *SetupReport) ([]loadgen.User, domain.UserID, int, error) {
	items := make([]pending, n)
	for i := range items {
		pk, err := domain.NewPasskey()
		if err != nil {
			return nil, uuid.Nil, 0, err
		}
		name := loadgen.UserName(i)
		items[i] = pending{subject: domain.UsernameSubject(name),
			ev: domain.UserRegistered{UserID: uuid.New(), Name: name, Passkey: pk, PasswordHash: benchPasswordHash}}
	}
	last, err := appendAll(ctx, inst.Log, items, rep)
	if err != nil {
		return nil, uuid.Nil, 0, err
	}
	users := make([]loadgen.User, n)
	var uploader domain.UserID
	for i, p := range items {
		u := p.ev.(domain.UserRegistered)
		if p.exists {
			if u, err = registeredUser(ctx, inst.Log, u.Name); err != nil {
				return nil, uuid.Nil, 0, err
			}
		}
		if i == 0 {
			uploader = u.UserID
		}
		users[i] = loadgen.User{Name: u.Name, Passkey: string(u.Passkey)}
	}
	return users, uploader, last, nil
}

// setupTorrents registers the synthetic torrents (deterministic info hashes)
// and returns them with the index of the one appended last.
func setupTorrents(ctx context.Context, inst *instance.Instance, n int, uploader domain.UserID, rep *SetupReport) ([]loadgen.Torrent, int, error) {
	torrents := make([]loadgen.Torrent, n)
	items := make([]pending, n)
	for i := range items {
		t := loadgen.SynthTorrent(i)
		torrents[i] = t
		items[i] = pending{subject: domain.TorrentSubject(t.InfoHash), ev: domain.TorrentRegistered{
			InfoHash: t.InfoHash, Name: t.Name, Size: t.Size, Files: []domain.TorrentFile{{Path: t.Name, Length: t.Size}},
			Uploader: uploader, Info: t.Info, Factors: domain.NormalFactors}}
	}
	last, err := appendAll(ctx, inst.Log, items, rep)
	if err != nil {
		return nil, 0, err
	}
	for i := range torrents {
		torrents[i].Info = nil // only the registration needed it
	}
	return torrents, last, nil
}

// waitTrackerKnows polls an announce that does not join a swarm until the
// tracker no longer refuses the passkey or the torrent. The tracker follows
// the log in order, so knowing the last appended user and torrent means
// knowing all of them.
func waitTrackerKnows(ctx context.Context, c *Config, u loadgen.User, t loadgen.Torrent) error {
	probe := loadgen.ProbeURL(c.TrackerURL, u.Passkey, t.InfoHash)
	deadline := time.Now().Add(c.ReadyTimeout)
	client := &http.Client{Timeout: 5 * time.Second}
	var last string
	for {
		reason, err := probeOnce(ctx, client, probe)
		switch {
		case err != nil:
			last = err.Error()
		case !unknownRefusal(reason):
			return nil
		default:
			last = "refused: " + reason
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: the tracker did not learn the simulated users and torrents within %s (last answer: %s)", c.ReadyTimeout, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func probeOnce(ctx context.Context, client *http.Client, probe string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, probe, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("User-Agent", "qBittorrent/4.6.5")
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %s", resp.Status)
	}
	reason, _ := loadgen.FailureReason(body)
	return reason, nil
}

// unknownRefusal reports whether a failure reason says the passkey or the
// torrent is not (yet) known to the tracker.
func unknownRefusal(reason string) bool {
	r := strings.ToLower(reason)
	for _, s := range []string{"passkey", "unregistered", "not registered", "unknown torrent"} {
		if strings.Contains(r, s) {
			return true
		}
	}
	return false
}

// registeredUser reads the registration of a bench user an earlier run
// created (bench users' passkeys never rotate).
func registeredUser(ctx context.Context, log *eventlog.Log, name string) (domain.UserRegistered, error) {
	rec, found, err := log.FirstOnSubject(ctx, domain.UsernameSubject(name))
	if err != nil || !found {
		return domain.UserRegistered{}, fmt.Errorf("bench user %s: registration not found (%v)", name, err)
	}
	e, err := rec.Decode()
	if err != nil {
		return domain.UserRegistered{}, err
	}
	u, ok := e.(domain.UserRegistered)
	if !ok {
		return u, fmt.Errorf("bench user %s: the name was claimed by a %s", name, rec.Meta.Type)
	}
	return u, nil
}
