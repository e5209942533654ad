package demo

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
)

// Plugin is a plugin's sample catalogue as the demo takes it: the
// torrents it contributes to a plan, in its own category, and how they
// are uploaded into the plugin's catalogue. The wiring hands the demo its
// plugins (Config.Plugins), so that the demo itself knows none.
type Plugin interface {
	// Category is the site's category the plugin owns: every torrent of
	// it comes from the plugin's catalogue, none from Catalog.
	Category() string
	// Items are a torrent for each entry of the catalogue (a format, say),
	// drawn from rng, in the order they are to be uploaded. Each carries
	// in Ref the plugin's own reference to its entry (never nil).
	Items(rng *rand.Rand) []Item
	// Session begins uploading the plugin's items of one fill, through c.
	Session(c *commands.Commands) Session
}

// Session is one fill's uploads into a plugin's catalogue: it remembers
// what the earlier uploads created (an album, a movie) for the later ones
// to join.
type Session interface {
	// Upload uploads up, one of the plugin's items, as up.Uploader and
	// returns the info hash its torrent is registered under.
	Upload(ctx context.Context, up Upload) (domain.InfoHash, error)
	// Describe does what staff do once all the items are up (artists'
	// descriptions, people's biographies, ...) and returns the counts of
	// the catalogue filled, for the report (keys such as "albums", which
	// no other plugin uses).
	Describe(ctx context.Context) (Counts, error)
}

// Upload is one plugin item to upload: the item, its .torrent and the
// name of its uploader.
type Upload struct {
	Item     Item
	File     []byte
	Uploader string
}

// Counts are how much the demo filled, by what: "torrents", and each
// plugin's counts of its catalogue.
type Counts map[string]int

// minGeneric is how many generic torrents each generic category adds to
// the fewest the catalog holds, even when the plugins' catalogues alone
// reach the number asked for.
const minGeneric = 5

// categoriesOf are the categories plugins own.
func categoriesOf(plugins []Plugin) []string {
	out := make([]string, len(plugins))
	for i, p := range plugins {
		out[i] = p.Category()
	}
	return out
}

// genericCategories are categories without the ones plugins own.
func genericCategories(categories []string, plugins []Plugin) []string {
	owned := categoriesOf(plugins)
	var out []string
	for _, c := range categories {
		if !slices.Contains(owned, c) {
			out = append(out, c)
		}
	}
	return out
}

// pluginItems are the items of each plugin in turn, drawn from rng, each
// in its plugin's category, with its place in the plugin's order and its
// size.
func pluginItems(rng *rand.Rand, plugins []Plugin) []Item {
	var out []Item
	for _, p := range plugins {
		for k, it := range p.Items(rng) {
			it.Category, it.order, it.Size = p.Category(), k, 0
			for _, f := range it.Files {
				it.Size += f.Length
			}
			out = append(out, it)
		}
	}
	return out
}

// sessions begins a session of each plugin, by its category.
func sessions(plugins []Plugin, c *commands.Commands) map[string]Session {
	out := make(map[string]Session, len(plugins))
	for _, p := range plugins {
		out[p.Category()] = p.Session(c)
	}
	return out
}

// uploadPlugin uploads item i, a plugin's, as its uploader through its
// plugin's session.
func (r *demoRun) uploadPlugin(ctx context.Context, i int) (domain.InfoHash, error) {
	it := r.plan.Items[i]
	s := r.sessions[it.Category]
	if s == nil {
		return domain.InfoHash{}, domain.E("demo", domain.KindInternal, "%s: no plugin owns category %s", it.Name, it.Category)
	}
	return s.Upload(ctx, Upload{Item: it, File: r.files[i], Uploader: r.plan.People[r.plan.Uploader[i]].Name})
}

// describe has each plugin describe its catalogue once the items are up,
// and adds its counts to counts.
func (r *demoRun) describe(ctx context.Context, counts Counts) error {
	for _, p := range r.plugins {
		c, err := r.sessions[p.Category()].Describe(ctx)
		if err != nil {
			return err
		}
		maps.Copy(counts, c)
		fmt.Fprintf(r.stderr, "demo: the %s catalogue described: %v\n", p.Category(), map[string]int(c))
	}
	return nil
}
