//go:build linux

package sqlite

import (
	"fmt"
	"os"
	"sync"

	"golang.org/x/sys/unix"

	"switchboard/internal/ownerfile"
)

// peers tells the cache whether another store, in this process or another
// (a second server, `switchboard agent add`), has the database open, since
// the hook sees only this store's writes (cache.go). Every store keeps
// open, next to the database, a file "-peers" on which it holds a shared
// lock of its own (an open-file-description lock, so that two stores of
// one process see each other), and to which it adds one byte when it opens:
// the file's size counts the stores ever opened.
type peers struct {
	f *os.File

	unlocked bool // the lock could not be taken: the cache stays off

	mu      sync.Mutex
	size    int64 // the file's size at the last look
	crowded bool  // the last look found another store
}

// peersFile is the name of the file next to the database at path.
func peersFile(path string) string { return path + "-peers" }

// openPeers announces this store and holds its lock until close.
func openPeers(path string) (*peers, error) {
	name := peersFile(path)
	if err := ownerfile.Create(name); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write([]byte{0}); err != nil { // appended: never lost to another store's
		f.Close()
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	p := &peers{f: f, size: -1}
	lock := unix.Flock_t{Type: unix.F_RDLCK, Start: 0, Len: 1}
	if unix.FcntlFlock(f.Fd(), unix.F_OFD_SETLKW, &lock) != nil {
		p.unlocked = true // a file system without such locks: others would go unseen
	}
	return p, nil
}

// alone reports whether this store is the only one with the database open.
// reset is called when another store may have written since the last look:
// one opened since, or the last look found one.
func (p *peers) alone(reset func()) bool {
	if p.unlocked {
		return false
	}
	var st unix.Stat_t
	lock := unix.Flock_t{Type: unix.F_WRLCK, Start: 0, Len: 1}
	fd := int(p.f.Fd())
	if unix.Fstat(fd, &st) != nil || unix.FcntlFlock(uintptr(fd), unix.F_OFD_GETLK, &lock) != nil {
		return false
	}
	others := lock.Type != unix.F_UNLCK
	p.mu.Lock()
	defer p.mu.Unlock()
	if st.Size != p.size || p.crowded && !others {
		reset()
	}
	p.size, p.crowded = st.Size, others
	return !others
}

// close gives the lock up.
func (p *peers) close() error { return p.f.Close() }
