//go:build !race

package badinput_test

// slowdown stretches the deadline under the race detector (see
// race_test.go); without it, answers come within one deadline.
const slowdown = 1
