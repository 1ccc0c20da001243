package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"switchboard/channel/chatwoot"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"

	"switchboard/internal/simkit"
)

// Chatwoot agent-bot customers: a simulated Chatwoot per bot with a web
// widget inbox whose agent bot is switchboard (the channel's webhook URL
// its outgoing URL), each customer a contact writing in the widget and
// choosing the options of the bot's input_select messages. Their
// conversations start pending, with the bot; a handoff opens the
// conversation inside Chatwoot (the sessions' platform is chatwoot-inbox,
// whatever the bot's settings name), where Chatwoot's own agents answer
// (scripted here: AgentWrite, Resolve), so their messages never pass
// through switchboard. Agent-bot webhooks are retried twice at once after
// a failure (shared/spec/platforms.md: three attempts), not after seconds:
// a run whose kill leaves no instance up has no Chatwoot customers.
func init() {
	registerChannel(channelType{Name: "chatwoot", GivesUp: true, Platform: chatwoot.Platform, Start: func(n int, seed uint64) (channelSim, error) {
		s, err := chatwootsim.Start("", chatwootsim.Config{DeliveryRetries: 2, Seed: seed})
		if err != nil {
			return nil, err
		}
		return &inboxSim{s: s, inbox: s.AddInbox(fmt.Sprintf("Harness %d", n), "Channel::WebWidget"), convs: map[string]int64{}}, nil
	}})
}

// inboxSim is a Chatwoot instance with the agent bot's inbox.
type inboxSim struct {
	s     *chatwootsim.Server
	inbox int64

	mu    sync.Mutex
	convs map[string]int64 // contact name -> conversation display id
}

func (c *inboxSim) Settings() map[string]any {
	return map[string]any{"url": c.s.URL, "account_id": chatwootsim.DefaultAccount.ID, "bot_token": chatwootsim.DefaultBot.Token, "inbox_id": c.inbox}
}

// Subscribe sets the agent bot's outgoing URL and connects it to the
// inbox (Inbox settings > Bot configuration).
func (c *inboxSim) Subscribe(_ context.Context, webhook string) error {
	return c.s.ConnectBot(chatwootsim.DefaultBot.ID, webhook, c.inbox)
}

// UserID is the contact's name, which finds their conversation.
func (c *inboxSim) UserID(n int) string { return fmt.Sprintf("harness-contact-%d", n) }

// Client is the conversation's display id, switchboard's client ("" until
// the contact's first message made it).
func (c *inboxSim) Client(user string) string {
	if id := c.conv(user); id != 0 {
		return strconv.FormatInt(id, 10)
	}
	return ""
}

func (c *inboxSim) conv(user string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.convs[user]
}

func (c *inboxSim) Write(_ context.Context, user, text string) error {
	id, err := c.s.ContactWrites(c.inbox, chatwootsim.Contact{Name: user}, text)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A contact who writes while their conversation is resolved starts
	// another, a client of its own: the customer stays in the first, and
	// the checks find the message missing from its history (an error would
	// have it written again).
	if c.convs[user] == 0 {
		c.convs[user] = id
	}
	return nil
}

// conversation is the contact's conversation as Chatwoot has it.
func (c *inboxSim) conversation(user string) (chatwootsim.Conversation, bool) {
	id := c.conv(user)
	for _, cv := range c.s.Conversations() {
		if cv.DisplayID == id {
			return cv, true
		}
	}
	return chatwootsim.Conversation{}, false
}

// Press chooses the option titled title of the last input_select offering
// it, as the widget does.
func (c *inboxSim) Press(_ context.Context, user, title string) error {
	cv, _ := c.conversation(user)
	for _, m := range slices.Backward(cv.Messages) {
		for _, it := range options(m) {
			if it.title == title {
				return c.s.Submit(chatwootsim.DefaultAccount.ID, cv.DisplayID, m.ID, it.value)
			}
		}
	}
	return fmt.Errorf("no option %q was sent to %s", title, user)
}

// option is one item of an input_select.
type option struct{ title, value string }

// options are the items of an input_select message.
func options(m chatwootsim.Message) []option {
	if m.ContentType != "input_select" {
		return nil
	}
	items, _ := m.ContentAttributes["items"].([]any)
	var out []option
	for _, it := range items {
		o, _ := it.(map[string]any)
		title, _ := o["title"].(string)
		value, _ := o["value"].(string)
		out = append(out, option{title, value})
	}
	return out
}

// Received is what the contact sees of the business in the widget: the
// public outgoing messages, the agent bot's and the agents' alike.
func (c *inboxSim) Received(user string) []platformMsg {
	cv, _ := c.conversation(user)
	var out []platformMsg
	for _, m := range cv.Messages {
		if m.MessageType != chatwootsim.TypeOutgoing || m.Private {
			continue
		}
		p := platformMsg{Text: m.Text()}
		for _, o := range options(m) {
			p.Buttons = append(p.Buttons, o.title)
		}
		out = append(out, p)
	}
	return out
}

func (c *inboxSim) SetOutage(on bool) { c.s.SetOutage(on) }

func (c *inboxSim) Chaos() { c.s.SetChaos(chaos(false)) }

func (c *inboxSim) Deliveries() []simkit.Delivery { return c.s.Deliveries() }

func (c *inboxSim) Close() { c.s.Close() }

// open waits until the contact's conversation is open, as an agent finds
// it in Chatwoot's list once switchboard handed it over.
func (c *inboxSim) open(ctx context.Context, user string) (int64, error) {
	deadline := time.Now().Add(openLimit)
	for {
		if cv, ok := c.conversation(user); ok && cv.Status == "open" {
			return cv.DisplayID, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%s's conversation not open after %s", user, openLimit)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// AgentWrite is Chatwoot's agent answering the contact in the open
// conversation; signOff sends the text with the sign-off canned response
// (ending in LIVECHAT_SESSION_END), which the agent bot turns into the
// end button.
func (c *inboxSim) AgentWrite(ctx context.Context, user, text string, signOff bool) error {
	id, err := c.open(ctx, user)
	if err != nil {
		return err
	}
	if signOff {
		_, err = c.s.Act(id, chatwootsim.Action{Kind: chatwootsim.ActCanned, Text: text})
	} else {
		_, err = c.s.Reply(id, text)
	}
	return err
}

// Resolve is Chatwoot's agent resolving the open conversation.
func (c *inboxSim) Resolve(ctx context.Context, user string) error {
	id, err := c.open(ctx, user)
	if err != nil {
		return err
	}
	return c.s.Resolve(id)
}

// Audit reads the contact's conversation as Chatwoot's activity messages
// tell its statuses: what the agent bot said while it was not pending
// (anything but the session's own notices: sessionNotice), and whether
// the conversation is pending again, the bot's, at the end.
func (c *inboxSim) Audit(user string) (talkedOver []string, handedBack bool) {
	cv, ok := c.conversation(user)
	if !ok {
		return nil, true
	}
	for i, status := range cv.Statuses("pending") {
		if m := cv.Messages[i]; m.SenderType == "AgentBot" && status != "pending" && !sessionNotice(m) {
			talkedOver = append(talkedOver, fmt.Sprintf("%q (message %d) while conversation %d was %s", m.Text(), m.ID, cv.DisplayID, status))
		}
	}
	return talkedOver, cv.Status == "pending"
}

// sessionNotice says whether an agent bot's message is one switchboard
// posts inside a session, as on every platform: the connecting message,
// the queue bot's position announcements (its settings' queue applies to
// the sessions Chatwoot holds too), and the end question.
func sessionNotice(m chatwootsim.Message) bool {
	text := m.Text()
	return strings.Contains(text, livechat.DefaultConnectingMessage) || strings.HasPrefix(text, queuePrefix) ||
		slices.ContainsFunc(options(m), func(o option) bool { return o.title == livechat.DefaultEndButtonLabel })
}
