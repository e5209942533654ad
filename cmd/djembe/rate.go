package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// rateUnits are the units --max-rate accepts, in bytes.
var rateUnits = map[string]float64{
	"b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
	"bit": 1.0 / 8, "kbit": 1e3 / 8, "mbit": 1e6 / 8, "gbit": 1e9 / 8, "tbit": 1e12 / 8,
}

// parseRate reads a rate in bytes per second: a number and a unit (B, kB,
// MB, GB, TB, KiB, MiB, GiB, TiB, or bit, kbit, Mbit, Gbit, Tbit), with or
// without "/s": "2GiB/s", "10Gbit", "1500000000".
func parseRate(s string) (uint64, error) {
	t := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "/s")
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, "b"
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	n, err := strconv.ParseFloat(num, 64)
	factor, ok := rateUnits[unit]
	if err != nil || !ok || n <= 0 || math.IsInf(n*factor, 0) || n*factor < 1 || n*factor > math.MaxInt64 {
		return 0, fmt.Errorf("%q is not a rate: give a number and a unit, e.g. 2GiB/s or 10Gbit/s", s)
	}
	return uint64(n * factor), nil
}
