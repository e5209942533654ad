package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/djembe/djembe/commands"
	"github.com/djembe/djembe/domain"
)

// fakePlugin owns category TV and gives n items, its index as each Ref.
type fakePlugin struct{ n int }

func (fakePlugin) Category() string { return "TV" }

func (f fakePlugin) Items(rng *rand.Rand) []Item {
	out := make([]Item, f.n)
	for k := range out {
		out[k] = Item{Name: fmt.Sprintf("fake-%03d", k), Files: Single(Between(rng, MiB, 2*MiB)), Ref: k}
	}
	return out
}

func (fakePlugin) Session(*commands.Commands) Session { return nil }

// A plan takes a plugin's items into the plugin's category, sized and in
// the plugin's order among the generic torrents, and draws no generic
// torrent in the category; without plugins every category is generic.
func TestDemoPlanTakesThePluginsItems(t *testing.T) {
	end := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	p := NewPlan(rand.New(rand.NewPCG(1, 2)), People(), []Plugin{fakePlugin{40}}, commands.Categories, 120, end.Add(-DefaultDays*24*time.Hour), end)
	next, generic := 0, 0
	for _, it := range p.Items {
		switch {
		case it.Ref == nil && it.Category == "TV":
			t.Errorf("generic torrent %s in the plugin's category", it.Name)
		case it.Ref == nil:
			generic++
		case it.Ref != next || it.Category != "TV" || it.Size < MiB:
			t.Errorf("plugin item %s (%v) in %s, %d bytes, where item %d should be", it.Name, it.Ref, it.Category, it.Size, next)
		default:
			next++
		}
	}
	if next != 40 || generic < 80 {
		t.Errorf("%d plugin items and %d generic ones", next, generic)
	}
	if n := len(genericCategories(commands.Categories, nil)); n != len(commands.Categories) {
		t.Errorf("without plugins, %d of %d categories are generic", n, len(commands.Categories))
	}
}

// A fill with a plugin item whose category no plugin owns says so.
func TestDemoUploadWithoutItsPlugin(t *testing.T) {
	r := &demoRun{plan: Plan{Items: []Item{{Name: "x", Category: "TV", Ref: 1}}, People: People(), Uploader: []int{0}}, files: [][]byte{nil}}
	if _, err := r.uploadPlugin(context.Background(), 0); domain.KindOf(err) != domain.KindInternal {
		t.Errorf("uploadPlugin without its plugin: %v", err)
	}
}
