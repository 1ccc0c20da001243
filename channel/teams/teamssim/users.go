package teamssim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"switchboard/internal/simkit"
)

// SetEndpoint sets the bot's messaging endpoint, where activities go.
func (s *Sim) SetEndpoint(u string) {
	s.mu.Lock()
	s.endpoint = u
	s.wake()
	s.mu.Unlock()
}

// AddUser starts a personal chat of a user named name with the bot (the
// app installed for them) and returns the conversation's id; id names it
// ("" makes one as Teams does, "a:1…").
func (s *Sim) AddUser(name, id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == "" {
		id = "a:1" + randomID(40)
	}
	if _, ok := s.convs[id]; !ok {
		s.convs[id] = &Conversation{ID: id, UserID: "29:1" + randomID(30), Name: name, Messages: []Message{}}
		s.order = append(s.order, id)
		s.wake()
	}
	return id
}

// RemoveBot is the user removing the bot: its sends are then refused.
func (s *Sim) RemoveBot(conv string) {
	s.mu.Lock()
	if c := s.convs[conv]; c != nil {
		c.Removed = true
	}
	s.mu.Unlock()
}

// Conversation returns a copy of a conversation.
func (s *Sim) Conversation(id string) (Conversation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.convs[id]
	if !ok {
		return Conversation{}, false
	}
	out := *c
	out.Messages = append([]Message(nil), c.Messages...)
	return out, true
}

// Wait waits until cond holds (checked at each change) or ctx ends.
func (s *Sim) Wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("teams sim: waiting: %w", ctx.Err())
		}
	}
}

// UserText is the user writing text; it returns the activity's id.
func (s *Sim) UserText(conv, text string) (string, error) {
	return s.userMessage(conv, Message{Text: text}, map[string]any{"text": text, "textFormat": "plain"})
}

// UserPress is the user pressing the button titled title of the bot's
// last message that has it: an imBack posts its value as text, a
// messageBack its text and value (the chat shows its displayText).
func (s *Sim) UserPress(conv, title string) (string, error) {
	s.mu.Lock()
	var found *Button
	if c := s.convs[conv]; c != nil {
		for i := len(c.Messages) - 1; i >= 0 && found == nil; i-- {
			for _, card := range c.Messages[i].Cards {
				for _, b := range card.Buttons {
					if b.Title == title && found == nil {
						found = &b
					}
				}
			}
		}
	}
	s.mu.Unlock()
	if found == nil {
		return "", fmt.Errorf("teams sim: no button %q in conversation %s", title, conv)
	}
	switch found.Type {
	case "imBack":
		var v string
		_ = json.Unmarshal(found.Value, &v)
		return s.userMessage(conv, Message{Text: v}, map[string]any{"text": v, "textFormat": "plain"})
	case "messageBack":
		shown := found.DisplayText
		a := map[string]any{"value": found.Value}
		if found.Text != "" {
			a["text"] = found.Text
		}
		return s.userMessage(conv, Message{Text: shown}, a)
	}
	return "", fmt.Errorf("teams sim: button %q is a %s, which posts no message", title, found.Type)
}

// UserPressValue is the user pressing a messageBack button whose value's
// payload is payload.
func (s *Sim) UserPressValue(conv, payload string) (string, error) {
	s.mu.Lock()
	title := ""
	if c := s.convs[conv]; c != nil {
		for i := len(c.Messages) - 1; i >= 0 && title == ""; i-- {
			for _, card := range c.Messages[i].Cards {
				for _, b := range card.Buttons {
					var v struct {
						Payload string `json:"payload"`
					}
					if json.Unmarshal(b.Value, &v) == nil && v.Payload == payload && title == "" {
						title = b.Title
					}
				}
			}
		}
	}
	s.mu.Unlock()
	if title == "" {
		return "", fmt.Errorf("teams sim: no button of payload %q in conversation %s", payload, conv)
	}
	return s.UserPress(conv, title)
}

// UserImage is the user pasting an inline image: the bot downloads it
// from its contentUrl with its token.
func (s *Sim) UserImage(conv, contentType string, data []byte) (string, error) {
	id := "0-eus-d1-" + randomID(16)
	s.mu.Lock()
	s.images[id] = image{contentType: contentType, data: data}
	s.mu.Unlock()
	u := s.ServiceURL() + "v3/attachments/" + id + "/views/original"
	return s.userMessage(conv, Message{Images: []string{u}}, map[string]any{"attachments": []map[string]string{{"contentType": contentType, "contentUrl": u}}})
}

// userMessage records a user's message and posts its activity (fields
// added to the common ones) to the bot.
func (s *Sim) userMessage(conv string, m Message, fields map[string]any) (string, error) {
	s.mu.Lock()
	c := s.convs[conv]
	if c == nil {
		s.mu.Unlock()
		return "", fmt.Errorf("teams sim: no conversation %s", conv)
	}
	if s.endpoint == "" {
		s.mu.Unlock()
		return "", fmt.Errorf("teams sim: the bot has no messaging endpoint")
	}
	s.next++
	m.ID, m.At = strconv.FormatInt(s.next, 10), s.cfg.Now()
	c.Messages = append(c.Messages, m)
	a := map[string]any{
		"type": "message", "id": m.ID, "timestamp": m.At.UTC().Format("2006-01-02T15:04:05.000Z"), "localTimestamp": m.At.Format("2006-01-02T15:04:05.000-07:00"),
		"serviceUrl": s.ServiceURL(), "channelId": ChannelID,
		"from":         map[string]string{"id": c.UserID, "name": c.Name, "aadObjectId": "00000000-0000-4000-8000-" + fmt.Sprintf("%012d", len(s.order))},
		"recipient":    map[string]string{"id": "28:" + s.cfg.AppID, "name": "Bot"},
		"conversation": map[string]string{"conversationType": "personal", "tenantId": s.cfg.TenantID, "id": c.ID},
		"channelData":  map[string]any{"tenant": map[string]string{"id": s.cfg.TenantID}},
		"entities":     []map[string]string{{"type": "clientInfo", "locale": "en-US", "country": "US", "platform": "Web"}},
		"locale":       "en-US",
	}
	for k, v := range fields {
		a[k] = v
	}
	body, _ := json.Marshal(a)
	s.posted[m.ID] = body
	s.answers[m.ID] = 0
	forge := s.forge
	target := s.endpoint
	s.wake()
	s.mu.Unlock()
	s.post(target, m.ID, body, forge)
	return m.ID, nil
}

// Replay posts an activity again, as it was, with a fresh token: what a
// client resending it, or someone who captured it, would do.
func (s *Sim) Replay(activityID string) error {
	s.mu.Lock()
	body, ok := s.posted[activityID]
	target := s.endpoint
	s.answers[activityID] = 0
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("teams sim: no activity %s was posted", activityID)
	}
	s.post(target, activityID, body, ForgeNone)
	return nil
}

// post queues an activity's delivery, its token signed for each attempt.
func (s *Sim) post(target, id string, body []byte, forge Forgery) {
	claimed := s.ServiceURL()
	if forge == ForgeServiceURL {
		// The token is the real one's; the body names another serviceUrl.
		var a map[string]any
		_ = json.Unmarshal(body, &a)
		a["serviceUrl"] = ForgedServiceURL
		body, _ = json.Marshal(a)
	}
	s.hooks.Enqueue(simkit.Hook{EventID: id, EventType: "message", ObjectID: id, URL: target,
		Request: func(ctx context.Context, _ int) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			req.Header.Set("Authorization", "Bearer "+s.sign(claimed, forge))
			req.Header.Set("User-Agent", "Microsoft-SkypeBotApi (Microsoft-BotFramework/3.0)")
			return req, nil
		}})
}

// answered keeps the status the bot answered an activity with.
func (s *Sim) answered(h simkit.Hook, d simkit.Delivery) {
	s.mu.Lock()
	s.answers[h.ObjectID] = d.Status
	if d.Status == 0 {
		s.answers[h.ObjectID] = -1
	}
	s.wake()
	s.mu.Unlock()
}

// Answer waits for the bot's answer to an activity: its HTTP status (-1
// when none came).
func (s *Sim) Answer(ctx context.Context, activityID string) (int, error) {
	var status int
	err := s.Wait(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		status = s.answers[activityID]
		return status != 0
	})
	return status, err
}

// Deliveries returns every activity delivery made so far.
func (s *Sim) Deliveries() []simkit.Delivery { return s.hooks.Deliveries() }

// SetSwitches sets the chaos switches.
func (s *Sim) SetSwitches(sw simkit.Switches) { sw.Apply(s.hooks, &s.faults) }

// Switches reads the chaos switches.
func (s *Sim) Switches() simkit.Switches { return simkit.ReadSwitches(s.hooks, &s.faults) }

// SetChaos sets the delivery switches.
func (s *Sim) SetChaos(c simkit.Chaos) { s.hooks.SetChaos(c) }

// SetOutage turns a Bot Connector outage on or off: every call is answered
// 503 while it lasts (activities are still posted to the bot).
func (s *Sim) SetOutage(on bool) { s.faults.SetOutage(on) }

// Throttle answers the next n Bot Connector calls 429 with a Retry-After
// of retryAfter.
func (s *Sim) Throttle(n int, retryAfter int) {
	s.faults.Throttle(n, time.Duration(retryAfter)*time.Second)
}
