package main

import (
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"

	"switchboard"
	"switchboard/channel/chatwoot"
)

// Every message a user types carries a token u<user>-m<n>, and every message
// an agent writes a token a<user>-m<n>, unique in the run, so that checks
// find each message wherever it went, exactly.
var tokenPattern = regexp.MustCompile(`\b[ua][0-9]+-m[0-9]+\b`)

// tokensOf returns the tokens of a text, in order.
func tokensOf(text string) []string { return tokenPattern.FindAllString(text, -1) }

// The texts the harness bot says when it resumes after a session (see bot.go).
const (
	resumeEnded   = "bot: session ended"
	resumeExpired = "bot: session expired"
	resumeError   = "bot: session error"
)

// How a session ends in the users' script.
const (
	modeSignOff = "signoff" // the agent signs off and the user clicks the end button
	modeExpire  = "expire"  // both go silent until the session expires
	// modeUnclaimed: the agents are busy; the session ends after the
	// queue bot's wait limit, nobody having claimed it.
	modeUnclaimed = "unclaimed"
	// modeResolve: the agent resolves the conversation (on a channel
	// whose platform holds the sessions: a Chatwoot inbox).
	modeResolve = "resolve"
)

// relayed says whether switchboard relays a session's messages to and
// from its platform (Gorgias, Chatwoot as the livechat platform): not on
// the desk, which is switchboard's own (the user's messages are in its
// history), nor in a Chatwoot inbox, where the contact wrote them
// (switchboard records them in the session) and whose agents write to the
// contact there (in no history of switchboard's).
func relayed(platform string) bool { return platform != "desk" && platform != chatwoot.Platform }

// sentMsg is a message a user typed.
type sentMsg struct {
	Token string
	// Session is the index of the user's session it was typed in, -1 for
	// the bot.
	Session int
	SentAt  time.Time
	// Arrived is when it first reached its destination: the bot's reply
	// received, or the platform's conversation.
	Arrived time.Time
}

// agentMsg is a message an agent wrote to a user.
type agentMsg struct {
	Token    string
	Session  int
	SentAt   time.Time
	Received time.Time
	// Bye marks the sign-off.
	Bye bool
}

// sessionRec is a livechat session as the harness lived it.
type sessionRec struct {
	ID       string
	Platform string
	Mode     string
	Started  time.Time
	// Finished is when the user's script saw its end (zero while it runs).
	Finished time.Time
	// Failure says why the script could not finish it, if it could not.
	Failure string
}

// recvMsg is a message a user's client received, in the order it came.
type recvMsg struct {
	switchboard.Message
	At  time.Time
	Via string
}

// userLog is everything one user sent and received.
type userLog struct {
	Num      int
	Name     string // u<Num>
	Channel  string // webapp, api, or a messaging channel's type
	Bot      string
	Platform string
	// Queue and Closed say the user talks to the queue bot or to the
	// closed one (see bot.go).
	Queue, Closed bool
	// Reordered says the user's channel may deliver their messages out of
	// the order they were written (channels.go): the checks then expect
	// them in the order switchboard processed them.
	Reordered bool

	mu sync.Mutex
	// UserID is switchboard's id of the user (the webapp makes it).
	UserID   string
	Sent     []sentMsg
	Agent    []agentMsg
	Sessions []*sessionRec
	// Refused are the handoffs the closed bot refused: each the failure of
	// the user's wait for the bot's answer, "" when it came.
	Refused  []string
	Received []recvMsg
	// seen counts each message id received; Twice counts ids received more
	// than once (callback redeliveries, which carry the same delivery id
	// and are dropped as docs/api.md asks, are counted apart).
	seen         map[int64]int
	Twice        int
	Redeliveries int
	// started is the session id of the last START the client saw
	// echoed (the webapp's own messages come back with their session).
	started string
	next    int
	notify  chan struct{}
	ledger  *ledger
}

// ledger holds every user's log and finds a token's owner.
type ledger struct {
	mu     sync.Mutex
	users  []*userLog
	tokens map[string]tokenRef
	// last is when anything was last received by a user or a platform.
	last time.Time
	errs map[string]*errCount
}

// errCount counts one kind of error the harness met and went on after (a
// retry, a reconnection), with the last one as a sample.
type errCount struct {
	N      int
	Sample string
}

// tokenRef points at one sent message: a user's, or an agent's.
type tokenRef struct {
	user  *userLog
	index int
	agent bool
}

func newLedger() *ledger {
	return &ledger{tokens: map[string]tokenRef{}, errs: map[string]*errCount{}}
}

// addUser registers a user.
func (l *ledger) addUser(num int, channel, bot, platform string) *userLog {
	u := &userLog{Num: num, Name: fmt.Sprintf("u%d", num), Channel: channel, Bot: bot, Platform: platform,
		seen: map[int64]int{}, notify: make(chan struct{}, 1), ledger: l}
	l.mu.Lock()
	l.users = append(l.users, u)
	l.mu.Unlock()
	return u
}

// error counts an error the harness met and went on after, by kind.
func (l *ledger) error(kind string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.errs[kind]
	if e == nil {
		e = &errCount{}
		l.errs[kind] = e
	}
	e.N++
	if err != nil {
		e.Sample = err.Error()
	}
}

// touch records that something arrived now.
func (l *ledger) touch(now time.Time) {
	l.mu.Lock()
	l.last = now
	l.mu.Unlock()
}

// quietSince is when anything last arrived.
func (l *ledger) quietSince() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}

// platformArrived records that a user's token reached a platform.
func (l *ledger) platformArrived(token string, at time.Time) {
	l.mu.Lock()
	ref, ok := l.tokens[token]
	l.last = at
	l.mu.Unlock()
	if !ok || ref.agent {
		return
	}
	u := ref.user
	u.mu.Lock()
	if m := &u.Sent[ref.index]; m.Arrived.IsZero() {
		m.Arrived = at
	}
	u.mu.Unlock()
}

// nextToken returns the user's next message token (the user's messages
// and its agents' share one counter, so tokens never repeat).
func (u *userLog) nextToken(agent bool) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.next++
	if agent {
		return fmt.Sprintf("a%d-m%d", u.Num, u.next)
	}
	return fmt.Sprintf("u%d-m%d", u.Num, u.next)
}

// sent records a message the user is about to type, for the bot (session
// -1) or into a session.
func (u *userLog) sent(token string, session int) {
	u.mu.Lock()
	u.Sent = append(u.Sent, sentMsg{Token: token, Session: session, SentAt: time.Now()})
	i := len(u.Sent) - 1
	u.mu.Unlock()
	u.ledger.mu.Lock()
	u.ledger.tokens[token] = tokenRef{user: u, index: i}
	u.ledger.mu.Unlock()
}

// forBot reports whether the user's message token was typed for the bot.
func (u *userLog) forBot(token string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, m := range slices.Backward(u.Sent) {
		if m.Token == token {
			return m.Session < 0
		}
	}
	return false
}

// agentSent records a message an agent is about to write to the user; bye
// marks the sign-off.
func (u *userLog) agentSent(token string, session int, bye bool) {
	u.mu.Lock()
	u.Agent = append(u.Agent, agentMsg{Token: token, Session: session, SentAt: time.Now(), Bye: bye})
	i := len(u.Agent) - 1
	u.mu.Unlock()
	u.ledger.mu.Lock()
	u.ledger.tokens[token] = tokenRef{user: u, index: i, agent: true}
	u.ledger.mu.Unlock()
}

// startSession records a session the user started; it returns its index.
func (u *userLog) startSession(id, mode string) (int, *sessionRec) {
	u.mu.Lock()
	defer u.mu.Unlock()
	s := &sessionRec{ID: id, Platform: u.Platform, Mode: mode, Started: time.Now()}
	u.Sessions = append(u.Sessions, s)
	return len(u.Sessions) - 1, s
}

// receive records a message the user's client got: pushed on the chat
// page's socket, answered to a Chat API request, or called back.
func (u *userLog) receive(m switchboard.Message, via string) {
	now := time.Now()
	u.mu.Lock()
	u.seen[m.ID]++
	if u.seen[m.ID] > 1 {
		u.Twice++
		u.mu.Unlock()
		return
	}
	u.Received = append(u.Received, recvMsg{Message: m, At: now, Via: via})
	text := textOf(m.Payload)
	switch m.Sender.Kind {
	case switchboard.SenderUser:
		if payloadOf(m.Payload) == switchboard.PayloadSessionStart && m.SessionID != "" {
			u.started = m.SessionID
		}
	case switchboard.SenderBot:
		for _, tok := range tokensOf(text) {
			for i := range u.Sent {
				if u.Sent[i].Token == tok && u.Sent[i].Session < 0 && u.Sent[i].Arrived.IsZero() {
					u.Sent[i].Arrived = now
				}
			}
		}
	case switchboard.SenderAgent:
		for _, tok := range tokensOf(text) {
			for i := range u.Agent {
				if u.Agent[i].Token == tok && u.Agent[i].Received.IsZero() {
					u.Agent[i].Received = now
				}
			}
		}
	}
	u.mu.Unlock()
	u.ledger.touch(now)
	select {
	case u.notify <- struct{}{}:
	default:
	}
}

// redelivered counts a callback delivered again under the same delivery id.
func (u *userLog) redelivered() {
	u.mu.Lock()
	u.Redeliveries++
	u.mu.Unlock()
}

// count returns how many messages received since index from satisfy f.
func (u *userLog) count(from int, f func(recvMsg) bool) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := 0
	for _, m := range u.Received[min(from, len(u.Received)):] {
		if f(m) {
			n++
		}
	}
	return n
}

// mark returns how many messages were received so far: a point to count
// from.
func (u *userLog) mark() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.Received)
}

// lastStart is the session id of the last START the client saw echoed.
func (u *userLog) lastStart() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.started
}

// flight is where the users stand, for progress lines and the drain.
type flight struct {
	// open counts sessions whose script has not finished; sent and agent
	// the messages users and agents wrote; inFlight those still on their
	// way (user messages to Gorgias or Chatwoot, agent messages to users).
	open, sent, agent, inFlight int
}

// stats reads where the users stand.
func (l *ledger) stats() flight {
	l.mu.Lock()
	users := slices.Clone(l.users)
	l.mu.Unlock()
	var f flight
	for _, u := range users {
		u.mu.Lock()
		for _, s := range u.Sessions {
			if s.Finished.IsZero() {
				f.open++
			}
		}
		f.sent += len(u.Sent)
		f.agent += len(u.Agent)
		for _, m := range u.Sent {
			if m.Session >= 0 && relayed(u.Sessions[m.Session].Platform) && m.Arrived.IsZero() {
				f.inFlight++
			}
		}
		for _, m := range u.Agent {
			if m.Received.IsZero() {
				f.inFlight++
			}
		}
		u.mu.Unlock()
	}
	return f
}

// inFlight counts the messages still on their way.
func (l *ledger) inFlight() int { return l.stats().inFlight }
