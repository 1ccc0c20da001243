package engine

import (
	"context"
	"fmt"
	"strings"

	"switchboard"
	"switchboard/livechat"
)

// Transfer hands a live session to another agent, or back to a team's
// queue, with a note for whoever takes it.
type Transfer struct {
	SessionID string
	// By names the agent who transfers, in the note.
	By string
	// ToAgentID and ToAgentName give the session to this agent: it stays
	// claimed, by them. Empty: the session goes back to ToTeam's queue
	// ("" = the general queue), unclaimed.
	ToAgentID, ToAgentName string
	ToTeam                 string
	Note                   string
}

// maxNote bounds a session's note, which transfers add to.
const maxNote = 4000

// Transfer moves a live session to another agent or team. The session's note
// gains a line saying who transferred it and why; a transfer to a team puts
// the customer back in that queue, told their new position.
func (e *Engine) Transfer(ctx context.Context, tr Transfer) error {
	if tr.ToTeam != "" {
		if err := livechat.CheckTeamID("team", tr.ToTeam); err != nil {
			return err
		}
	}
	return e.withSession(ctx, tr.SessionID, func(t *turn, s *switchboard.Session) error {
		if !s.Live() {
			return switchboard.Errorf(switchboard.EGONE, "the session has ended")
		}
		from := scopeOf(s)
		line := "Transferred by " + tr.By
		if tr.Note != "" {
			line += ": " + tr.Note
		}
		s.Note = strings.TrimSpace(line + "\n" + s.Note)
		if len(s.Note) > maxNote {
			s.Note = strings.ToValidUTF8(s.Note[:maxNote], "")
		}
		if tr.ToAgentID != "" {
			s.AgentID, s.AgentName = tr.ToAgentID, tr.ToAgentName
			if err := t.claimed(s); err != nil {
				return err
			}
		} else {
			s.Team, s.AgentID, s.AgentName, s.ClaimedAt, s.QueuePosition = tr.ToTeam, "", "", nil, 0
		}
		if err := t.tx.UpdateSession(t.ctx, s); err != nil {
			return fmt.Errorf("transfer session: %w", err)
		}
		if tr.ToAgentID == "" {
			if err := t.enqueueQueue(from); err != nil {
				return err
			}
			if err := t.queueChanged(s); err != nil {
				return err
			}
		}
		t.notifyDesk(s)
		t.fx.notify(switchboard.TopicClient(t.key))
		return nil
	})
}
