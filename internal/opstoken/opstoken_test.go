package opstoken

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, path, want, refusal string
	}{
		{"a token with a newline", write("ok", "0123456789abcdef0123\n"), "0123456789abcdef0123", ""},
		{"surrounding white space", write("spaced", "  0123456789abcdef \r\n"), "0123456789abcdef", ""},
		{"too short", write("short", "0123456789abcde"), "", "at least 16 characters"},
		{"two words", write("two", "0123456789abcdef 0123456789abcdef"), "", "without spaces"},
		{"empty", write("empty", "\n"), "", "at least 16 characters"},
		{"missing", filepath.Join(dir, "missing"), "", "no such file"},
	} {
		got, err := Read(tc.path)
		switch {
		case tc.refusal == "" && (err != nil || got != tc.want):
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		case tc.refusal != "" && (err == nil || !strings.Contains(err.Error(), tc.refusal) || domain.KindOf(err) != domain.KindInvalid):
			t.Errorf("%s: %q, %v; want a refusal saying %q", tc.name, got, err, tc.refusal)
		}
	}
}
