package slack_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel"
	"switchboard/channel/channeltest"
	"switchboard/channel/slack"
	"switchboard/channel/slack/slacksim"
	"switchboard/internal/simkit/simtest"
	"switchboard/internal/testclock"
)

const secret = slacksim.DefaultSigningSecret

// open sets up and opens a channel with settings and clock.
func open(t *testing.T, raw json.RawMessage, clock switchboard.Clock) channel.Conn {
	t.Helper()
	return channeltest.Open(t, slack.Driver{Clock: clock}, raw)
}

func offline(t *testing.T, clock switchboard.Clock) channel.Conn {
	return open(t, json.RawMessage(`{"bot_token":"xoxb-1-2-abc","signing_secret":"`+secret+`"}`), clock)
}

func TestSetupRefusesWhatIsNotSlacks(t *testing.T) {
	for _, raw := range []string{
		`{"signing_secret":"` + secret + `"}`,
		`{"bot_token":"xoxp-1-2-user-token","signing_secret":"` + secret + `"}`,
		`{"bot_token":"xoxb-1-2-abc"}`,
		`{"bot_token":"xoxb-1-2-abc","signing_secret":"short"}`,
		`{"bot_token":"xoxb-1-2-abc","signing_secret":"` + secret + `","api_base":"ftp://slack.com"}`,
		`{"bot_token":"xoxb-1-2-abc","signing_secret":"` + secret + `","verification_token":"x"}`,
	} {
		if _, err := (slack.Driver{}).Setup(json.RawMessage(raw), channeltest.PlainSealer{}, "p"); switchboard.ErrorCode(err) != switchboard.EINVALID {
			t.Errorf("Setup(%s): %v, want EINVALID", raw, err)
		}
	}
	stored, err := (slack.Driver{}).Setup(json.RawMessage(`{"bot_token":"xoxb-1-2-abc","signing_secret":"`+secret+`"}`), channeltest.PlainSealer{}, "p")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := (slack.Driver{}).Public(stored)
	if len(pub) != 1 || pub["api_base"] != slack.DefaultAPIBase {
		t.Errorf("Public shows %v, want the default api_base and no secret", pub)
	}
}

// signed are the headers of body signed at.
func signed(secret string, at time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	return http.Header{"X-Slack-Request-Timestamp": {ts}, "X-Slack-Signature": {slack.Signature(secret, ts, body)}}
}

func TestVerifyTakesFreshSignedBodiesOnly(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	conn := offline(t, testclock.New(now))
	body := []byte(`{"type":"event_callback","event_id":"Ev1"}`)
	ok := []time.Time{now, now.Add(-4*time.Minute - 59*time.Second), now.Add(time.Minute)}
	for _, at := range ok {
		if err := conn.Verify(signed(secret, at, body), body); err != nil {
			t.Errorf("signed at %v: %v", at, err)
		}
	}
	refused := map[string]http.Header{
		"stale":        signed(secret, now.Add(-5*time.Minute-time.Second), body),
		"future":       signed(secret, now.Add(6*time.Minute), body),
		"other secret": signed("another-signing-secret", now, body),
		"other body":   signed(secret, now, []byte(`{"type":"event_callback","event_id":"Ev2"}`)),
		"no signature": {"X-Slack-Request-Timestamp": {strconv.FormatInt(now.Unix(), 10)}},
		"bad time":     {"X-Slack-Request-Timestamp": {"yesterday"}, "X-Slack-Signature": {"v0=00"}},
	}
	for name, h := range refused {
		if err := conn.Verify(h, body); switchboard.ErrorCode(err) != switchboard.EUNAUTHORIZED {
			t.Errorf("%s: %v, want EUNAUTHORIZED", name, err)
		}
	}
}

// envelope is an event_callback of ev.
func envelope(id string, ev map[string]any) []byte {
	raw, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": id,
		"authorizations": []map[string]any{{"user_id": "UBOT", "is_bot": true}}, "event": ev})
	return raw
}

// press is a block_actions form of a press on a message of channel, in
// thread when not "".
func press(channel, thread, value string) []byte {
	container := map[string]any{"type": "message", "channel_id": channel, "message_ts": "1700000000.000200"}
	if thread != "" {
		container["thread_ts"] = thread
	}
	raw, _ := json.Marshal(map[string]any{"type": "block_actions", "user": map[string]any{"id": "U1", "username": "ada", "team_id": "T1"},
		"channel": map[string]any{"id": channel}, "container": container,
		"actions": []map[string]any{{"type": "button", "action_id": "choice_1", "value": value, "action_ts": "1700000001.000300", "text": map[string]any{"type": "plain_text", "text": "Yes"}}}})
	return []byte(url.Values{"payload": {string(raw)}}.Encode())
}

func TestParseTakesUsersMessagesAndPresses(t *testing.T) {
	conn := offline(t, nil)
	msg := func(extra map[string]any) map[string]any {
		ev := map[string]any{"type": "message", "channel": "D1", "channel_type": "im", "user": "U1", "text": "a &lt;b&gt; &amp; c", "ts": "1700000000.000100"}
		for k, v := range extra {
			ev[k] = v
		}
		return ev
	}
	cases := []struct {
		name       string
		body       []byte
		user, text string
		kind       string
	}{
		{"a DM", envelope("Ev1", msg(nil)), "D1", "a <b> & c", "text"},
		{"a channel's top-level message", envelope("Ev2", msg(map[string]any{"channel": "C1", "channel_type": "channel", "text": "<@UBOT> help"})), "C1:1700000000.000100", "help", "text"},
		{"a reply in a thread", envelope("Ev3", msg(map[string]any{"channel": "C1", "channel_type": "channel", "thread_ts": "1699999999.000001"})), "C1:1699999999.000001", "a <b> & c", "text"},
		{"a file", envelope("Ev4", msg(map[string]any{"subtype": "file_share", "text": "look", "files": []any{map[string]any{"id": "F1", "name": "a.png", "mimetype": "image/png"}}})), "D1", "", "image"},
		{"the bot's own post", envelope("Ev5", msg(map[string]any{"bot_id": "B1", "user": "UBOT"})), "", "", ""},
		{"the app's user", envelope("Ev6", msg(map[string]any{"user": "UBOT"})), "", "", ""},
		{"an edit", envelope("Ev7", msg(map[string]any{"subtype": "message_changed", "user": nil})), "", "", ""},
		{"a bot_message", envelope("Ev8", msg(map[string]any{"subtype": "bot_message"})), "", "", ""},
		{"an app_mention", envelope("Ev9", msg(map[string]any{"type": "app_mention"})), "", "", ""},
		{"a press in a DM", press("D1", "", "YES"), "D1", "", "payload"},
		{"a press in a thread", press("C1", "1699999999.000001", "YES"), "C1:1699999999.000001", "", "payload"},
		{"a link button", press("D1", "", ""), "", "", ""},
		{"the url_verification", []byte(`{"type":"url_verification","challenge":"abc"}`), "", "", ""},
	}
	for _, c := range cases {
		items, err := conn.Parse(c.body)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if c.user == "" {
			if len(items) != 0 {
				t.Errorf("%s parsed as %+v, want nothing", c.name, items)
			}
			continue
		}
		if len(items) != 1 || items[0].UserID != c.user || items[0].Payload.ContentType != c.kind || len(items[0].Metadata) == 0 {
			t.Errorf("%s parsed as %+v, want one %s item of %s", c.name, items, c.kind, c.user)
			continue
		}
		var content map[string]string
		_ = json.Unmarshal(items[0].Payload.Content, &content)
		switch c.kind {
		case "text":
			if content["text"] != c.text {
				t.Errorf("%s: text %q, want %q", c.name, content["text"], c.text)
			}
		case "image":
			if items[0].MediaID != "F1" || content["caption"] != "look" {
				t.Errorf("%s: %+v %v", c.name, items[0], content)
			}
		case "payload":
			if content["payload"] != "YES" || content["title"] != "Yes" || !strings.HasPrefix(items[0].ID, "action:") {
				t.Errorf("%s: %+v %v", c.name, items[0], content)
			}
		}
	}
	if items, _ := conn.Parse(envelope("Ev1", msg(nil))); len(items) != 1 || items[0].ID != "Ev1" {
		t.Errorf("an event's item id is %+v, want its event_id (the same on Slack's retries)", items)
	}
	if _, err := conn.Parse([]byte(`{"type":"something_else"}`)); err == nil {
		t.Error("a body of another type parsed")
	}
	rp := conn.(channel.Replier)
	if got, _ := json.Marshal(rp.WebhookReply([]byte(`{"type":"url_verification","challenge":"abc"}`))); string(got) != `{"challenge":"abc"}` {
		t.Errorf("url_verification answered %s", got)
	}
	if rp.WebhookReply(envelope("Ev1", msg(nil))) != nil || rp.WebhookReply(press("D1", "", "YES")) != nil {
		t.Error("a delivery other than url_verification got a reply")
	}
}

// render renders a stored message's component.
func render(t *testing.T, conn channel.Conn, m switchboard.Message) []channel.Native {
	t.Helper()
	out, err := conn.Render(channel.ReadComponent(m, conn.Limits()), channel.Outgoing{Message: m})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func message(kind string, content any) switchboard.Message {
	raw, _ := json.Marshal(content)
	return switchboard.Message{ID: 7, Direction: switchboard.DirectionSend, Payload: switchboard.Payload{ContentType: kind, Content: raw}}
}

func TestRenderBlockKit(t *testing.T) {
	conn := offline(t, nil)
	buttons := func(n int) []map[string]string {
		var out []map[string]string
		for i := range n {
			out = append(out, map[string]string{"title": "Choice " + strconv.Itoa(i), "payload": "P" + strconv.Itoa(i)})
		}
		return out
	}
	q := render(t, conn, message("question", map[string]any{"title": "Pick <one>", "buttons": buttons(25)}))
	raw, _ := json.Marshal(q)
	if len(q) != 1 || q[0].Kind != "buttons" || !strings.Contains(string(raw), `"value":"P24"`) || !strings.Contains(string(raw), `Pick \u0026lt;one\u0026gt;`) {
		t.Errorf("25 buttons rendered as %s", raw)
	}
	if q := render(t, conn, message("question", map[string]any{"title": "Pick", "buttons": buttons(26)})); len(q) != 1 || q[0].Kind != "text" || !strings.Contains(q[0].Body.(map[string]any)["text"].(string), "26. Choice 25") {
		t.Errorf("26 buttons rendered as %+v, want numbered text", q)
	}
	agent := message("text", map[string]string{"text": "Hello"})
	agent.Sender = switchboard.Sender{Kind: switchboard.SenderAgent, Name: "Alex"}
	if n := render(t, conn, agent); n[0].Body.(map[string]any)["text"] != "*Alex*\nHello" {
		t.Errorf("an agent's text rendered as %+v", n)
	}
	if n := render(t, conn, message("typing", map[string]any{"duration": 1000})); len(n) != 0 {
		t.Errorf("typing rendered as %+v, want nothing (Slack bots have no typing indicator)", n)
	}
	if n := render(t, conn, message("image", map[string]string{"url": "https://example.com/a.png"})); n[0].Kind != "image" {
		t.Errorf("an image rendered as %+v", n)
	}
	if n := render(t, conn, message("url", map[string]string{"url": "https://example.com", "text": "Our site"})); n[0].Body.(map[string]any)["text"] != "<https://example.com|Our site>" {
		t.Errorf("a url rendered as %+v", n)
	}
	if n := render(t, conn, message("url", map[string]string{"url": "!channel", "text": "everyone"})); n[0].Body.(map[string]any)["text"] != "everyone\n!channel" {
		t.Errorf("a url that is a mention rendered as %+v, want text", n)
	}
	if n := render(t, conn, message("text", map[string]string{"text": strings.Repeat("word ", 1000)})); len(n) != 2 {
		t.Errorf("5,000 characters rendered as %d messages, want 2", len(n))
	}
}

// TestSendClassifiesSlacksAnswers posts through the simulator: in a
// channel's thread, and the errors Slack answers.
func TestSendClassifiesSlacksAnswers(t *testing.T) {
	sim := startSim(t, slacksim.Config{ChannelBurst: 2})
	conn := open(t, settings(sim, ""), nil)
	ada := sim.AddUser(slacksim.User{Name: "Ada"})
	posted, err := sim.UserPost(slacksim.Post{User: ada.ID, Channel: slacksim.General, Text: "help"})
	if err != nil {
		t.Fatal(err)
	}
	text := channel.Native{Kind: "text", Body: map[string]any{"text": "On it"}}
	id, err := conn.Send(t.Context(), slacksim.General+":"+posted.TS, text)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := sim.Conversation(slacksim.General)
	last := c.Messages[len(c.Messages)-1]
	if id != slacksim.General+":"+last.TS || last.ThreadTS != posted.TS || !last.Bot {
		t.Errorf("sent %s as %+v, want in the thread of %s", id, last, posted.TS)
	}

	private := sim.AddChannel("private", false)
	var buttons []any
	for i := range 26 {
		buttons = append(buttons, map[string]any{"type": "button", "action_id": strconv.Itoa(i), "value": "v", "text": map[string]any{"type": "plain_text", "text": "b"}})
	}
	tooMany := channel.Native{Kind: "buttons", Body: map[string]any{"text": "x", "blocks": []any{map[string]any{"type": "actions", "elements": buttons}}}}
	for to, n := range map[string]channel.Native{"C404": text, private: text, ada.DM: tooMany, ada.DM + " ": {Kind: "text", Body: map[string]any{"text": " "}}} {
		if _, err := conn.Send(t.Context(), strings.TrimSpace(to), n); !channel.IsPermanent(err) {
			t.Errorf("a send to %s: %v, want permanent", to, err)
		}
	}
	// The channel's burst is spent: ratelimited, with Retry-After.
	for range 3 {
		if _, err = conn.Send(t.Context(), ada.DM, text); err != nil {
			break
		}
	}
	var r interface{ RetryAfter() time.Duration }
	if !errors.As(err, &r) || r.RetryAfter() < time.Second {
		t.Errorf("past the burst: %v, want a delay", err)
	}
	sim.FailNext(http.StatusInternalServerError, 1)
	bob := sim.AddUser(slacksim.User{Name: "Bob"})
	if _, err := conn.Send(t.Context(), bob.DM, text); err == nil || channel.IsPermanent(err) {
		t.Errorf("a 500: %v, want an error worth retrying", err)
	}
}

// TestWhatSlackSendsAndTheBotIgnores: the simulator's edits, deletions,
// the bot's own posts and app_rate_limited, delivered signed, verify and
// parse into nothing.
func TestWhatSlackSendsAndTheBotIgnores(t *testing.T) {
	sim := startSim(t, slacksim.Config{})
	conn := open(t, settings(sim, ""), nil)
	rc := simtest.NewReceiver(t)
	sim.SetURLs(rc.URL, rc.URL)
	ada := sim.AddUser(slacksim.User{Name: "Ada"})
	posted, err := sim.UserText(ada.ID, "hi")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Send(t.Context(), ada.DM, channel.Native{Kind: "text", Body: map[string]any{"text": "Hello"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.UserEdit(ada.ID, ada.DM, posted.TS, "hi there"); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.UserDelete(ada.ID, ada.DM, posted.TS); err != nil {
		t.Fatal(err)
	}
	sim.AppRateLimited()
	simtest.WaitIdle(t, sim)
	calls := rc.Calls()
	if len(calls) != 5 {
		t.Fatalf("%d deliveries, want 5", len(calls))
	}
	for i, c := range calls {
		if err := conn.Verify(c.Header, c.Body); err != nil {
			t.Errorf("delivery %d: %v", i, err)
		}
		items, err := conn.Parse(c.Body)
		if want := map[bool]int{true: 1}[i == 0]; err != nil || len(items) != want {
			t.Errorf("delivery %d (%s) parsed as %+v %v, want %d items", i, c.Body, items, err, want)
		}
	}
	if msg, err := conn.(channel.Checker).Check(t.Context()); err != nil || !strings.Contains(msg, "@switchboard") {
		t.Errorf("Check: %q %v", msg, err)
	}
}
