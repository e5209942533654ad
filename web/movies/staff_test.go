package movies

import (
	"context"
	"testing"

	"github.com/djembe/djembe/domain"
	"github.com/google/uuid"
)

// The merge form takes the movie's page address in any shape staff paste
// it, or its id; anything else is refused beside the field.
func TestMergeTarget(t *testing.T) {
	id := uuid.MustParse("6f1c1f0e-8a43-4c55-9a4e-2a3c9b1d7e10")
	p := &pages{}
	for _, in := range []string{id.String(), " " + id.String() + " ", "/movies/" + id.String(), "https://djembe.example/movies/" + id.String(),
		"https://djembe.example/movies/" + id.String() + "/", "/movies/" + id.String() + "#t0102", "/movies/" + id.String() + "?x=1"} {
		if got, err := p.mergeTarget(context.Background(), in); err != nil || got != id {
			t.Errorf("%q: %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "  ", "the matrix", "/movies/", "/movies/people/nobody"} {
		if _, err := p.mergeTarget(context.Background(), in); domain.FieldOf(err) != "into" || domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("%q: %v, want a refusal beside into", in, err)
		}
	}
}
