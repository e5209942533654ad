package browsertest

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gazelleFixture is the answer OPS documents for action (testdata/gazelle).
func gazelleFixture(t *testing.T, action string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "gazelle", action+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("fixture %s: %v", action, err)
	}
	return v
}

// sameShape reports where answer, a whole decoded ajax.php answer, differs
// in shape from Gazelle's documented answer for action: a key the fixture
// has and the answer lacks, another JSON kind, a fraction where Gazelle
// sends an integer, or an id past 32 bits. The answer may have more keys;
// a null in the fixture stands for any value; every element of an array is
// held to the fixture's first.
func sameShape(t *testing.T, action string, answer any) {
	t.Helper()
	for _, p := range shapeDiff("", gazelleFixture(t, action), answer) {
		t.Errorf("action=%s differs from Gazelle's documented answer: %s", action, p)
	}
}

func shapeDiff(path string, want, got any) []string {
	if want == nil {
		return nil
	}
	if kindOf(want) != kindOf(got) {
		return []string{path + ": " + kindOf(got) + ", Gazelle sends " + kindOf(want)}
	}
	switch w := want.(type) {
	case map[string]any:
		var out []string
		g := got.(map[string]any)
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				out = append(out, path+"."+k+": missing")
				continue
			}
			out = append(out, shapeDiff(path+"."+k, wv, gv)...)
		}
		return out
	case []any:
		var out []string
		if len(w) == 0 {
			return nil
		}
		for _, gv := range got.([]any) {
			out = append(out, shapeDiff(path+"[]", w[0], gv)...)
		}
		return out
	case float64:
		return numberDiff(path, w, got.(float64))
	}
	return nil
}

// numberDiff holds got to Gazelle's integers: an integer where the fixture
// has one, and an id within a signed 32-bit int.
func numberDiff(path string, want, got float64) []string {
	if want == math.Trunc(want) && got != math.Trunc(got) {
		return []string{path + ": a fraction, Gazelle sends an integer"}
	}
	key := path[strings.LastIndex(path, ".")+1:]
	if isID := strings.EqualFold(key, "id") || strings.HasSuffix(key, "Id") || key == "aliasid" || key == "hasFile"; isID && (got < 1 || got > math.MaxInt32) {
		return []string{path + ": an id outside 1..2^31-1"}
	}
	return nil
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// TestShapeDiff holds the shape check to what it must catch.
func TestShapeDiff(t *testing.T) {
	fixture := map[string]any{"id": 1.0, "name": "x", "ratio": 0.5, "tags": []any{"a"}, "u": nil,
		"torrents": []any{map[string]any{"torrentId": 3.0, "size": 10.0}}}
	for _, tc := range []struct {
		name  string
		got   map[string]any
		wants int
	}{
		{"same", map[string]any{"id": 7.0, "name": "y", "ratio": 2.0, "tags": []any{}, "u": "z", "extra": true,
			"torrents": []any{map[string]any{"torrentId": 9.0, "size": 1.0}}}, 0},
		{"a string id", map[string]any{"id": "7", "name": "y", "ratio": 2.0, "tags": []any{}, "u": nil, "torrents": []any{}}, 1},
		{"missing key", map[string]any{"id": 7.0, "ratio": 2.0, "tags": []any{}, "u": nil, "torrents": []any{}}, 1},
		{"fractional size, id past 32 bits", map[string]any{"id": 7.0, "name": "y", "ratio": 2.0, "tags": []any{}, "u": nil,
			"torrents": []any{map[string]any{"torrentId": float64(1 << 40), "size": 1.5}}}, 2},
		{"tags not strings", map[string]any{"id": 7.0, "name": "y", "ratio": 2.0, "tags": []any{1.0}, "u": nil, "torrents": []any{}}, 1},
	} {
		if d := shapeDiff("", fixture, tc.got); len(d) != tc.wants {
			t.Errorf("%s: %v, want %d differences", tc.name, d, tc.wants)
		}
	}
}
