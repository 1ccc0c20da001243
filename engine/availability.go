package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"switchboard"
	"switchboard/livechat"
)

// How long a platform's count of online agents is used before it is read
// again, and how long reading it may take.
const (
	presenceTTL     = 30 * time.Second
	presenceTimeout = 3 * time.Second
)

// availability is whether a bot's team takes a conversation now.
type availability struct {
	available bool
	// reason is livechat.ReasonClosed or ReasonNoAgent when not available.
	reason string
	// open says the business hours are open; next is when they next open
	// when they are not (zero when unknown).
	open bool
	next time.Time
	// agents counts the online agents; -1 when not counted or unknown.
	agents int
	// loc is the time zone of the business hours.
	loc *time.Location
}

// availability evaluates a bot's availability settings at the turn's time:
// business hours, then, when asked for, an online agent (the desk's from
// the store, a platform's from the presence cache).
func (t *turn) availability(botID, platform string, a *livechat.Availability) (availability, error) {
	av := availability{available: true, open: true, agents: -1, loc: time.UTC}
	if a == nil {
		return av, nil
	}
	if loc, err := a.Location(); err == nil {
		av.loc = loc
	}
	if av.open, av.next = a.OpenAt(t.now); !av.open {
		av.available, av.reason = false, livechat.ReasonClosed
		return av, nil
	}
	if !a.NeedsAgents() {
		return av, nil
	}
	switch t.e.providers[platform].(type) {
	case livechat.InStore:
		n, err := t.deskAgentsOnline(botID, a.Idle())
		if err != nil {
			return av, err
		}
		av.agents = n
	case livechat.PresenceReader:
		t.e.presence.want(botID)
		if n, ok := t.e.presence.get(botID); ok {
			av.agents = n
		}
	}
	if av.agents == 0 {
		av.available, av.reason = false, livechat.ReasonNoAgent
	}
	return av, nil
}

// deskAgentsOnline counts the enabled desk agents who see the bot and are
// online: they set it and used the desk within idle.
func (t *turn) deskAgentsOnline(botID string, idle time.Duration) (int, error) {
	agents, err := t.tx.ListAgents(t.ctx)
	if err != nil {
		return 0, fmt.Errorf("list agents: %w", err)
	}
	presence, err := t.tx.ListPresence(t.ctx)
	if err != nil {
		return 0, fmt.Errorf("list presence: %w", err)
	}
	status := make(map[string]switchboard.AgentPresence, len(presence))
	for _, p := range presence {
		status[p.AgentID] = p
	}
	n := 0
	for _, a := range agents {
		if !a.Disabled && a.SeesBot(botID) && status[a.ID].Effective(t.now, idle) == switchboard.PresenceOnline {
			n++
		}
	}
	return n, nil
}

// metadataAvailability is _metadata.livechat: what a flow reads to know,
// before it offers an agent, whether one will answer.
type metadataAvailability struct {
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"`
	Open      bool   `json:"open"`
	NextOpen  string `json:"next_open,omitempty"`
	// NextOpenText is NextOpen written for a user, in the bot's time zone.
	NextOpenText string `json:"next_open_text,omitempty"`
	AgentsOnline *int   `json:"agents_online,omitempty"`
}

// botMetadata is _metadata for a run of botID: the client's, plus, when
// the bot has availability settings, the livechat object (it replaces a
// livechat key the channel sent).
func (t *turn) botMetadata(botID string) (json.RawMessage, error) {
	md := t.metadata()
	platform, a, err := livechat.LoadAvailability(t.ctx, t.tx, botID)
	if err != nil || a == nil {
		return md, err
	}
	av, err := t.availability(botID, platform, a)
	if err != nil {
		return nil, err
	}
	m := metadataAvailability{Available: av.available, Reason: av.reason, Open: av.open}
	if !av.next.IsZero() {
		m.NextOpen, m.NextOpenText = av.next.In(av.loc).Format(time.RFC3339), a.FormatNextOpen(av.next)
	}
	if av.agents >= 0 {
		m.AgentsOnline = &av.agents
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(md, &obj); err != nil || obj == nil {
		obj = map[string]json.RawMessage{}
	}
	obj["livechat"], _ = json.Marshal(m)
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("encode metadata: %w", err)
	}
	return out, nil
}

// presenceCache keeps the platforms' counts of online agents per bot, read
// outside transactions (refreshPresence) and used inside them.
type presenceCache struct {
	mu sync.Mutex
	// wanted are the bots whose settings need a platform's count.
	wanted map[string]bool
	counts map[string]presenceCount
}

type presenceCount struct {
	online int
	at     time.Time
}

func (c *presenceCache) want(botID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.wanted == nil {
		c.wanted = map[string]bool{}
	}
	c.wanted[botID] = true
}

func (c *presenceCache) get(botID string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.counts[botID]
	return n.online, ok
}

// stale reports whether a bot's count is wanted and missing or old at now;
// always says it is for a request that will open a session.
func (c *presenceCache) stale(botID string, now time.Time, always bool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.counts[botID]
	return (always || c.wanted[botID]) && (!ok || now.Sub(n.at) >= presenceTTL)
}

func (c *presenceCache) put(botID string, online int, at time.Time, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[string]presenceCount{}
	}
	if !ok {
		delete(c.counts, botID) // unknown: the hours decide
		return
	}
	c.counts[botID] = presenceCount{online: online, at: at}
}

// refreshPresence reads again, outside any transaction, how many agents of
// the bot's platform are online, when the bot's settings need it and the
// count is old. starting is set for a request that may open a session: the
// settings are read to know. A platform that does not answer leaves the
// count unknown, and then business hours alone decide.
func (e *Engine) refreshPresence(ctx context.Context, botID string, starting bool) {
	now := e.clock.Now()
	if !e.presence.stale(botID, now, starting) {
		return
	}
	var cfg livechat.Resolved
	err := e.store.View(ctx, func(tx switchboard.Tx) error {
		s, err := livechat.LoadSettings(ctx, tx, e.sealer, botID)
		cfg = s.Resolve()
		return err
	})
	if err != nil || !cfg.Availability.NeedsAgents() {
		return
	}
	reader, ok := e.providers[cfg.Platform].(livechat.PresenceReader)
	if !ok {
		return
	}
	e.presence.want(botID)
	rctx, cancel := context.WithTimeout(ctx, presenceTimeout)
	defer cancel()
	n, err := reader.OnlineAgents(rctx, botID, cfg)
	if err != nil {
		e.log.WarnContext(ctx, "livechat: could not read which agents are online", "bot_id", botID, "platform", cfg.Platform, "err", err)
	}
	e.presence.put(botID, n, now, err == nil)
}

// refuseSession answers LIVECHAT_SESSION_START when nobody is there and
// the bot's settings say refuse: no session opens; the user's click is
// stored and the bot runs on LIVECHAT_SESSION_UNAVAILABLE with
// event.reason (closed, no_agent) and event.next_open (RFC 3339 in the
// bot's time zone, empty when unknown), in the reply to the click.
func (t *turn) refuseSession(req Request, av availability, reply *Reply) error {
	if err := t.openConversation(); err != nil {
		return err
	}
	recv := &switchboard.Message{Direction: switchboard.DirectionReceive, Sender: switchboard.Sender{Kind: switchboard.SenderUser}, Payload: req.Payload, RequestID: req.RequestID}
	if err := t.addMessage(recv); err != nil {
		return err
	}
	extra := map[string]any{"reason": av.reason, "next_open": ""}
	if !av.next.IsZero() {
		extra["next_open"] = av.next.In(av.loc).Format(time.RFC3339)
	}
	ev, p := payloadEvent(switchboard.PayloadSessionUnavailable, extra)
	t.fx.after = append(t.fx.after, func() {
		t.e.log.InfoContext(t.ctx, "livechat: session refused", "bot_id", t.key.BotID, "reason", av.reason)
	})
	if err := t.botTurn(inbound{requestID: req.RequestID, system: true, payload: p}, ev, reply); err != nil {
		return err
	}
	reply.Received = recv
	return nil
}

// maxTicketWait is how long an offline ticket waits when nobody knows when
// an agent will come (no business hours, nobody online).
const maxTicketWait = 24 * time.Hour

// ticketTimeout is the inactivity window of an offline ticket: until the
// next opening plus the bot's timeout (a day when the opening is unknown),
// at most livechat.MaxTimeout.
func ticketTimeout(now time.Time, timeout time.Duration, av availability) time.Duration {
	wait := maxTicketWait
	if !av.next.IsZero() {
		wait = av.next.Sub(now) + timeout
	}
	return min(max(wait, timeout), livechat.MaxTimeout)
}

// openTicket tells the user of an offline ticket when they will be
// answered, with the end button to go back to the bot, and the agents why
// nobody answered yet (a note on platforms; the desk shows the message).
func (t *turn) openTicket(s *switchboard.Session, cfg livechat.Resolved, av availability) error {
	text := cfg.Availability.TicketText(av.next)
	if err := t.addMessage(&switchboard.Message{
		Direction: switchboard.DirectionSend, Sender: switchboard.Sender{Kind: switchboard.SenderSystem},
		Payload: livechat.Question(text, livechat.Button{Title: cfg.EndButtonLabel, Payload: switchboard.PayloadSessionEnd}), SessionID: s.ID,
	}); err != nil {
		return err
	}
	if !t.throughOutbox(s) {
		return nil
	}
	why := "the team was closed"
	if av.reason == livechat.ReasonNoAgent {
		why = "no agent was online"
	}
	return t.enqueue(JobNote, jobPayload{SessionID: s.ID, Note: fmt.Sprintf("Offline ticket: opened when %s. The customer was told: %q", why, text)})
}
