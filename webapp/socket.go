package webapp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/coder/websocket"

	"switchboard"
	"switchboard/engine"
	"switchboard/httpx"
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
	ch, _, err := h.lookup(r.Context(), r.PathValue("channel"))
	if err != nil {
		httpx.WriteError(w, r, h.log, err)
		return
	}
	key, err := h.authenticate(r, ch)
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
	defer h.conns.Done()
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		h.log.Info("webapp: websocket upgrade refused", "client", key.String(), "err", err)
		return // Accept has answered
	}
	ws.SetReadLimit(h.maxFrame)
	c := &conn{
		h: h, ws: ws, key: key, last: after,
		out:  make(chan outbound, queuedWork),
		work: make(chan inFrame, queuedWork),
		log:  h.log.With("client", key.String()),
	}
	c.run(r.Context())
}

// outbound is a frame for the writer. flush makes the writer first send the
// messages stored so far, so an event's ack follows the messages it produced.
type outbound struct {
	data  []byte
	flush bool
}

// conn is one live WebSocket of one client. Its goroutines: the reader
// (decodes frames, answers pings, queues work), the worker (runs events one at
// a time, in order), the writer (the only one writing data frames: messages,
// state, answers), and a heartbeat that pings the page.
type conn struct {
	h    *Handler
	ws   *websocket.Conn
	key  switchboard.ClientKey
	out  chan outbound
	work chan inFrame
	log  *slog.Logger

	// Owned by the writer.
	last  int64     // id of the last message sent
	live  bool      // the history was sent: what follows arrives live
	state liveState // livechat state last sent
	sent  bool      // whether a state was sent yet

	cancel context.CancelFunc
}

// run serves the connection until the page goes away, a write fails, the
// heartbeat times out, or the server shuts down: the handler is closed or the
// request's context ends (the app cancels its server's BaseContext). Then the
// page is told "going away" and reconnects.
func (c *conn) run(request context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	defer cancel()
	goingAway := func() {
		_ = c.ws.Close(websocket.StatusGoingAway, "the server is shutting down: reconnect")
		cancel()
	}
	defer context.AfterFunc(c.h.base, goingAway)()
	defer context.AfterFunc(request, goingAway)()
	// Subscribe before the first read of the store, so no commit falls between.
	hints, unsubscribe := c.h.sub.Subscribe(switchboard.TopicClient(c.key))
	defer unsubscribe()
	c.log.Debug("webapp: connected", "after", c.last)

	var wg sync.WaitGroup
	for _, loop := range []func(context.Context){
		func(ctx context.Context) { c.write(ctx, hints) },
		c.process,
		c.heartbeat,
	} {
		wg.Go(func() { c.guard(ctx, loop) })
	}
	c.guard(ctx, c.read)
	cancel()
	wg.Wait()
	_ = c.ws.CloseNow()
	c.log.Debug("webapp: disconnected")
}

// guard runs one of the connection's loops; a panic ends the connection, not
// the server.
func (c *conn) guard(ctx context.Context, loop func(context.Context)) {
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("webapp: connection panicked", "panic", fmt.Sprint(v))
		}
		c.cancel()
	}()
	loop(ctx)
}

// send hands a frame to the writer.
func (c *conn) send(ctx context.Context, o outbound) {
	select {
	case c.out <- o:
	case <-ctx.Done():
	}
}

// read decodes the page's frames until the connection ends. Bad frames get an
// error frame and change nothing; an oversized frame closes the connection
// with 1009 (the websocket library does it on the read limit).
func (c *conn) read(ctx context.Context) {
	limit := newBucket(c.h.clock, burstFrames, frameRate)
	for {
		typ, data, err := c.ws.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) == -1 && ctx.Err() == nil {
				c.log.Debug("webapp: read", "err", err)
			}
			return
		}
		f, err := decodeFrame(typ, data)
		switch {
		case !limit.allow():
			c.send(ctx, outbound{data: errorOf(f.ID, switchboard.Errorf(switchboard.ETOOMANY,
				"too many frames: at most %d at once and %d per second; retry later", burstFrames, frameRate))})
		case err != nil:
			c.send(ctx, outbound{data: errorOf(f.ID, err)})
		case f.Type == typePing:
			c.send(ctx, outbound{data: encode(plainFrame{Type: typePong})})
		default:
			select {
			case c.work <- f:
			default:
				c.send(ctx, outbound{data: errorOf(f.ID, switchboard.Errorf(switchboard.ETOOMANY,
					"%d frames are already waiting: retry when they are acknowledged", queuedWork))})
			}
		}
	}
}

// process runs events and metadata one at a time, in the order they came.
func (c *conn) process(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case f := <-c.work:
			c.send(ctx, c.handle(ctx, f))
		}
	}
}

// handle runs one frame through the engine and returns its answer. A frame
// that was started finishes even if the page leaves meanwhile: its result is
// stored, and the page learns it on reconnecting by sending the id again.
func (c *conn) handle(ctx context.Context, f inFrame) (o outbound) {
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("webapp: handling a frame panicked", "type", f.Type, "id", f.ID, "panic", fmt.Sprint(v))
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
			c.log.Error("webapp: handle frame", "type", f.Type, "id", f.ID, "err", err)
		}
		return outbound{data: errorOf(f.ID, err)}
	}
	return outbound{data: encode(ackFrame{Type: typeAck, ID: f.ID, Duplicate: duplicate}), flush: true}
}
