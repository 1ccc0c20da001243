package main

import "switchboard"

// verifyHandoffs checks what issue 17 adds: nobody who asked for a person
// is left waiting without a message (each session's connecting message or
// queue position, the position for each session that waited unclaimed,
// each refused handoff's answer from the bot, once), and
// the ends agree with the claims and routing (a wait-limit timeout only
// for a session nobody claimed, a claim for every session an agent
// answered, the queue bot's sessions in its team). u.mu is held.
func verifyHandoffs(v *verdict, u *userLog, h []switchboard.Message, t *truth) {
	who := u.Name + " (" + u.Channel + ", " + u.Bot + ")"
	answered, positioned := map[string]bool{}, map[string]bool{}
	refusals := 0
	for _, m := range u.Received {
		if m.SessionID != "" && answersHandoff(m.Message) {
			answered[m.SessionID] = true
		}
		if m.SessionID != "" && isPosition(m.Message) {
			positioned[m.SessionID] = true
		}
		if isUnavailable(m) {
			refusals++
		}
	}
	for _, s := range u.Sessions {
		switch {
		case !answered[s.ID]:
			v.fail(checkAnswered, "%s session %s: no connecting or queue message received", who, s.ID)
		case s.Mode == modeUnclaimed && !positioned[s.ID]:
			// A session claimed at once may be claimed before its
			// position is told; one that waits a whole minute must be.
			v.fail(checkAnswered, "%s session %s: waited unclaimed, never told its place in the queue", who, s.ID)
		default:
			v.pass(checkAnswered)
		}
		ss, ok := t.sessions[s.ID]
		if !ok || s.Finished.IsZero() {
			continue // checkEndReason and checkScripts say why
		}
		claimed := ss.Claimed
		switch {
		case ss.EndReason == string(switchboard.EndTimeout) && claimed:
			v.fail(checkClaims, "%s session %s: ended by the wait limit, but was claimed", who, s.ID)
		case s.Mode == modeSignOff && s.Platform == "desk" && !claimed:
			v.fail(checkClaims, "%s session %s: the agent answered, but it was never claimed", who, s.ID)
		case u.Queue && ss.Team != queueTeam:
			v.fail(checkClaims, "%s session %s: in team %q, not %q", who, s.ID, ss.Team, queueTeam)
		default:
			v.pass(checkClaims)
		}
	}
	stored := 0
	for _, m := range h {
		if isUnavailable(recvMsg{Message: m}) {
			stored++
		}
	}
	for _, failure := range u.Refused {
		if failure != "" {
			v.fail(checkScripts, "%s refused handoff: %s", who, failure)
		} else {
			v.pass(checkScripts)
		}
	}
	if n := len(u.Refused); refusals != n || stored != n {
		v.fail(checkAnswered, "%s: %d refused handoffs, %d received, %d stored", who, n, refusals, stored)
	} else if n > 0 {
		v.pass(checkAnswered)
	}
}
