package channel

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"switchboard"
)

// recentMessages is how far back in a client's history a typed number
// looks for the last message sent to the user (past the user's own).
const recentMessages = 20

// resolveChoice turns what the user pressed or typed into the event of the
// button they chose, read back from the history: a reply id that refers to
// a button of a stored message (Button.ID), or a number typed after
// numbered choices. Anything else is returned as it came.
func resolveChoice(ctx context.Context, tx switchboard.Tx, key switchboard.ClientKey, p switchboard.Payload, lim Limits) (switchboard.Payload, error) {
	var c map[string]any
	_ = json.Unmarshal(p.Content, &c)
	switch p.ContentType {
	case "payload":
		id, _ := c["payload"].(string)
		msgID, n, ok := parseRef(id)
		if !ok {
			return p, nil
		}
		m, err := tx.Message(ctx, msgID)
		if switchboard.ErrorCode(err) == switchboard.ENOTFOUND || err == nil && (m.Client != key || m.Direction != switchboard.DirectionSend) {
			return p, nil // not one of this user's messages: the bot gets the id as it came
		}
		if err != nil {
			return p, err
		}
		if b, ok := buttonNumbered(ReadComponent(*m, lim), n); ok {
			return choicePayload(b), nil
		}
	case "text":
		text, _ := c["text"].(string)
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), ".")))
		if err != nil || n <= 0 {
			return p, nil
		}
		msgs, err := tx.LastMessages(ctx, key, 0, recentMessages)
		if err != nil {
			return p, err
		}
		// Only the last message the user saw answers to a number (typing
		// and waits aside): a number typed after anything else, an agent's
		// question for one, is text.
		for i := len(msgs) - 1; i >= 0; i-- {
			m := msgs[i]
			if m.Direction != switchboard.DirectionSend || m.Payload.ContentType == "typing" || m.Payload.ContentType == "wait" {
				continue
			}
			comp := ReadComponent(m, lim)
			if b, ok := buttonNumbered(comp, n); ok && comp.numbered() {
				return choicePayload(b), nil
			}
			return p, nil
		}
	}
	return p, nil
}

// parseRef reads a reference "~<message id>.<number>".
func parseRef(id string) (int64, int, bool) {
	rest, ok := strings.CutPrefix(id, refPrefix)
	if !ok {
		return 0, 0, false
	}
	a, b, ok := strings.Cut(rest, ".")
	msgID, err1 := strconv.ParseInt(a, 10, 64)
	n, err2 := strconv.Atoi(b)
	return msgID, n, ok && err1 == nil && err2 == nil
}

func buttonNumbered(c Component, n int) (Button, bool) {
	for _, b := range c.AllButtons() {
		if b.Number == n {
			return b, true
		}
	}
	return Button{}, false
}

// choicePayload is the event of a pressed button: its payload and title,
// as the chat page sends it.
func choicePayload(b Button) switchboard.Payload {
	raw, _ := json.Marshal(map[string]string{"payload": b.Payload, "title": b.Title})
	return switchboard.Payload{ContentType: "payload", Content: raw}
}
