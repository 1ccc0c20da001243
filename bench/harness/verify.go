package main

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"switchboard"
	"switchboard/bench/internal/loadtest"
	"switchboard/channel/chatwoot"
)

// Names of the checks, in the order the report lists them.
const (
	checkBotReceived     = "user -> bot: replies received by the user"
	checkBotStored       = "user -> bot: replies stored"
	checkUserStored      = "user messages stored"
	checkToAgent         = "user -> agent: on the platform"
	checkAgentReceived   = "agent -> user: received by the user"
	checkAgentStored     = "agent -> user: stored"
	checkStarted         = "sessions started (one per click)"
	checkResumeStored    = "bot resumed once per session: stored"
	checkResumeReceived  = "bot resumed once per session: received"
	checkEndQuestions    = "end question once per sign-off: received"
	checkBotSilent       = "bot silent during sessions"
	checkEndReason       = "sessions ended once, for the expected reason"
	checkPlatformClosed  = "platform told (ticket closed)"
	checkScripts         = "users finished their scripts"
	checkDeliveredTwice  = "no message delivered twice to a client"
	checkCallbacksSigned = "callbacks signed"
	checkAnswered        = "every handoff answered with a message"
	checkClaims          = "claims and teams match the ends"
	// checkIntegrationEnabled: Gorgias disables an integration after 100
	// failed calls in a row (see foreign.go).
	checkIntegrationEnabled = "Gorgias integration still enabled"
)

// verdict is the outcome of every check.
type verdict struct {
	tallies map[string]*tally
	order   []string
	// Latencies, by direction and platform.
	toAgent, toUser, botTurn map[string]*loadtest.Latencies
	// swapped counts the messages of users on reordering channels that
	// were processed after one they wrote later.
	swapped int
}

func newVerdict() *verdict {
	v := &verdict{tallies: map[string]*tally{}}
	v.toAgent, v.toUser, v.botTurn = map[string]*loadtest.Latencies{}, map[string]*loadtest.Latencies{}, map[string]*loadtest.Latencies{}
	return v
}

// tally returns the named check's tally, made on first use.
func (v *verdict) tally(name string) *tally {
	t := v.tallies[name]
	if t == nil {
		t = &tally{}
		v.tallies[name] = t
		v.order = append(v.order, name)
	}
	return t
}

// fail records one fault of a check that is not a sequence.
func (v *verdict) fail(name, format string, args ...any) {
	t := v.tally(name)
	t.Expected++
	t.Unexpected++
	t.example(format, args...)
}

// pass records one thing a check found right.
func (v *verdict) pass(name string) {
	t := v.tally(name)
	t.Expected++
	t.Arrived++
}

// latency adds one latency sample.
func latency(m map[string]*loadtest.Latencies, key string, d time.Duration) {
	for _, k := range []string{key, "all"} {
		if m[k] == nil {
			m[k] = &loadtest.Latencies{}
		}
		m[k].Add(d)
	}
}

// verify checks every user's log against the truth.
func verify(l *ledger, t *truth, badSignatures int64, start time.Time) *verdict {
	v := newVerdict()
	for _, name := range []string{checkBotReceived, checkBotStored, checkUserStored, checkToAgent, checkAgentReceived, checkAgentStored,
		checkStarted, checkResumeStored, checkResumeReceived, checkEndQuestions, checkBotSilent, checkEndReason, checkPlatformClosed,
		checkScripts, checkDeliveredTwice, checkCallbacksSigned, checkIntegrationEnabled,
		checkAnswered, checkClaims} {
		v.tally(name)
	}
	known := map[string]bool{}
	for _, u := range l.users {
		u.mu.Lock()
		verifyUser(v, u, t.histories[u.Name], t, start)
		verifyHandoffs(v, u, t.histories[u.Name], t)
		for _, s := range u.Sessions {
			known[s.ID] = true
		}
		u.mu.Unlock()
	}
	for id, s := range t.sessions {
		if !known[id] {
			v.fail(checkStarted, "session %s of %s (%s) was started though nobody asked", id, s.Client.UserID, s.Platform)
		}
	}
	for id := range t.onPlatform {
		if !known[id] {
			v.fail(checkToAgent, "%s belongs to no session the users started", id)
		}
	}
	if badSignatures > 0 {
		v.fail(checkCallbacksSigned, "%d callbacks had a bad signature", badSignatures)
	} else {
		v.pass(checkCallbacksSigned)
	}
	return v
}

// verifyUser checks one user; u.mu is held.
func verifyUser(v *verdict, u *userLog, h []switchboard.Message, t *truth, start time.Time) {
	note := func(tok string) string { return describe(u, tok, start) }
	h = slices.Clone(h)
	slices.SortFunc(h, func(a, b switchboard.Message) int { return cmp.Compare(a.ID, b.ID) })
	who := u.Name + " (" + u.Channel + ", " + u.Platform + ")"

	// What was sent where, in order.
	var toBot, all []string
	perSession := make([][]string, len(u.Sessions))
	for _, m := range u.Sent {
		all = append(all, m.Token)
		if m.Session < 0 {
			toBot = append(toBot, m.Token)
			if !m.Arrived.IsZero() {
				latency(v.botTurn, u.Channel, m.Arrived.Sub(m.SentAt))
			}
			continue
		}
		perSession[m.Session] = append(perSession[m.Session], m.Token)
		if !m.Arrived.IsZero() {
			latency(v.toAgent, u.Platform, m.Arrived.Sub(m.SentAt))
		}
	}
	if u.Reordered {
		pos := processedOrder(h)
		v.swapped += compare(who, all, storedTokens(h), nil).OutOfOrder
		all = inOrder(all, pos)
		toBot, perSession = whereProcessed(u, all, h)
	}
	// The agents' messages are in switchboard's history unless Chatwoot
	// holds the session (its agents write to the contact there).
	var fromAgents, agentsKept, signedOff []string
	for _, m := range u.Agent {
		fromAgents = append(fromAgents, m.Token)
		if u.Sessions[m.Session].Platform != chatwoot.Platform {
			agentsKept = append(agentsKept, m.Token)
		}
		if m.Bye {
			signedOff = append(signedOff, u.Sessions[m.Session].ID)
		}
		if !m.Received.IsZero() {
			latency(v.toUser, u.Platform, m.Received.Sub(m.SentAt))
		}
	}

	// What the user's client received.
	var botSeen, agentSeen []string
	var endQuestions []string
	for _, m := range u.Received {
		switch {
		case m.Sender.Kind == switchboard.SenderBot && resumeOf(m.Message) == "":
			botSeen = append(botSeen, tokensOf(textOf(m.Payload))...)
		case m.Sender.Kind == switchboard.SenderAgent:
			agentSeen = append(agentSeen, tokensOf(textOf(m.Payload))...)
		case isEndQuestion(m.Message):
			endQuestions = append(endQuestions, m.SessionID)
		}
	}
	v.tally(checkBotReceived).add(compare(who, toBot, botSeen, note))
	v.tally(checkAgentReceived).add(compare(who, fromAgents, agentSeen, note))

	// What the store holds, and where the bot spoke.
	var botStored, userStored, agentStored, starts []string
	storedInSession := map[string][]string{}
	stored := map[string]time.Time{}
	resumedIn := map[int64]string{} // resume message id -> its session
	var resumes []string
	live, spoke := "", 0
	for _, m := range h {
		text := textOf(m.Payload)
		switch m.Sender.Kind {
		case switchboard.SenderUser:
			toks := tokensOf(text)
			userStored = append(userStored, toks...)
			for _, tok := range toks {
				stored[tok] = m.CreatedAt
			}
			if m.SessionID != "" {
				storedInSession[m.SessionID] = append(storedInSession[m.SessionID], toks...)
			}
			if payloadOf(m.Payload) == switchboard.PayloadSessionStart && m.SessionID != "" {
				starts = append(starts, m.SessionID)
				live = m.SessionID
			}
		case switchboard.SenderAgent:
			agentStored = append(agentStored, tokensOf(text)...)
		case switchboard.SenderBot:
			r := resumeOf(m)
			switch {
			case live != "" && r == "":
				spoke++
				v.fail(checkBotSilent, "%s: the bot said %q (message %d) during session %s", who, text, m.ID, live)
			case live != "":
				resumedIn[m.ID] = live
				resumes = append(resumes, live)
				if want := expectedResume(u, live); r != want {
					v.fail(checkEndReason, "%s: session %s resumed the bot with %q, not %q", who, live, r, want)
				}
				live = ""
			case r != "":
				resumes = append(resumes, fmt.Sprintf("a resume out of any session (message %d)", m.ID))
			default:
				botStored = append(botStored, tokensOf(text)...)
			}
		}
	}
	if spoke == 0 {
		v.pass(checkBotSilent)
	}
	v.tally(checkBotStored).add(compare(who, toBot, botStored, note))
	v.tally(checkUserStored).add(compare(who, all, userStored, note))
	v.tally(checkAgentStored).add(compare(who, agentsKept, agentStored, note))

	// Sessions: started once each, ended once for the expected reason,
	// their messages on the platform, the bot resumed once.
	var ids, finished, resumedSeen []string
	for i, s := range u.Sessions {
		ids = append(ids, s.ID)
		where := who + " session " + s.ID
		if s.Failure != "" || s.Finished.IsZero() {
			v.fail(checkScripts, "%s: %s", where, orDefault(s.Failure, "never finished"))
		} else {
			v.pass(checkScripts)
			finished = append(finished, s.ID)
		}
		seen := storedInSession[s.ID]
		if relayed(s.Platform) {
			seen = t.onPlatform[s.ID]
		}
		v.tally(checkToAgent).add(compare(where, perSession[i], seen, note))
		if !relayed(s.Platform) {
			for _, tok := range perSession[i] {
				if at, ok := stored[tok]; ok {
					latency(v.toAgent, s.Platform, at.Sub(sentAt(u, tok)))
				}
			}
		}
		ss, ok := t.sessions[s.ID]
		switch {
		case !ok:
			v.fail(checkEndReason, "%s: switchboard does not know it", where)
		case s.Finished.IsZero():
		case ss.State != string(switchboard.SessionEnded) || ss.EndReason != expectedReason(s.Mode):
			v.fail(checkEndReason, "%s: %s/%s, expected ended/%s", where, ss.State, ss.EndReason, expectedReason(s.Mode))
		default:
			v.pass(checkEndReason)
		}
		if ok && ss.State == string(switchboard.SessionEnded) && relayed(s.Platform) {
			if t.closed[s.ID] {
				v.pass(checkPlatformClosed)
			} else {
				v.fail(checkPlatformClosed, "%s: ended, but its %s conversation is still open", where, s.Platform)
			}
		}
	}
	for _, m := range u.Received {
		if r := resumeOf(m.Message); r != "" {
			in := resumedIn[m.ID]
			if m.Via == viaChannel {
				// A channel's customer sees no ids: the resume ends the
				// session they were last in.
				in = m.SessionID
			}
			resumedSeen = append(resumedSeen, orDefault(in, fmt.Sprintf("a resume out of any session (message %d)", m.ID)))
		}
	}
	v.tally(checkStarted).add(compare(who, ids, starts, nil))
	v.tally(checkResumeStored).add(compare(who, finished, resumes, nil))
	v.tally(checkResumeReceived).add(compare(who, finished, resumedSeen, nil))
	v.tally(checkEndQuestions).add(compare(who, signedOff, endQuestions, nil))
	if u.Twice > 0 {
		v.fail(checkDeliveredTwice, "%s: %d messages delivered twice", who, u.Twice)
	} else {
		v.pass(checkDeliveredTwice)
	}
}

// storedTokens are the tokens of the user's stored messages, in order.
func storedTokens(h []switchboard.Message) []string {
	var out []string
	for _, m := range h {
		if m.Sender.Kind == switchboard.SenderUser {
			out = append(out, tokensOf(textOf(m.Payload))...)
		}
	}
	return out
}

// processedOrder is where each of the user's tokens is in their stored
// messages (h, in id order): the order switchboard processed them in.
func processedOrder(h []switchboard.Message) map[string]int {
	pos := map[string]int{}
	for _, tok := range storedTokens(h) {
		if _, ok := pos[tok]; !ok {
			pos[tok] = len(pos)
		}
	}
	return pos
}

// inOrder returns tokens sorted by pos, the ones pos lacks (never
// stored: lost) last, in the order they came. A channel may deliver a
// customer's messages out of the order they were written, and
// switchboard then processes them in the order they came: for such a
// customer the checks expect every message once, in the order processed
// and where it was processed (the bot's replies, the platform's
// conversation: whereProcessed), not as written.
func inOrder(tokens []string, pos map[string]int) []string {
	out := slices.Clone(tokens)
	slices.SortStableFunc(out, func(a, b string) int {
		pa, oka := pos[a]
		pb, okb := pos[b]
		switch {
		case oka && okb:
			return cmp.Compare(pa, pb)
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
	return out
}

// whereProcessed splits a reordering channel's customer's messages (in
// processed order) by where switchboard processed them, as their stored
// message says: a message delivered after the END pressed later went to
// the bot, not to the session it was written in. A message never stored
// stays where it was written (and is lost there).
func whereProcessed(u *userLog, tokens []string, h []switchboard.Message) (toBot []string, perSession [][]string) {
	stored := map[string]string{} // token -> its stored message's session
	for _, m := range h {
		if m.Sender.Kind == switchboard.SenderUser {
			for _, tok := range tokensOf(textOf(m.Payload)) {
				stored[tok] = m.SessionID
			}
		}
	}
	index := map[string]int{}
	for i, s := range u.Sessions {
		index[s.ID] = i
	}
	written := map[string]int{}
	for _, m := range u.Sent {
		written[m.Token] = m.Session
	}
	perSession = make([][]string, len(u.Sessions))
	for _, tok := range tokens {
		at := written[tok]
		if sid, ok := stored[tok]; ok && sid == "" {
			at = -1
		} else if i, ok := index[sid]; ok {
			at = i
		}
		if at < 0 {
			toBot = append(toBot, tok)
		} else {
			perSession[at] = append(perSession[at], tok)
		}
	}
	return toBot, perSession
}

// expectedResume is what the bot says when session id ends as planned.
func expectedResume(u *userLog, id string) string {
	for _, s := range u.Sessions {
		if s.ID == id && s.Mode == modeExpire {
			return resumeExpired
		}
	}
	return resumeEnded
}

// expectedReason is the end reason of a session of this mode.
func expectedReason(mode string) string {
	switch mode {
	case modeExpire:
		return string(switchboard.EndExpired)
	case modeUnclaimed:
		return string(switchboard.EndTimeout)
	case modeResolve:
		return string(switchboard.EndAgent)
	}
	return string(switchboard.EndUser)
}

// describe says when a message was sent, from start, and in which
// session (with the way that session was to end).
func describe(u *userLog, tok string, start time.Time) string {
	at, session := time.Time{}, -1
	for _, m := range u.Sent {
		if m.Token == tok {
			at, session = m.SentAt, m.Session
		}
	}
	for _, m := range u.Agent {
		if m.Token == tok {
			at, session = m.SentAt, m.Session
		}
	}
	out := "sent at t+" + at.Sub(start).Round(100*time.Millisecond).String()
	if session >= 0 {
		s := u.Sessions[session]
		out += ", session " + s.ID + " (" + s.Mode + ")"
	}
	return out
}

// sentAt is when the user sent the message with this token.
func sentAt(u *userLog, tok string) time.Time {
	for _, m := range u.Sent {
		if m.Token == tok {
			return m.SentAt
		}
	}
	return time.Time{}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
