package httpapi

import (
	"context"

	"switchboard"
)

// read returns what fn reads in a read-only transaction of s: the shape of
// most of the API's reads, one store call whose result the handler answers.
func read[T any](ctx context.Context, s switchboard.Store, fn func(switchboard.Tx) (T, error)) (T, error) {
	var v T
	err := s.View(ctx, func(tx switchboard.Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}
