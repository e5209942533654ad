package chart

import (
	"math"
	"strconv"
)

// Axis is a value axis from 0 up to Top, with a grid line and a label every
// Step. Top is a whole number of steps at or above the largest value, so the
// largest value is drawn inside the plot.
type Axis struct {
	Top, Step float64
	unit      float64 // a label is the value divided by unit...
	suffix    string  // ...followed by this (" GiB")
}

// Values are the values of the axis's grid lines, 0 to Top.
func (a Axis) Values() []float64 {
	if a.Step <= 0 {
		return []float64{0}
	}
	var vs []float64
	for i := 0; float64(i)*a.Step <= a.Top+a.Step/2; i++ {
		vs = append(vs, float64(i)*a.Step)
	}
	return vs
}

// Label is v as the axis labels it: in the axis's unit, with no more
// decimals than its step needs.
func (a Axis) Label(v float64) string {
	unit := a.unit
	if unit == 0 {
		unit = 1
	}
	v /= unit
	p := math.Pow(10, math.Max(0, -math.Floor(math.Log10(a.Step/unit)))+1)
	return strconv.FormatFloat(math.Round(v*p)/p, 'f', -1, 64) + a.suffix
}

// frac is where v falls on the axis, 0 at the bottom to 1 at Top; values
// outside are clipped to the plot.
func (a Axis) frac(v float64) float64 {
	if a.Top <= 0 {
		return 0
	}
	return min(max(v/a.Top, 0), 1)
}

// Counts is an axis of whole numbers up to at least top (and at least 1),
// in about four whole, round steps.
func Counts(top float64) Axis {
	top = math.Max(top, 1)
	step := math.Max(1, NiceStep(top/4))
	return Axis{Top: step * math.Ceil(top/step), Step: step, unit: 1}
}

// Numbers is an axis of plain numbers (a ratio) up to at least top, in
// about four round steps, fractional ones for a small top.
func Numbers(top float64) Axis {
	if top <= 0 {
		top = 1
	}
	step := NiceStep(top / 4)
	return Axis{Top: step * math.Max(1, math.Ceil(top/step)), Step: step, unit: 1}
}

// byteUnits are the binary units the site shows sizes in.
var byteUnits = []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// Bytes is an axis of byte counts up to at least top, in about four round
// steps of the largest binary unit top holds ("0 GiB", "5 GiB", "10 GiB").
func Bytes(top uint64) Axis {
	unit, i := 1.0, 0
	for float64(top)/unit >= 1024 && i < len(byteUnits)-1 {
		unit *= 1024
		i++
	}
	v := float64(top) / unit
	if v == 0 {
		v = 1
	}
	step := max(NiceStep(v/4)*unit, 1) // no fraction of a byte
	return Axis{Top: step * math.Max(1, math.Ceil(float64(top)/step)), Step: step, unit: unit, suffix: " " + byteUnits[i]}
}

// NiceStep is the least of 1, 2 or 5 times a power of ten that is at least
// v; 1 for a v that is not positive.
func NiceStep(v float64) float64 {
	if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= v*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}
