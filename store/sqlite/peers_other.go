//go:build !linux

package sqlite

// peers cannot tell other stores apart here: the cache stays off.
type peers struct{}

func openPeers(string) (*peers, error) { return &peers{}, nil }

// alone reports false: another store may write unseen.
func (*peers) alone(func()) bool { return false }

func (*peers) close() error { return nil }
