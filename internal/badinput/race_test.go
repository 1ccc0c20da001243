//go:build race

package badinput_test

// slowdown stretches the deadline under the race detector, which makes
// CPU-bound work (bcrypt at every sign-in and invitation) many times
// slower: an answer is late only past this many deadlines.
const slowdown = 6
