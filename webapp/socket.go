package webapp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/httpx"
	"switchboard/internal/wsserver"
)

// Limits of one connection.
const (
	burstFrames = 20  // frames a page may send at once
	frameRate   = 10  // frames per second, sustained
	queuedWork  = 16  // events and metadata waiting for the engine
	historyPage = 100 // messages read from the store at a time
)

// serveSocket answers GET /v1/webapp/{channel}/ws: it checks the channel, the
// visitor and ?after before upgrading, then runs the connection.
func (h *Handler) serveSocket(w http.ResponseWriter, r *http.Request) {
	key, err := h.visitorOf(r)
	if err != nil {
		httpx.WriteError(w, r, h.log, err)
		return
	}
	var after int64
	if s := r.URL.Query().Get("after"); s != "" {
		if after, err = strconv.ParseInt(s, 10, 64); err != nil || after < 0 {
			httpx.WriteError(w, r, h.log, switchboard.Errorf(switchboard.EINVALID, "after must be a message id (an integer >= 0), not %q", s))
			return
		}
	}
	if !h.track() {
		httpx.WriteError(w, r, h.log, switchboard.Errorf(switchboard.EUNAVAILABLE, "the server is shutting down: reconnect"))
		return
	}
	ws, err := wsserver.Upgrade(w, r)
	if err != nil {
		h.conns.Done()
		h.log.Info("webapp: websocket upgrade refused", "client", key.String(), "err", err)
		return // Upgrade has answered
	}
	ws.Limit, ws.DiscardLimit, ws.WriteTimeout = h.maxFrame, discardLimit, writeTimeout
	// The user id is a piece of the request's first line, which the page
	// would keep whole.
	key.UserID = strings.Clone(key.UserID)
	c := &conn{h: h, ws: ws, key: key, last: after}
	// The connection runs on goroutines of its own and this request's ends:
	// net/http is done with a hijacked connection, and the goroutine that
	// served the request carries a stack grown by everything above (routing,
	// the store's lookups).
	go c.run()
}

// outbound is a frame for the writer. flush makes the writer first send the
// messages stored so far, so an event's ack follows the messages it produced.
type outbound struct {
	data  []byte
	flush bool
}

// conn is one live WebSocket of one client. A server holds many idle pages,
// so an idle connection runs no goroutine: its socket is parked
// (wsserver.Conn.Park) until the page sends something, then a reader runs
// until nothing is left to read (it decodes frames, answers pings, queues
// work) and parks it again. The writer runs only while there is something
// to write (a hint of new messages, an answer), a worker only while events
// are queued (one at a time, in order), and the heartbeat only while a ping
// waits for its pong.
type conn struct {
	h     *Handler
	ws    *wsserver.Conn
	key   switchboard.ClientKey
	limit *bucket // the page's rate of frames, from its first frame
	leave func()  // ends the connection's subscription

	// The work queue (events and metadata waiting for the engine) and
	// whether a worker runs; what waits for the writer (a hint, frames)
	// and whether a writer runs. Guarded by mu; busy counts the goroutines
	// started on demand (the worker, the writer, a heartbeat), which run
	// waits for.
	mu      sync.Mutex
	queue   []inFrame
	working bool
	hinted  bool       // messages may have been stored since the writer last read
	outq    []outbound // frames for the writer, in order
	writing bool
	pinging bool // a ping waits for its pong
	stopped bool // run is ending: nothing more is started
	busy    sync.WaitGroup
	slot    int // the heartbeat's slot (see pages), guarded by its mutex

	// Owned by the writer (one at a time).
	last  int64     // id of the last message sent
	live  bool      // the history was sent: what follows arrives live
	state liveState // livechat state last sent
	sent  bool      // whether a state was sent yet

	// ctx ends when the connection does (see end); the reader and the
	// writer, which are never given it, return when the socket is closed.
	ctx    context.Context
	cancel context.CancelFunc
}

// log is the handler's logger with the client. It is made when a line is
// logged: an idle page keeps no logger of its own.
func (c *conn) log() *slog.Logger { return c.h.log.With("client", c.key.String()) }

// debug logs a debug line, when debug lines are logged.
func (c *conn) debug(msg string, args ...any) {
	if c.h.log.Enabled(context.Background(), slog.LevelDebug) {
		c.log().Debug(msg, args...)
	}
}

// run starts serving the connection, which goes on until the page goes
// away, a write fails, the heartbeat times out, or the server shuts down:
// the handler is closed or its base context ends (the app cancels it with
// its server's BaseContext). Then the page is told "going away" and
// reconnects.
func (c *conn) run() {
	c.ctx, c.cancel = context.WithCancel(context.Background())
	if !c.h.join(c) { // the server is shutting down
		_ = c.ws.Close(wsserver.StatusGoingAway, "the server is shutting down: reconnect")
		c.readOn()
		return
	}
	// Subscribe before the first read of the store, so no commit falls between.
	c.leave = c.h.sub.SubscribeFunc(switchboard.TopicClient(c.key), func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.hinted = true
		c.kick(c.ctx)
	})
	c.debug("webapp: connected", "after", c.last)

	c.mu.Lock()
	c.kick(c.ctx) // the history and "ready"
	c.mu.Unlock()
	if !c.ws.Park(c.wake) {
		c.readOn()
	}
}

// wake is called when the parked socket has something to read, or was
// closed: a reader goes on.
func (c *conn) wake() { go c.readOn() }

// readOn reads the page's frames until none is waiting and parks the
// socket, or, once the connection has ended, waits for what runs for it and
// lets it go.
func (c *conn) readOn() {
	if c.guard(c.read) {
		return
	}
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
	c.busy.Wait()
	if c.leave != nil {
		c.leave()
		c.h.leave(c)
	}
	c.cancel()
	c.h.conns.Done()
	c.debug("webapp: disconnected")
}

// end ends the connection: what runs for it stops, and the reader learns
// it from the closed socket.
func (c *conn) end() {
	c.cancel()
	_ = c.ws.CloseNow()
}

// ended reports whether the connection was ended.
func (c *conn) ended() bool { return c.ctx.Err() != nil }

// start runs fn in a goroutine that run waits for, unless run is ending; a
// panic ends the connection, not the server. It is called with c.mu held.
func (c *conn) start(fn func()) bool {
	if c.stopped {
		return false
	}
	c.busy.Add(1)
	go func() {
		defer c.busy.Done()
		defer func() {
			if v := recover(); v != nil {
				c.log().Error("webapp: connection panicked", "panic", fmt.Sprint(v))
				c.end()
			}
		}()
		fn()
	}()
	return true
}

// guard runs the reader; a panic ends the connection, not the server. It
// reports whether the reader parked the socket; otherwise the connection
// has ended.
func (c *conn) guard(read func(context.Context) bool) (parked bool) {
	defer func() {
		if v := recover(); v != nil {
			c.log().Error("webapp: connection panicked", "panic", fmt.Sprint(v))
			parked = false
		}
		if !parked {
			c.end()
		}
	}()
	return read(c.ctx)
}

// maxOutbound bounds the frames waiting for the writer: the answers to what
// a page may send within its rate limit while one write waits its longest.
// A page that sends more and reads nothing is disconnected rather than
// queued for without end.
const maxOutbound = burstFrames + frameRate*int(writeTimeout/time.Second) + queuedWork

// send hands a frame to the writer.
func (c *conn) send(ctx context.Context, o outbound) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.outq) >= maxOutbound {
		c.debug("webapp: the page reads none of its frames: disconnected", "waiting", len(c.outq))
		c.end()
		return
	}
	c.outq = append(c.outq, o)
	c.kick(ctx)
}

// kick starts the writer unless it runs (it looks for more work before it
// ends). It is called with c.mu held.
func (c *conn) kick(ctx context.Context) {
	if !c.writing {
		c.writing = c.start(func() { c.write(ctx) })
	}
}

// read decodes the page's frames until none is waiting, then parks the
// socket and reports true; it reports false when the connection ends. Bad
// frames get an error frame and change nothing; an oversized frame closes
// the connection with 1009 (see wsserver.Conn.Limit), after up to
// discardLimit bytes of it are read and dropped: closing with unread data
// would reset the connection, and the page would not learn why.
func (c *conn) read(ctx context.Context) bool {
	for {
		op, data, err := c.ws.ReadMessage()
		if err != nil {
			if wsserver.CloseStatus(err) == -1 && ctx.Err() == nil {
				c.debug("webapp: read", "err", err)
			}
			return false
		}
		if op == wsserver.OpText || op == wsserver.OpBinary {
			if c.limit == nil {
				c.limit = newBucket(c.h.clock, burstFrames, frameRate)
			}
			c.handleFrame(ctx, c.limit.allow(), op, data)
		}
		if c.ws.Park(c.wake) {
			return true
		}
	}
}

// discardLimit bounds what the server reads and throws away of an oversized
// frame before it closes the connection with 1009.
const discardLimit = 1 << 20

// handleFrame answers a page's frame or queues it for the engine; allowed
// says whether the rate limit let it through.
func (c *conn) handleFrame(ctx context.Context, allowed bool, typ wsserver.Opcode, data []byte) {
	f, err := decodeFrame(typ, data)
	switch {
	case !allowed:
		c.send(ctx, outbound{data: errorOf(f.ID, switchboard.Errorf(switchboard.ETOOMANY,
			"too many frames: at most %d at once and %d per second; retry later", burstFrames, frameRate))})
	case err != nil:
		c.send(ctx, outbound{data: errorOf(f.ID, err)})
	case f.Type == typePing:
		c.send(ctx, outbound{data: encode(plainFrame{Type: typePong})})
	case f.Type == typeTyping:
		// A hint with no answer: the desk shows it, or nobody does.
		if err := c.h.engine.CustomerTyping(ctx, c.key, *f.Typing); err != nil {
			c.debug("webapp: customer typing not shown", "err", err)
		}
	default:
		if !c.enqueue(ctx, f) {
			c.send(ctx, outbound{data: errorOf(f.ID, switchboard.Errorf(switchboard.ETOOMANY,
				"%d frames are already waiting: retry when they are acknowledged", queuedWork))})
		}
	}
}

// enqueue queues an event or metadata for the engine, starting a worker when
// none runs; it is false when the queue is full.
func (c *conn) enqueue(ctx context.Context, f inFrame) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) >= queuedWork {
		return false
	}
	c.queue = append(c.queue, f)
	if !c.working {
		c.working = c.start(func() { c.process(ctx) })
	}
	return true
}

// process runs events and metadata one at a time, in the order they came,
// until the queue is empty or the connection ends.
func (c *conn) process(ctx context.Context) {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 || ctx.Err() != nil {
			c.queue, c.working = nil, false // an idle page keeps no queue
			c.mu.Unlock()
			return
		}
		f := c.queue[0]
		c.queue = c.queue[1:]
		c.mu.Unlock()
		c.send(ctx, c.handle(ctx, f))
	}
}

// handle runs one frame through the engine and returns its answer. A frame
// that was started finishes even if the page leaves meanwhile: its result is
// stored, and the page learns it on reconnecting by sending the id again.
func (c *conn) handle(ctx context.Context, f inFrame) (o outbound) {
	defer func() {
		if v := recover(); v != nil {
			c.log().Error("webapp: handling a frame panicked", "type", f.Type, "id", f.ID, "panic", fmt.Sprint(v))
			o = outbound{data: errorOf(f.ID, fmt.Errorf("panic: %v", v))}
		}
	}()
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	var err error
	duplicate := false
	if f.Type == typeMetadata {
		err = c.h.engine.SetMetadata(hctx, c.key, f.Metadata)
	} else {
		var reply *engine.Reply
		reply, err = c.h.engine.HandleEvent(hctx, engine.Request{Client: c.key, RequestID: f.ID, Payload: *f.Payload})
		duplicate = err == nil && reply.Duplicate
	}
	if err != nil {
		if switchboard.ErrorCode(err) == switchboard.EINTERNAL {
			c.log().Error("webapp: handle frame", "type", f.Type, "id", f.ID, "err", err)
		}
		return outbound{data: errorOf(f.ID, err)}
	}
	return outbound{data: encode(ackFrame{Type: typeAck, ID: f.ID, Duplicate: duplicate}), flush: true}
}
