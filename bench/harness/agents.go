package main

import (
	"context"
	"fmt"
	"time"

	"switchboard/livechat/chatwoot/chatwootsim"
	"switchboard/livechat/gorgias/gorgiassim"
)

// agents write to users the way each platform's agents do: in the built-in
// desk through its JSON API (as the desk page does), in Gorgias and
// Chatwoot through the simulators' consoles.
type agents struct {
	desk      *deskAgent
	platforms *platforms
}

// write sends an agent's text into a session; signOff sends it as the
// platform's sign-off (the desk's button, Gorgias's macro, Chatwoot's
// canned response), which asks the user whether to end. It waits first for
// the session's conversation to exist on the platform (a ticket is opened
// after the user asked, and later when the platform is down).
func (a *agents) write(ctx context.Context, s *sessionRec, text string, signOff bool) error {
	switch s.Platform {
	case "desk":
		return a.desk.write(ctx, s.ID, text, signOff)
	case "gorgias":
		id, err := a.platforms.conversation(ctx, "gorgias", s.ID, openLimit)
		if err != nil {
			return err
		}
		if signOff {
			_, err = a.platforms.Gorgias.Act(id, gorgiassim.Action{Kind: gorgiassim.ActMacro, Text: text})
		} else {
			// Gorgias pastes template values into URLs raw: a "#" in
			// the text must not lose the call.
			_, err = a.platforms.Gorgias.Reply(id, text+" (order #42 & co)")
		}
		return err
	case "chatwoot":
		id, err := a.platforms.conversation(ctx, "chatwoot", s.ID, openLimit)
		if err != nil {
			return err
		}
		if signOff {
			_, err = a.platforms.Chatwoot.Act(id, chatwootsim.Action{Kind: chatwootsim.ActCanned, Text: text})
		} else {
			_, err = a.platforms.Chatwoot.Reply(id, text)
		}
		return err
	}
	return fmt.Errorf("unknown platform %q", s.Platform)
}

// openLimit bounds the wait for a session's ticket: the open timeout while
// the platform is down (2 minutes), a lease more when the open job was
// held by a killed instance.
const openLimit = 2*time.Minute + lease + 30*time.Second
