package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"switchboard"
	"switchboard/livechat"
)

// channelClient is a customer on a messaging channel: it writes and
// presses buttons in the channel's simulator, and takes what the business
// sent from the simulator. A channel answers a webhook before the bot
// runs, so an event returns once its effect is seen: a message to the bot
// once the bot's reply came, a START once switchboard recorded the
// session.
//
// A customer sees messages, not switchboard's records: each received
// message is read as the harness's checks read a chat page's (see
// classify), with the session the customer was last put in.
type channelClient struct {
	sim  channelSim
	user string // the customer's id on the platform
	log  *userLog
	hist *engineHistory

	mu sync.Mutex
	// taken counts the simulator's messages already received; next
	// numbers them (negative, apart from switchboard's ids).
	taken int
	next  int64
	// session is the session the customer was last put in; while
	// resolving a START, received messages wait in held.
	session   string
	resolving bool
	held      []platformMsg
	cancel    context.CancelFunc
}

// Via of a message a channel customer received.
const viaChannel = "channel"

// newChannelClient is user u on the channel; it starts reading what the
// simulator has for them.
func newChannelClient(ctx context.Context, sim channelSim, hist *engineHistory, u *userLog) *channelClient {
	c := &channelClient{sim: sim, user: sim.UserID(u.Num), log: u, hist: hist}
	u.mu.Lock()
	u.UserID = sim.Client(c.user)
	u.mu.Unlock()
	pctx, cancel := context.WithCancel(ctx)
	c.cancel = cancel
	go c.poll(pctx)
	return c
}

// poll takes new messages from the simulator until ctx ends.
func (c *channelClient) poll(ctx context.Context) {
	for {
		c.take()
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// take receives what the simulator has that was not taken yet.
func (c *channelClient) take() {
	ms := c.sim.Received(c.user)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(ms) <= c.taken {
		return
	}
	fresh := ms[c.taken:]
	c.taken = len(ms)
	if c.resolving {
		c.held = append(c.held, fresh...)
		return
	}
	c.receive(fresh)
}

// receive records messages in the user's log; c.mu is held.
func (c *channelClient) receive(ms []platformMsg) {
	for _, m := range ms {
		c.next--
		c.log.receive(classify(m, c.next, c.session), viaChannel)
	}
}

// classify reads a message the customer received as the checks read a
// chat page's: a message with the end button is the sign-off's end
// question (system); a text that starts with "bot: " is the bot's; one
// with an agent's token an agent's; anything else is a system message
// (the connecting message, a queue position).
func classify(m platformMsg, id int64, session string) switchboard.Message {
	out := switchboard.Message{ID: id, SessionID: session, Payload: livechat.TextPayload(m.Text)}
	switch {
	case slices.Contains(m.Buttons, livechat.DefaultEndButtonLabel):
		out.Sender.Kind = switchboard.SenderSystem
		out.Payload = livechat.EndQuestion(m.Text, livechat.DefaultEndButtonLabel)
	case strings.HasPrefix(m.Text, "bot: "):
		out.Sender.Kind = switchboard.SenderBot
	case slices.ContainsFunc(tokensOf(m.Text), func(t string) bool { return strings.HasPrefix(t, "a") }):
		out.Sender.Kind = switchboard.SenderAgent
	default:
		out.Sender.Kind = switchboard.SenderSystem
	}
	return out
}

// event is the customer pressing a button (START, END) or writing text
// (chatClient).
func (c *channelClient) event(ctx context.Context, p switchboard.Payload) (string, error) {
	switch payloadOf(p) {
	case switchboard.PayloadSessionStart:
		return c.start(ctx)
	case switchboard.PayloadSessionEnd:
		return "", c.retry(ctx, "press end", func() error { return c.sim.Press(ctx, c.user, livechat.DefaultEndButtonLabel) })
	}
	text := textOf(p)
	if err := c.retry(ctx, "write", func() error { return c.sim.Write(ctx, c.user, text) }); err != nil {
		return "", err
	}
	toks := tokensOf(text)
	if len(toks) == 0 || !c.log.forBot(toks[0]) {
		return "", nil // to an agent: nothing comes back
	}
	// The bot's reply carries the message's token.
	if !c.await(ctx, settleLimit, func(m recvMsg) bool {
		return m.Sender.Kind == switchboard.SenderBot && slices.Contains(tokensOf(textOf(m.Payload)), toks[0])
	}) {
		return "", fmt.Errorf("no reply to %s after %s", toks[0], settleLimit)
	}
	return "", nil
}

// start presses the bot's "talk to a person" button; unless the bot is
// closed, it waits until switchboard recorded the session the press
// started (the START message's session in the history), and puts the
// customer in it.
func (c *channelClient) start(ctx context.Context) (string, error) {
	if c.log.Closed {
		return "", c.retry(ctx, "press start", func() error { return c.sim.Press(ctx, c.user, startTitle) })
	}
	c.mu.Lock()
	c.resolving = true
	before := c.session
	c.mu.Unlock()
	id, err := "", c.retry(ctx, "press start", func() error { return c.sim.Press(ctx, c.user, startTitle) })
	if err == nil {
		id, err = c.hist.session(ctx, c.log.ledger, c.sim.Client(c.user), before)
	}
	c.mu.Lock()
	if err == nil {
		c.session = id
	}
	c.resolving = false
	c.receive(c.held)
	c.held = nil
	c.mu.Unlock()
	return id, err
}

// retry does a customer's act until the simulator takes it (it refuses
// a press before the message with the button was taken, which cannot
// happen here, and nothing else the harness does), for settleLimit.
func (c *channelClient) retry(ctx context.Context, what string, f func() error) error {
	return retry(ctx, c.log.ledger, c.log.Channel+": "+what, func() (bool, error) { return true, f() })
}

// await waits up to limit for a received message that satisfies f.
func (c *channelClient) await(ctx context.Context, limit time.Duration, f func(recvMsg) bool) bool {
	deadline := time.Now().Add(limit)
	for c.log.count(0, f) == 0 {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	return true
}

// history reads the customer's stored messages (chatClient).
func (c *channelClient) history(ctx context.Context) ([]switchboard.Message, error) {
	client := c.sim.Client(c.user)
	if client == "" {
		return nil, nil // never wrote: a Chatwoot contact has no conversation yet
	}
	return c.hist.all(ctx, c.log.ledger, client)
}

// close stops reading the simulator, after a last look.
func (c *channelClient) close() {
	c.take()
	c.cancel()
}

// engineHistory reads a channel's clients' histories with the CSML engine
// API (GET /v1/engine/messages), the one API that reads any client's
// messages: the harness's instances run with an engine key.
type engineHistory struct {
	base, key, bot, channel string
	http                    *http.Client
}

// page reads up to 500 of the user's messages, newest first, older than
// the message before (0: the newest); more is the next page's key.
func (e *engineHistory) page(ctx context.Context, l *ledger, user string, before int64) (ms []switchboard.Message, more int64, err error) {
	q := url.Values{"bot_id": {e.bot}, "channel_id": {e.channel}, "user_id": {user}, "limit": {"500"}}
	if before > 0 {
		q.Set("pagination_key", strconv.FormatInt(before, 10))
	}
	var out struct {
		Messages      []switchboard.Message `json:"messages"`
		PaginationKey string                `json:"pagination_key"`
	}
	err = retry(ctx, l, "engine api: history", func() (bool, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/v1/engine/messages?"+q.Encode(), nil)
		req.Header.Set("X-Api-Key", e.key)
		res, err := e.http.Do(req)
		if err != nil {
			return true, err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return res.StatusCode >= 500, fmt.Errorf("GET /v1/engine/messages: %s", res.Status)
		}
		return false, json.NewDecoder(res.Body).Decode(&out)
	})
	if err != nil {
		return nil, 0, err
	}
	if out.PaginationKey != "" {
		more, _ = strconv.ParseInt(out.PaginationKey, 10, 64)
	}
	return out.Messages, more, nil
}

// all reads the user's whole history, oldest first.
func (e *engineHistory) all(ctx context.Context, l *ledger, user string) ([]switchboard.Message, error) {
	var out []switchboard.Message
	for before := int64(0); ; {
		ms, more, err := e.page(ctx, l, user, before)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
		if more == 0 || len(ms) == 0 {
			break
		}
		before = more
	}
	slices.SortFunc(out, func(a, b switchboard.Message) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// sessionLimit bounds the wait for a START to be recorded: its webhook
// retried through a kill, its job held a lease by a killed instance.
const sessionLimit = lease + 45*time.Second

// session waits until the user's newest START in the history opened a
// session other than before, and returns it.
func (e *engineHistory) session(ctx context.Context, l *ledger, user, before string) (string, error) {
	deadline := time.Now().Add(sessionLimit)
	for {
		ms, _, err := e.page(ctx, l, user, 0)
		if err != nil {
			return "", err
		}
		for _, m := range ms { // newest first
			if m.Sender.Kind == switchboard.SenderUser && payloadOf(m.Payload) == switchboard.PayloadSessionStart {
				if m.SessionID != "" && m.SessionID != before {
					return m.SessionID, nil
				}
				break
			}
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("no session recorded for the press after %s", sessionLimit)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
