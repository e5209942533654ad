// Package demo fills a fresh site with sample data: a staff user and a
// dozen users, a few hundred torrents in the site's categories (those a
// plugin owns as the plugin's sample catalogue, which the wiring hands in
// as a Plugin: see internal/demo/music and internal/demo/movies), and
// weeks of announce history, so that ratios, ratio histories, swarm
// charts and the ratio watch show something.
//
// Users, invites, torrents, the plugins' catalogues, factors and a
// disabled account go through the write side (commands), as uploaders and
// staff would make them, dated in the past (see Dates): users join before
// they first take part, torrents are uploaded minutes before their first
// announce. The history is what a tracker node named "demo"
// would have appended: AnnounceBatch events on
// djembe.announce.demo, with real past times, each announce's credit,
// previous state, seed time and snatch decided as the tracker decides
// them (see Simulate), and the peers' addresses (documentation addresses)
// sealed with the data directory's peer key ring. Every simulated session
// ends with "stopped", since no tracker holds node demo's peers to reap
// them; the peers the site shows as present now are a few sessions
// started on the running serve's tracker, which reaps them like any peer
// that falls silent.
package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
	"github.com/djembe/djembe/internal/eventlog"
	"github.com/djembe/djembe/internal/instance"
	"github.com/djembe/djembe/internal/peerkeys"
	"github.com/nats-io/nats.go/jetstream"
)

// Node is the tracker node the history is appended as.
const Node = "demo"

// Defaults of Config.
const (
	DefaultSeed     = 20240601
	DefaultTorrents = 300
	DefaultDays     = 28
	// DefaultSiteURL is the site's address when no serve publishes one
	// (serve's default --web).
	DefaultSiteURL = "http://127.0.0.1:8080"
	batchSize      = 1000
)

// Config is what `djembe demo` is told.
type Config struct {
	Seed     uint64 // the catalog and history are drawn from it
	Torrents int    // about how many torrents (see NewPlan); 0: DefaultTorrents
	Days     int    // weeks of history, in days; 0: DefaultDays
	// SiteURL is printed as the site's address; "": the running serve's
	// web address, or DefaultSiteURL.
	SiteURL string
	Now     func() time.Time // nil: time.Now
	// Plugins are the plugins' sample catalogues, in the order their
	// items are drawn; their categories get no generic torrents.
	Plugins []Plugin
}

func (c Config) withDefaults() Config {
	if c.Torrents <= 0 {
		c.Torrents = DefaultTorrents
	}
	if c.Days <= 0 {
		c.Days = DefaultDays
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// User is a sample user as the report prints them.
type User struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	Staff    bool   `json:"staff"`
	// Disabled is why staff disabled them (they cannot log in); "" for the others.
	Disabled string `json:"disabled,omitempty"`
}

// Report is what `djembe demo` prints: where the site is, who can log
// in, and how much it holds.
type Report struct {
	Web       string `json:"web"`
	Users     []User `json:"users"`
	Catalogue Counts `json:"catalogue"` // "torrents", and the plugins' counts
}

// demoRun is one fill under way.
type demoRun struct {
	inst     *instance.Instance
	cmds     *commands.Commands
	log      *datedLog // cmds's: set its at to date what cmds appends
	plugins  []Plugin
	sessions map[string]Session // by the plugin's category
	plan     Plan
	dates    Dates
	files    [][]byte
	hashes   []domain.InfoHash
	ids      []domain.UserID
	keys     []domain.Passkey
	stderr   io.Writer
}

// Fill fills the site of ic's data directory (its running serve's servers,
// or the embedded ones for the length of the call). A site that holds any
// of the demo's users, torrents or announces is refused (KindConflict)
// before anything is appended. Progress goes to stderr. When it returns,
// the read models show everything it appended.
func Fill(ctx context.Context, ic instance.Config, c Config, stderr io.Writer) (*Report, error) {
	c = c.withDefaults()
	end := c.Now().UTC().Add(-5 * time.Minute)
	r := &demoRun{stderr: stderr, plugins: c.Plugins}
	var history Result
	r.plan, history = Draw(c.Seed, c.Plugins, commands.Categories, c.Torrents, end.Add(-time.Duration(c.Days)*24*time.Hour), end)
	r.dates = NewDates(rand.New(rand.NewPCG(c.Seed, streamDates)), r.plan, history.Announces)
	var err error
	if r.files, r.hashes, err = TorrentFiles(c.Seed, r.plan.Items); err != nil {
		return nil, err
	}

	inst, err := instance.Open(ctx, ic, instance.Client)
	if err != nil {
		return nil, err
	}
	defer inst.Close()
	r.inst, r.log = inst, &datedLog{Log: inst.Log}
	r.cmds = commands.New(r.log, inst.Keys())
	r.sessions = sessions(c.Plugins, r.cmds)
	ring, err := peerkeys.Open(peerkeys.InDataDir(ic.DataDir), peerkeys.DefaultRetention)
	if err != nil {
		return nil, err
	}
	if err := r.checkFresh(ctx); err != nil {
		return nil, err
	}
	rep := &Report{Web: siteURL(c.SiteURL, inst), Catalogue: Counts{"torrents": len(r.plan.Items)}}
	if rep.Users, err = r.register(ctx); err != nil {
		return nil, err
	}
	if err := r.upload(ctx); err != nil {
		return nil, err
	}
	if err := r.describe(ctx, rep.Catalogue); err != nil {
		return nil, err
	}
	if err := r.appendHistory(ctx, ring, history.Announces); err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "demo: %d announces appended (%d snatches); waiting for the read models\n", len(history.Announces), history.Snatches)
	if err := CatchUp(ctx, inst, stderr); err != nil {
		return nil, err
	}
	if err := r.disable(ctx); err != nil {
		return nil, err
	}
	if err := r.goLive(ctx, history.Live); err != nil {
		return nil, err
	}
	if err := r.ratioWatch(ctx, c.Now()); err != nil {
		return nil, err
	}
	return rep, CatchUp(ctx, inst, stderr)
}

// TorrentFiles builds the .torrent of each item, with piece hashes drawn
// from seed, and the info hash each registers under (private, as the
// write side registers it).
func TorrentFiles(seed uint64, items []Item) ([][]byte, []domain.InfoHash, error) {
	rng := rand.New(rand.NewPCG(seed, streamFiles))
	files, hashes := make([][]byte, len(items)), make([]domain.InfoHash, len(items))
	for i, it := range items {
		b, err := BuildTorrent(rng, it.Name, it.Files)
		if err != nil {
			return nil, nil, domain.E("demo", domain.KindInternal, "%v", err)
		}
		parsed, err := commands.ParseTorrent(b)
		if err != nil {
			return nil, nil, domain.E("demo", domain.KindInternal, "a sample torrent does not parse: %v", err)
		}
		files[i], hashes[i] = b, parsed.Registered.InfoHash
	}
	return files, hashes, nil
}

func siteURL(flag string, inst *instance.Instance) string {
	switch {
	case flag != "":
		return flag
	case !inst.Owner && inst.Runtime.WebAddr != "":
		return "http://" + inst.Runtime.WebAddr
	}
	return DefaultSiteURL
}

// checkFresh refuses a site that holds one of the demo's users (by name,
// without regard to case), torrents or announces.
func (r *demoRun) checkFresh(ctx context.Context) error {
	taken := func(subject string) (bool, error) {
		seq, err := r.inst.Log.SubjectLastSeq(ctx, subject)
		return seq > 0, err
	}
	for _, pe := range r.plan.People {
		for _, subject := range []string{domain.ClaimSubject(domain.NameClaim(r.inst.Secret, pe.Name)), domain.UsernameSubject(pe.Name)} {
			if t, err := taken(subject); err != nil || t {
				return notFresh(err, "it has a user named %q already", pe.Name)
			}
		}
	}
	if t, err := taken(domain.AnnounceSubject(Node)); err != nil || t {
		return notFresh(err, "its log holds announces of node %q already", Node)
	}
	for i, h := range r.hashes {
		if t, err := taken(domain.TorrentSubject(h)); err != nil || t {
			return notFresh(err, "torrent %s (%s) is registered already", h, r.plan.Items[i].Name)
		}
	}
	return nil
}

func notFresh(err error, format string, args ...any) error {
	if err != nil {
		return domain.E("demo", domain.KindUnavailable, "the event log did not answer (%v): nothing was changed; try again", err)
	}
	return domain.E("demo", domain.KindConflict, "this site is not fresh: "+format+
		"; the demo fills only a new site (start a serve on an empty --data directory): nothing was changed", args...)
}

// register registers the people, each on the day they joined (in that
// order), with new passwords, and grants their invites.
func (r *demoRun) register(ctx context.Context) ([]User, error) {
	defer r.dateAppends(time.Time{})
	people := r.plan.People
	out := make([]User, len(people))
	r.ids, r.keys = make([]domain.UserID, len(people)), make([]domain.Passkey, len(people))
	for _, u := range byDate(r.dates.Joined) {
		pe := people[u]
		r.dateAppends(r.dates.Joined[u])
		pw := NewPassword()
		reg, err := r.cmds.RegisterUser(ctx, commands.Operator, commands.RegisterUser{Name: pe.Name, Password: pw, Admin: pe.Staff})
		if err != nil {
			return nil, err
		}
		r.ids[u], r.keys[u] = reg.User.ID, reg.User.Passkey
		if pe.Invites > 0 {
			if _, err := r.cmds.GrantInvites(ctx, commands.Operator, pe.Name, pe.Invites); err != nil {
				return nil, err
			}
		}
		out[u] = User{Name: pe.Name, Password: pw, Staff: pe.Staff, Disabled: pe.Disabled}
	}
	fmt.Fprintf(r.stderr, "demo: %d users registered\n", len(out))
	return out, nil
}

// dateAppends dates what the write side appends from now on at t (zero:
// the time of each append).
func (r *demoRun) dateAppends(t time.Time) { r.log.at = t }

// upload adds the catalog's torrents as their uploaders, each on the day
// it was uploaded (a plugin's through its upload, into its catalogue),
// and sets the factors of the freeleech and double-upload ones a minute
// later.
func (r *demoRun) upload(ctx context.Context) error {
	defer r.dateAppends(time.Time{})
	for i, it := range r.plan.Items {
		r.dateAppends(r.dates.Added[i])
		add := r.addTorrent
		if it.Ref != nil {
			add = r.uploadPlugin
		}
		h, err := add(ctx, i)
		if err != nil {
			return err
		}
		if h != r.hashes[i] {
			return domain.E("demo", domain.KindInternal, "torrent %s was registered as %s", r.hashes[i], h)
		}
		if f := r.plan.Factors[i]; f != domain.NormalFactors && !it.Neutral {
			r.dateAppends(r.dates.Added[i].Add(time.Minute))
			if _, err := r.cmds.SetTorrentFactors(ctx, commands.Operator, r.hashes[i], f); err != nil {
				return err
			}
		}
		if (i+1)%100 == 0 || i+1 == len(r.plan.Items) {
			fmt.Fprintf(r.stderr, "demo: %d/%d torrents added\n", i+1, len(r.plan.Items))
		}
	}
	return nil
}

// addTorrent adds item i, a generic torrent, as its uploader.
func (r *demoRun) addTorrent(ctx context.Context, i int) (domain.InfoHash, error) {
	it := r.plan.Items[i]
	title := it.Title
	if title == it.Name {
		title = ""
	}
	added, err := r.cmds.AddTorrent(ctx, commands.Operator, commands.AddTorrent{File: r.files[i],
		Uploader: r.plan.People[r.plan.Uploader[i]].Name, Category: it.Category, Title: title, Description: it.Description})
	return added.Torrent.InfoHash, err
}

// appendHistory appends the announces as node Node's batches, in time
// order, each at the time of its last announce, with their addresses sealed as the tracker seals them (under the
// key of the hour they are published in); a peer that stops has none.
func (r *demoRun) appendHistory(ctx context.Context, ring *peerkeys.Ring, anns []SimAnnounce) error {
	var futs []jetstream.PubAckFuture
	for start := 0; start < len(anns); start += batchSize {
		part := anns[start:min(start+batchSize, len(anns))]
		batch := &domain.AnnounceBatch{Node: Node, Announces: make([]domain.Announce, len(part))}
		addrs := make([]domain.PeerAddr, len(part))
		for i, sa := range part {
			a := sa.Announce
			a.UserID, a.InfoHash = r.ids[sa.User], r.hashes[sa.Item]
			batch.Announces[i] = a
			if a.Event != domain.EventStopped {
				pe := r.plan.People[sa.User]
				addrs[i] = domain.PeerAddr{IP: pe.Addr.As16(), Port: pe.Port}
			}
		}
		var err error
		if batch.Addrs, err = ring.SealAddrs(time.Now(), addrs); err != nil {
			return err
		}
		at := time.UnixMilli(part[len(part)-1].TimeMillis) // when the tracker would have appended it
		fut, err := r.inst.Log.AppendAsync(domain.AnnounceSubject(Node), batch, eventlog.Actor("demo"), eventlog.At(at))
		if err != nil {
			return domain.E("demo", domain.KindUnavailable, "append announces: %v", err)
		}
		futs = append(futs, fut)
	}
	for i, fut := range futs {
		select {
		case <-fut.Ok():
		case err := <-fut.Err():
			return domain.E("demo", domain.KindUnavailable, "append announces: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		}
		if done := min((i+1)*batchSize, len(anns)); (i+1)%10 == 0 || done == len(anns) {
			fmt.Fprintf(r.stderr, "demo: %d/%d announces appended\n", done, len(anns))
		}
	}
	return nil
}

// disable disables the people staff disable, with their reason.
func (r *demoRun) disable(ctx context.Context) error {
	for _, pe := range r.plan.People {
		if pe.Disabled != "" {
			if _, err := r.cmds.DisableUser(ctx, commands.Operator, pe.Name, pe.Disabled); err != nil {
				return err
			}
		}
	}
	return nil
}
