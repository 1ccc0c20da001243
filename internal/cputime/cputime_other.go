//go:build !unix

package cputime

import "time"

// Self is not measured on this system: it is always zero.
func Self() time.Duration { return 0 }
