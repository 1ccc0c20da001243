package wsserver

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// poller is the process's epoll instance for parked connections, started by
// the first Park, and the wake-ups of the connections parked in it. Each is
// registered once (level-triggered, one-shot: an event disables it until it
// is parked again) under an id of its own, never its descriptor, which the
// runtime may give to another socket once this one is closed.
var poller struct {
	once  sync.Once
	fd    int
	err   error
	mu    sync.Mutex
	wakes map[uint64]func()
}

// lastID numbers parked connections.
var lastID atomic.Uint64

// park registers c for its next readable event; c.mu is held.
func (c *Conn) park(wake func()) bool {
	poller.once.Do(startPoller)
	if poller.err != nil {
		return false
	}
	rc, err := c.rawConn()
	if err != nil {
		return false
	}
	if c.id == 0 {
		c.id = lastID.Add(1)
	}
	poller.mu.Lock()
	poller.wakes[c.id] = wake
	poller.mu.Unlock()
	op := syscall.EPOLL_CTL_MOD
	if !c.registered {
		op = syscall.EPOLL_CTL_ADD
	}
	var ctlErr error
	err = rc.Control(func(fd uintptr) {
		ev := syscall.EpollEvent{
			Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT,
			Fd:     int32(uint32(c.id)),
			Pad:    int32(uint32(c.id >> 32)),
		}
		ctlErr = syscall.EpollCtl(poller.fd, op, int(fd), &ev)
	})
	if err = errors.Join(err, ctlErr); err != nil {
		poller.mu.Lock()
		delete(poller.wakes, c.id)
		poller.mu.Unlock()
		return false
	}
	c.registered = true
	return true
}

// unpark takes c out of the poller before its socket closes, and returns the
// wake-up it was parked with, if it has not been called; c.mu is held.
func (c *Conn) unpark() func() {
	if !c.registered {
		return nil
	}
	if rc, err := c.rawConn(); err == nil {
		_ = rc.Control(func(fd uintptr) {
			_ = syscall.EpollCtl(poller.fd, syscall.EPOLL_CTL_DEL, int(fd), nil)
		})
	}
	poller.mu.Lock()
	defer poller.mu.Unlock()
	wake := poller.wakes[c.id]
	delete(poller.wakes, c.id)
	return wake
}

// rawConn is the socket under the connection, which the poller watches.
func (c *Conn) rawConn() (syscall.RawConn, error) {
	sc, ok := c.nc.(syscall.Conn)
	if !ok {
		return nil, fmt.Errorf("%T is not a socket", c.nc)
	}
	return sc.SyscallConn()
}

// startPoller creates the epoll instance and its goroutine.
func startPoller() {
	fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err == nil {
		err = syscall.SetNonblock(fd, true)
	}
	var rc syscall.RawConn
	if err == nil {
		// The instance is itself a descriptor that is readable while it
		// has events: the runtime's network poller waits on it as on a
		// socket (see poll).
		rc, err = os.NewFile(uintptr(fd), "wsserver-epoll").SyscallConn()
	}
	if err != nil {
		poller.err = err
		slog.Warn("websocket: no epoll instance: idle connections keep a goroutine each", "err", err)
		return
	}
	poller.fd = fd
	poller.wakes = make(map[uint64]func())
	go poll(rc)
}

// poll waits for parked connections to become readable (or hung up) and
// calls their wake-ups, for as long as the process runs. It waits in the
// runtime's network poller, not in a blocking epoll_wait: a goroutine in a
// system call keeps its processor until the runtime takes it back, which may
// take milliseconds, and the readers it started would wait that long on it.
func poll(rc syscall.RawConn) {
	events := make([]syscall.EpollEvent, 256)
	for {
		var n int
		var waitErr error
		err := rc.Read(func(fd uintptr) bool {
			n, waitErr = syscall.EpollWait(int(fd), events, 0)
			return waitErr != nil || n > 0 // else wait until it is readable, and look again
		})
		if errors.Is(waitErr, syscall.EINTR) {
			continue
		}
		if err = errors.Join(err, waitErr); err != nil {
			slog.Error("websocket: waiting for parked connections failed; retrying", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		for _, ev := range events[:n] {
			id := uint64(uint32(ev.Fd)) | uint64(uint32(ev.Pad))<<32
			poller.mu.Lock()
			wake := poller.wakes[id]
			delete(poller.wakes, id)
			poller.mu.Unlock()
			if wake != nil {
				wake()
			}
		}
	}
}
