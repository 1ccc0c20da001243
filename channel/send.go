package channel

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"switchboard"
	"switchboard/engine"
)

// MaxWait bounds the pause of a Wait component, which holds the client's
// next messages (and a worker) while it lasts.
const MaxWait = 10 * time.Second

// sendContext is what sending one message needs, read in one snapshot.
type sendContext struct {
	m    *switchboard.Message
	key  switchboard.ClientKey
	conn Conn
	// lastUser is the user's last message (nil: none).
	lastUser *switchboard.Message
	// done are the parts sent already, by part.
	done map[int]bool
	// stopped is the user's STOP when they unsubscribed (nil: they did not).
	stopped *consent
	// metadata is the client's (nil: none yet).
	metadata json.RawMessage
}

// runSend sends one stored message to a user of a messaging channel: its
// component rendered into native messages, each part once.
func (l *Layer) runSend(ctx context.Context, j switchboard.Job) error {
	var p engine.CallbackPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return Permanent(fmt.Errorf("decode channel send: %w", err))
	}
	sc, err := l.loadSend(ctx, p.MessageID)
	if switchboard.ErrorCode(err) == switchboard.ENOTFOUND {
		l.cfg.Log.WarnContext(ctx, "channel: message or channel gone; not sent", "message", p.MessageID, "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	comp := ReadComponent(*sc.m, sc.conn.Limits())
	if comp.Kind == "wait" {
		return pause(ctx, min(comp.Duration, MaxWait))
	}
	if sc.stopped != nil {
		if comp.Kind == "typing" {
			return nil
		}
		return l.optedOut(ctx, sc.key, sc.m.ID, sc.stopped)
	}
	out := Outgoing{Message: *sc.m, Metadata: sc.metadata}
	if w := sc.conn.Window(); w > 0 && !l.within(sc.lastUser, w) {
		if comp.Kind == "typing" {
			return nil
		}
		if !l.agentMayAnswer(sc) {
			return l.windowClosed(ctx, sc.conn, sc.key, sc.m.ID)
		}
		out.Late = true
	}
	l.syncThread(ctx, sc.conn, sc.key)
	if sc.lastUser != nil {
		out.ReplyTo = sc.lastUser.RequestID
	}
	natives, err := sc.conn.Render(comp, out)
	if err != nil {
		return l.failed(ctx, sc.m.ID, Permanent(fmt.Errorf("render message %d: %w", sc.m.ID, err)))
	}
	for i, n := range natives {
		if sc.done[i] {
			continue
		}
		id, err := sc.conn.Send(ctx, sc.key.UserID, n)
		switch {
		case IsWindowClosed(err):
			return l.windowClosed(ctx, sc.conn, sc.key, sc.m.ID)
		case IsPermanent(err):
			return l.failed(ctx, sc.m.ID, err)
		case err != nil:
			return err
		case id == "":
			continue
		}
		s := &switchboard.Sent{ChannelID: sc.key.ChannelID, PlatformID: id, MessageID: sc.m.ID, Client: sc.key, Part: i, Status: switchboard.SentAccepted, UpdatedAt: l.cfg.Clock.Now()}
		if err := l.cfg.Store.Update(ctx, func(tx switchboard.Tx) error { return tx.PutSent(ctx, s) }); err != nil {
			return fmt.Errorf("record sent message: %w", err)
		}
	}
	return nil
}

// within reports whether the user's last message is less than d old.
func (l *Layer) within(last *switchboard.Message, d time.Duration) bool {
	return last != nil && l.cfg.Clock.Now().Before(last.CreatedAt.Add(d))
}

// agentMayAnswer reports whether a message after the user's window is an
// agent's that the channel may still send (AgentWindow).
func (l *Layer) agentMayAnswer(sc *sendContext) bool {
	aw, ok := sc.conn.(AgentWindow)
	if !ok || sc.m.Sender.Kind != switchboard.SenderAgent {
		return false
	}
	d, _ := aw.AgentWindow()
	return d > 0 && l.within(sc.lastUser, d)
}

// loadSend reads a message, its channel and what was sent of it.
func (l *Layer) loadSend(ctx context.Context, messageID int64) (*sendContext, error) {
	sc := &sendContext{done: map[int]bool{}}
	err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		if sc.m, err = tx.Message(ctx, messageID); err != nil {
			return err
		}
		sc.key = sc.m.Client
		if _, sc.conn, err = l.open(ctx, tx, sc.key.ChannelID); err != nil {
			return err
		}
		if sc.lastUser, err = lastUserMessage(ctx, tx, sc.key); err != nil {
			return err
		}
		if sc.stopped, err = unsubscribed(ctx, tx, sc.key); err != nil {
			return err
		}
		client, err := tx.FindClient(ctx, sc.key)
		if err != nil {
			return fmt.Errorf("read the client: %w", err)
		}
		if client != nil {
			sc.metadata = client.Metadata
		}
		sent, err := tx.SentOf(ctx, messageID)
		for _, s := range sent {
			sc.done[s.Part] = true
		}
		return err
	})
	return sc, err
}

// lastUserMessage is the user's last message, or nil.
func lastUserMessage(ctx context.Context, tx switchboard.Tx, key switchboard.ClientKey) (*switchboard.Message, error) {
	latest, err := tx.LatestMessages(ctx, []switchboard.ClientKey{key}, switchboard.SenderUser)
	if err != nil {
		return nil, fmt.Errorf("read the user's last message: %w", err)
	}
	if m, ok := latest[key]; ok {
		return &m, nil
	}
	return nil, nil
}

// pause waits d, or until ctx ends.
func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// failed tells the agents that a message will never be sent, and gives the
// job up with err.
func (l *Layer) failed(ctx context.Context, messageID int64, err error) error {
	if terr := l.undelivered(ctx, messageID, "the platform refused it: "+err.Error()); terr != nil {
		return terr
	}
	return err
}

// windowClosed handles a message that the user's closed window keeps from
// them: the channel's reopening message (a template) is sent once per
// closed window, the message is recorded as failed, and the agents are
// told why.
func (l *Layer) windowClosed(ctx context.Context, conn Conn, key switchboard.ClientKey, messageID int64) error {
	var last *switchboard.Message
	err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		last, err = lastUserMessage(ctx, tx, key)
		return err
	})
	if err != nil {
		return err
	}
	since, windowID := "never wrote", "never"
	if last != nil {
		since = "last wrote at " + last.CreatedAt.UTC().Format("2006-01-02 15:04 UTC")
		windowID = strconv.FormatInt(last.ID, 10)
	}
	reason := fmt.Sprintf("the customer %s, and the channel lets a business write only within %s of the customer's last message", since, conn.Window())
	aw, tagged := conn.(AgentWindow)
	if tagged {
		_, note := aw.AgentWindow()
		reason += "; " + note
	}
	if name := conn.Reopener(); name != "" {
		note, err := l.reopen(ctx, conn, key, messageID, windowID)
		if err != nil {
			return err
		}
		reason += fmt.Sprintf("; the template %q %s", name, note)
	} else if !tagged {
		reason += "; no template is set on the channel to invite customers back"
	}
	err = l.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		return tx.PutSent(ctx, &switchboard.Sent{ChannelID: key.ChannelID, PlatformID: "undelivered:" + strconv.FormatInt(messageID, 10), MessageID: messageID, Client: key, Part: -1, Status: switchboard.SentFailed, Error: reason, UpdatedAt: l.cfg.Clock.Now()})
	})
	if err != nil {
		return fmt.Errorf("record undelivered message: %w", err)
	}
	return l.undelivered(ctx, messageID, reason)
}

// reopen sends the channel's reopening message once per closed window
// (windowID: the user's last message) and says what became of it.
func (l *Layer) reopen(ctx context.Context, conn Conn, key switchboard.ClientKey, messageID int64, windowID string) (string, error) {
	scope := "channel.reopen:" + key.String()
	var seen bool
	err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		seen, err = tx.Seen(ctx, scope, windowID)
		return err
	})
	if err != nil || seen {
		return "was sent already, inviting them to write back", err
	}
	id, _, err := conn.Reopen(ctx, key.UserID)
	if IsPermanent(err) {
		return "could not be sent: " + err.Error(), nil
	}
	if err != nil {
		return "", err
	}
	now := l.cfg.Clock.Now()
	err = l.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		if _, err := tx.MarkSeen(ctx, scope, windowID, now); err != nil {
			return err
		}
		return tx.PutSent(ctx, &switchboard.Sent{ChannelID: key.ChannelID, PlatformID: id, MessageID: messageID, Client: key, Part: -2, Status: switchboard.SentAccepted, UpdatedAt: now})
	})
	if err != nil {
		return "", fmt.Errorf("record reopening message: %w", err)
	}
	return "was sent, inviting them to write back", nil
}

// undelivered tells the agents once that a message did not reach the user.
func (l *Layer) undelivered(ctx context.Context, messageID int64, reason string) error {
	scope, id := "channel.undelivered", strconv.FormatInt(messageID, 10)
	var seen bool
	if err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		seen, err = tx.Seen(ctx, scope, id)
		return err
	}); err != nil || seen {
		return err
	}
	told, err := l.cfg.Engine.Undelivered(ctx, messageID, reason)
	if err != nil && switchboard.ErrorCode(err) != switchboard.ENOTFOUND {
		return err
	}
	l.cfg.Log.WarnContext(ctx, "channel: message not delivered", "message", messageID, "agents_told", told, "reason", reason)
	return l.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		_, err := tx.MarkSeen(ctx, scope, id, l.cfg.Clock.Now())
		return err
	})
}
