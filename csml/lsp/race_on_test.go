//go:build race

package lsp

// raceEnabled tells timing tests that the race detector slows everything.
const raceEnabled = true
