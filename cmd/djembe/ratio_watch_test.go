package main

import (
	"strings"
	"testing"

	"github.com/djembe/djembe/domain"
)

func TestServeRatioGrace(t *testing.T) {
	c, err := parseServe(benchEnv(), nil)
	if err != nil || c.RatioWatch.Policy.Grace != domain.DefaultRatioGrace {
		t.Fatalf("default grace: %v, %v", c.RatioWatch.Policy.Grace, err)
	}
	if c, err = parseServe(benchEnv(), []string{"--ratio-grace", "72h"}); err != nil || c.RatioWatch.Policy.Grace.Hours() != 72 {
		t.Fatalf("--ratio-grace 72h: %v, %v", c.RatioWatch.Policy.Grace, err)
	}
	for _, bad := range []string{"0s", "-1h"} {
		if _, err := parseServe(benchEnv(), []string{"--ratio-grace", bad}); domain.KindOf(err) != domain.KindInvalid ||
			!strings.Contains(err.Error(), "--ratio-grace") {
			t.Errorf("--ratio-grace %s: %v", bad, err)
		}
	}
}
