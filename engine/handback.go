package engine

import (
	"fmt"
	"maps"

	"switchboard"
	"switchboard/csml"
	"switchboard/livechat"
)

// keepHandback adds the values an agent handed back in a message to those
// the session holds, for the bot's END event; later values of a key
// replace earlier ones.
func (t *turn) keepHandback(s *switchboard.Session, values map[string]string) error {
	if len(values) == 0 {
		return nil
	}
	held, err := t.tx.Handback(t.ctx, s.ID)
	if err != nil {
		return fmt.Errorf("read handback: %w", err)
	}
	if held == nil {
		held = map[string]string{}
	}
	for k, v := range values {
		if _, ok := held[k]; ok || len(held) < livechat.MaxHandbackKeys {
			held[k] = v
		}
	}
	if err := t.tx.PutHandback(t.ctx, s.ID, held); err != nil {
		return fmt.Errorf("keep handback: %w", err)
	}
	return nil
}

// endEvent is the event that tells the bot a session ended: the payload,
// event.reason and, when agents handed values back, event.handback.
func (t *turn) endEvent(s *switchboard.Session, payload, reason string) (csml.Event, switchboard.Payload, error) {
	extra := map[string]any{"reason": reason}
	held, err := t.tx.Handback(t.ctx, s.ID)
	if err != nil {
		return csml.Event{}, switchboard.Payload{}, fmt.Errorf("read handback: %w", err)
	}
	if len(held) > 0 {
		extra["handback"] = maps.Clone(held)
	}
	ev, p := payloadEvent(payload, extra)
	return ev, p, nil
}
