//go:build !(linux || darwin)

package app

import "errors"

// RaiseFileLimit reports that this system's file limit is not known here.
func RaiseFileLimit() (soft, hard uint64, err error) {
	return 0, 0, errors.New("the open file limit is not known on this system")
}

// fileLimit is 0: unknown.
func fileLimit() uint64 { return 0 }
