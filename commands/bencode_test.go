package commands

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/bencode"
)

func TestScanBencode(t *testing.T) {
	for _, ok := range []string{
		"i0e", "i-1e", "i42e", "i123456789012345678901234567890e", "0:", "3:abc", "le", "de",
		"l1:ai1ee", "d1:ai1e1:bl1:xee", "d0:0:e", strings.Repeat("l", 64) + strings.Repeat("e", 64),
	} {
		if _, err := scanBencode([]byte(ok)); err != nil {
			t.Errorf("scanBencode(%q) = %v, want well formed", ok, err)
		}
		var v any
		if err := bencode.Unmarshal([]byte(ok), &v); err != nil && !strings.Contains(ok, strings.Repeat("l", 64)) {
			t.Errorf("anacrolix refuses %q, which the scanner accepts: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"", "i", "ie", "i-e", "i-0e", "i01e", "i1", "i1x", "01:a", "1a", "2:a", "-1:a", ":", "l", "d", "d1:ae",
		"di1ei2ee", "x", "e", "i1ei2e", "99999999999999999999999:a", strings.Repeat("l", 65) + strings.Repeat("e", 65),
	} {
		if _, err := scanBencode([]byte(bad)); err == nil {
			t.Errorf("scanBencode(%q) accepted", bad)
		}
	}
}

func TestBvalueInt(t *testing.T) {
	for in, want := range map[string]int64{"i0e": 0, "i-5e": -5, "i9223372036854775807e": math.MaxInt64, "i-9223372036854775808e": math.MinInt64} {
		if got, ok := bvalue(in).int(); !ok || got != want {
			t.Errorf("int(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"i9223372036854775808e", "i-9223372036854775809e", "i99999999999999999999e", "1:a", "le"} {
		if _, ok := bvalue(in).int(); ok {
			t.Errorf("int(%q) fits an int64?", in)
		}
	}
}

func TestBvalueWalk(t *testing.T) {
	v, err := scanBencode([]byte("d1:al1:xi2ee1:b0:e"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	v.dict(func(k []byte, val bvalue, at int) error {
		got = append(got, fmt.Sprintf("%s=%s@%d", k, val, at))
		return nil
	})
	if strings.Join(got, " ") != "a=l1:xi2ee@1 b=0:@12" {
		t.Fatalf("walked %q", got)
	}
}
