//go:build race

package tracker

// raceEnabled: the tests run under the race detector, which multiplies
// the memory and time of each allocation.
const raceEnabled = true
