package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"switchboard"
	"switchboard/bench/internal/loadtest"
)

// chatClient is a user's end of a channel: the chat page, an app on the
// Chat API, or a messaging app (channelclient.go).
type chatClient interface {
	// event sends one event and returns once switchboard answered it, the
	// messages it produced received; it returns the user's live session
	// after a LIVECHAT_SESSION_START.
	event(ctx context.Context, p switchboard.Payload) (string, error)
	// history reads every message of the user from the store.
	history(ctx context.Context) ([]switchboard.Message, error)
	close()
}

// user is one simulated person and, during its sessions, its agent.
type user struct {
	log    *userLog
	client chatClient
	agents *agents
	// held, set on a channel whose platform holds the sessions, are that
	// platform's agents (channelType.Platform).
	held *heldAgent
	cfg  Config
	rnd  *rand.Rand
	// stop is when the user starts nothing new; expireUntil is the last
	// moment a session may be left to expire (so that it does within the
	// run).
	stop, expireUntil time.Time
}

// run chats with the bot, now and then asks for a person, until stop; it
// finishes the session it is in. It returns why it could not go on.
func (u *user) run(ctx context.Context) error {
	for time.Now().Before(u.stop) {
		for range 1 + u.rnd.IntN(3) {
			if err := u.botTurn(ctx); err != nil {
				return err
			}
			u.pause(ctx, u.rnd)
		}
		if time.Now().Before(u.stop) && u.rnd.Float64() < u.cfg.LivechatShare {
			if err := u.session(ctx); err != nil {
				return err
			}
			u.pause(ctx, u.rnd)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// pause waits about the think time.
func (u *user) pause(ctx context.Context, rnd *rand.Rand) {
	d := u.cfg.Think/2 + time.Duration(rnd.Int64N(int64(u.cfg.Think)+1))
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// botTurn types one message for the bot; the bot's reply comes with the
// answer (checked at the end, with everything else).
func (u *user) botTurn(ctx context.Context) error {
	tok := u.log.nextToken(false)
	u.log.sent(tok, -1)
	if _, err := u.client.event(ctx, loadtest.Text(tok+" hello bot")); err != nil {
		return fmt.Errorf("bot turn %s: %w", tok, err)
	}
	return nil
}

// session asks for a person, chats with the agent, then either the agent
// signs off and the user clicks the end button, or both go silent until
// the session expires; the bot's resume message must come back once.
func (u *user) session(ctx context.Context) error {
	if u.log.Closed {
		return u.refused(ctx)
	}
	mode := modeSignOff
	if time.Now().Before(u.expireUntil) && u.rnd.Float64() < u.cfg.ExpireShare {
		mode = modeExpire
		if u.log.Queue {
			mode = modeUnclaimed
		}
	} else if u.held != nil && u.rnd.IntN(2) == 0 {
		mode = modeResolve
	}
	before, mark0 := u.log.lastStart(), u.log.mark()
	id, err := u.client.event(ctx, loadtest.Button(switchboard.PayloadSessionStart))
	switch {
	case err != nil:
		return fmt.Errorf("start a session: %w", err)
	case id == "" || id == before:
		return fmt.Errorf("start a session: switchboard did not say which session started")
	}
	idx, rec := u.log.startSession(id, mode)
	finish := func(failure string) {
		u.log.mu.Lock()
		rec.Finished, rec.Failure = time.Now(), failure
		u.log.mu.Unlock()
	}

	// The agent answers while the user writes: each its own messages; a
	// busy agent never does.
	agentDone := make(chan error, 1)
	arnd := rand.New(rand.NewPCG(u.rnd.Uint64(), u.rnd.Uint64()))
	go func() {
		answers := 1 + arnd.IntN(3)
		if mode == modeUnclaimed {
			answers = 0
		}
		for range answers {
			u.pause(ctx, arnd)
			tok := u.log.nextToken(true)
			u.log.agentSent(tok, idx, false)
			if err := u.agentWrite(ctx, rec, tok+" agent answer", false); err != nil {
				agentDone <- fmt.Errorf("agent: %w", err)
				return
			}
		}
		agentDone <- nil
	}()
	for range 1 + u.rnd.IntN(3) {
		u.pause(ctx, u.rnd)
		if err := u.say(ctx, idx, "question"); err != nil {
			finish(err.Error())
			return err
		}
		// On a channel whose deliveries may be reordered, half the time
		// a second message at once, so that the two may be swapped.
		if u.log.Reordered && u.rnd.IntN(2) == 0 {
			if err := u.say(ctx, idx, "and another"); err != nil {
				finish(err.Error())
				return err
			}
		}
	}
	if err := <-agentDone; err != nil {
		finish(err.Error())
		return err
	}

	if mode != modeSignOff {
		// Nobody writes: the session expires a timeout after the last
		// message; or, on the queue bot, nobody claims it and the wait
		// limit ends it that long after its start; or the agent resolves
		// it. Up to a lease later when its timer's or job's instance was
		// killed.
		mark, wait, want := u.log.mark(), u.cfg.Timeout, resumeExpired
		switch mode {
		case modeUnclaimed:
			mark, wait, want = mark0, waitLimit, resumeEnded
		case modeResolve:
			// The agent resolves the conversation: the session ends now.
			wait, want = 0, resumeEnded
			if err := u.held.sim.Resolve(ctx, u.held.user); err != nil {
				finish(err.Error())
				return fmt.Errorf("agent resolve: %w", err)
			}
		}
		limit := wait + lease + u.cfg.Outage + 45*time.Second
		if !u.await(ctx, mark, limit, 0, idx, func(m recvMsg) bool { return resumeOf(m.Message) == want }) {
			err := fmt.Errorf("session %s: no %q after %s", id, want, limit)
			finish(err.Error())
			return err
		}
		finish("")
		return nil
	}

	// The agent signs off; the user waits for the end button (writing
	// again now and then, as people do when nothing comes), then clicks it.
	mark := u.log.mark()
	tok := u.log.nextToken(true)
	u.log.agentSent(tok, idx, true)
	if err := u.agentWrite(ctx, rec, tok+" agent bye", true); err != nil {
		finish(err.Error())
		return fmt.Errorf("agent sign-off: %w", err)
	}
	limit := lease + u.cfg.Outage + 45*time.Second
	if !u.await(ctx, mark, limit, 20*time.Second, idx, func(m recvMsg) bool { return isEndQuestion(m.Message) }) {
		err := fmt.Errorf("session %s: no end question after %s", id, limit)
		finish(err.Error())
		return err
	}
	if _, err := u.client.event(ctx, loadtest.Button(switchboard.PayloadSessionEnd)); err != nil {
		finish(err.Error())
		return fmt.Errorf("end the session: %w", err)
	}
	finish("")
	return nil
}

// heldAgent is the agent of a channel whose platform holds the sessions,
// for one customer.
type heldAgent struct {
	sim  heldSim
	user string
}

// agentWrite is the session's agent writing to the user: on the platform
// the bot hands over to, or on the channel's own.
func (u *user) agentWrite(ctx context.Context, rec *sessionRec, text string, signOff bool) error {
	if u.held != nil {
		return u.held.sim.AgentWrite(ctx, u.held.user, text, signOff)
	}
	return u.agents.write(ctx, rec, text, signOff)
}

// refused asks the closed bot for a person: no session opens, and the
// bot's answer to LIVECHAT_SESSION_UNAVAILABLE must come.
func (u *user) refused(ctx context.Context) error {
	mark := u.log.mark()
	if _, err := u.client.event(ctx, loadtest.Button(switchboard.PayloadSessionStart)); err != nil {
		return fmt.Errorf("ask for a person: %w", err)
	}
	limit := lease + 45*time.Second
	failure := ""
	if !u.await(ctx, mark, limit, 0, -1, isUnavailable) {
		failure = fmt.Sprintf("no %q after %s", unavailable, limit)
	}
	u.log.mu.Lock()
	u.log.Refused = append(u.log.Refused, failure)
	u.log.mu.Unlock()
	if failure != "" {
		return errors.New(failure)
	}
	return nil
}

// say types one message into session idx.
func (u *user) say(ctx context.Context, idx int, what string) error {
	tok := u.log.nextToken(false)
	u.log.sent(tok, idx)
	if _, err := u.client.event(ctx, loadtest.Text(tok+" "+what)); err != nil {
		return fmt.Errorf("message %s: %w", tok, err)
	}
	return nil
}

// await waits up to limit for a message received since mark that
// satisfies f. With nudge set, the user writes into session idx when
// nothing came for that long.
func (u *user) await(ctx context.Context, mark int, limit, nudge time.Duration, idx int, f func(recvMsg) bool) bool {
	deadline := time.Now().Add(limit)
	lastNudge := time.Now()
	for {
		if u.log.count(mark, f) > 0 {
			return true
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		if nudge > 0 && time.Since(lastNudge) > nudge {
			if err := u.say(ctx, idx, "are you still there?"); err != nil {
				return false
			}
			lastNudge = time.Now()
		}
		select {
		case <-u.log.notify:
		case <-time.After(time.Second):
		case <-ctx.Done():
		}
	}
}
