package app_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestChatwootLifecycle plays a whole handoff against the simulator through
// its API inbox's webhook: the contact, the conversation and the transcript
// note; messages both ways in order; the agent's typing; what must never
// reach the user; the sign-off canned response, its button, and the
// conversation resolved at the end.
func TestChatwootLifecycle(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, nil)
	s := c.start()

	// The contact and the conversation carry who the user is and what the
	// bot said.
	cv := c.conversation(s)
	if s.ExternalID != strconv.FormatInt(cv.DisplayID, 10) || cv.Status != "open" || cv.AdditionalAttributes["switchboard_session_id"] != s.ID {
		t.Fatalf("conversation %d (%s, %v), session %s with conversation %q", cv.DisplayID, cv.Status, cv.AdditionalAttributes, s.ID, s.ExternalID)
	}
	contacts := c.sim.Contacts()
	if len(contacts) != 1 {
		t.Fatalf("contacts = %d, want 1", len(contacts))
	}
	ct := contacts[0]
	if ct.Name != "Grace Hopper" || ct.Email != "grace@example.com" || ct.Identifier != "switchboard:"+c.user.String() || ct.AdditionalAttributes["plan"] != "gold" || cv.ContactID != ct.ID {
		t.Errorf("contact = %+v", ct)
	}
	if n := notes(cv); len(n) != 1 || !strings.Contains(n[0], "Grace Hopper asked to talk to an agent") ||
		!strings.Contains(n[0], "Bot: Hi **Grace**! I am the switchboard demo bot.") || !strings.Contains(n[0], "User: hello") {
		t.Fatalf("notes = %q, want the transcript", n)
	}

	// The user writes: the messages reach the conversation in order, as
	// incoming messages; the bot stays silent.
	r1, r2 := c.say("My parcel has not arrived"), c.say("Order 1234, sent on Monday")
	if len(r1.Messages)+len(r2.Messages) != 0 {
		t.Fatalf("the bot answered during the session: %+v %+v", r1.Messages, r2.Messages)
	}
	c.waitFor("the user's messages in the conversation", func() bool { return len(incoming(c.conversation(s))) == 2 })
	if got := incoming(c.conversation(s)); !slices.Equal(got, []string{"My parcel has not arrived", "Order 1234, sent on Monday"}) {
		t.Fatalf("incoming messages = %q", got)
	}

	// The agent types: the user's page is told, nothing is stored.
	c.act(s, chatwootsim.Action{Kind: chatwootsim.ActTypingOn, Text: "x", Private: true}) // typing a note: not shown
	c.settle()
	if c.srv.app.Engine.AgentIsTyping(c.user) {
		t.Error("typing a private note is shown to the user")
	}
	c.act(s, chatwootsim.Action{Kind: chatwootsim.ActTypingOn})
	c.waitFor("the agent typing", func() bool { return c.srv.app.Engine.AgentIsTyping(c.user) })

	// The agent answers; notes, bots, surveys, automations and echoes never
	// reach the user; files, markdown and the sign-off do, in the order
	// written.
	for _, a := range []chatwootsim.Action{
		{Kind: chatwootsim.ActReply, Text: "Hello Grace, Alex here. Let me check."},
		{Kind: chatwootsim.ActNote, Text: "internal: the carrier lost it"},
		{Kind: chatwootsim.ActBot, Text: "Captain here: did you try turning it off and on?"},
		{Kind: chatwootsim.ActCSAT},
		{Kind: chatwootsim.ActAutomation, Text: "We usually answer within a few minutes."},
		{Kind: chatwootsim.ActAttachment, File: &chatwootsim.File{URL: "https://files.example.com/label.png", FileType: "image"}},
		{Kind: chatwootsim.ActReply, Text: "A new parcel leaves **today**: [tracking](https://track.example.com/42)"},
		{Kind: chatwootsim.ActCanned},
	} {
		c.act(s, a)
	}
	want := []string{
		"Hello Grace, Alex here. Let me check.",
		"image:https://files.example.com/label.png",
		"A new parcel leaves **today**: [tracking](https://track.example.com/42)",
		"Let us know if we can do anything else for you - we are here to help.",
	}
	c.waitFor("the agent's messages", func() bool { return len(c.fromAgents()) >= len(want) })
	c.settle()
	if got := c.fromAgents(); !slices.Equal(got, want) {
		t.Fatalf("the user received from agents:\n%q\nwant\n%q", got, want)
	}
	if c.srv.app.Engine.AgentIsTyping(c.user) {
		t.Error("the agent's message did not end the typing")
	}
	h := c.history()
	end := h[len(h)-1]
	if end.Payload.ContentType != "question" || !strings.Contains(string(end.Payload.Content), livechat.DefaultEndMessage) || !strings.Contains(string(end.Payload.Content), switchboard.PayloadSessionEnd) {
		t.Fatalf("after the sign-off the user got %s %s, want the end question", end.Payload.ContentType, end.Payload.Content)
	}
	for _, m := range h {
		if m.Sender.Kind == switchboard.SenderAgent && m.Sender.Name != chatwootsim.DefaultUser.Name {
			t.Errorf("agent message with sender name %q", m.Sender.Name)
		}
	}
	if got := c.leaked("internal:", "Captain here", "rate the conversation", "within a few minutes"); len(got) != 0 {
		t.Errorf("leaked to the user: %q", got)
	}

	// The user clicks the end button: the bot resumes, the conversation
	// gets a note and is resolved.
	r := c.click(switchboard.PayloadSessionEnd, livechat.DefaultEndButtonLabel)
	if len(r.Messages) == 0 || !strings.Contains(describe(r.Messages[0]), "Thanks for chatting with us today!") {
		t.Fatalf("the bot's answer to the end: %+v", r.Messages)
	}
	if st := c.session(s.ID); st.EndReason != switchboard.EndUser {
		t.Fatalf("session ended with %q", st.EndReason)
	}
	c.waitFor("the conversation to be resolved", func() bool { return c.conversation(s).Status == "resolved" })
	c.settle()
	if n := notes(c.conversation(s)); len(n) != 3 || !strings.Contains(n[2], "ended") {
		t.Errorf("notes at the end = %q, want the end note", n)
	}
	if n := len(c.sim.Conversations()); n != 1 {
		t.Errorf("conversations = %d, want 1", n)
	}
	// Every webhook call, echoes and notes included, was answered 2xx: no
	// message of the agent is marked failed.
	for _, d := range c.sim.Deliveries() {
		if !d.OK() {
			t.Errorf("delivery %s (%s) answered %d %s", d.EventID, d.EventType, d.Status, d.Err)
		}
	}
}

// TestChatwootOneInboxOneContact saves the settings again and again (also
// after someone pointed the inbox's webhook elsewhere), and hands the same
// user over twice: one inbox, its webhook switchboard's again, one contact,
// a conversation per session.
func TestChatwootOneInboxOneContact(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, nil)
	save := func() {
		t.Helper()
		if _, err := c.srv.app.Livechat.Configure(context.Background(), "livechat-demo", *chatwootSettings(c.sim)); err != nil {
			t.Fatalf("save: %v", err)
		}
	}
	save()
	in := c.sim.Inboxes()[0]
	if err := c.sim.SetWebhook(in.ID, "https://elsewhere.example.com/hook"); err != nil {
		t.Fatal(err)
	}
	save()
	inboxes := c.sim.Inboxes()
	if len(inboxes) != 1 || inboxes[0].WebhookURL != c.srv.app.URL()+"/v1/livechat/chatwoot/receive?token="+c.token() {
		t.Fatalf("inboxes after three saves: %+v", inboxes)
	}

	first := c.start()
	c.click(switchboard.PayloadSessionEnd, livechat.DefaultEndButtonLabel)
	second := c.start()
	if first.ID == second.ID || first.ExternalID == second.ExternalID {
		t.Fatalf("sessions %+v and %+v", first, second)
	}
	c.settle()
	if n := len(c.sim.Contacts()); n != 1 {
		t.Errorf("contacts = %d, want 1", n)
	}
	if n := len(c.sim.Conversations()); n != 2 {
		t.Errorf("conversations = %d, want 2", n)
	}
}

// TestChatwootExpiryResolves lets a session time out: the conversation gets
// a note and is resolved, and an agent who writes afterwards is told in the
// conversation that the user will not read it.
func TestChatwootExpiryResolves(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, nil)
	s := c.start()
	c.clock.Advance(31 * time.Minute)
	c.waitFor("the expiry", func() bool { return c.session(s.ID).EndReason == switchboard.EndExpired })
	c.waitFor("the conversation to be resolved", func() bool { return c.conversation(s).Status == "resolved" })
	if !c.botSaid("timed out") {
		t.Error("the bot did not take the user back after the expiry")
	}
	c.reply(s, "Sorry for the wait!")
	c.waitFor("the conversation-over note", func() bool {
		n := notes(c.conversation(s))
		return strings.Contains(n[len(n)-1], "conversation is over")
	})
	c.settle()
	if got := c.fromAgents(); len(got) != 0 {
		t.Errorf("delivered after the end: %q", got)
	}
}

// TestChatwootAgentResolves resolves the conversation without signing off,
// its delivery overtaking the last reply's: the session ends after the
// reply reached the user.
func TestChatwootAgentResolves(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, nil)
	s := c.start()
	c.sim.HoldDeliveries()
	c.reply(s, "It is sorted, goodbye!")
	if err := c.sim.Resolve(c.conversationID(s)); err != nil {
		t.Fatal(err)
	}
	c.sim.SetChaos(chatwootsim.Chaos{Reorder: 10})
	c.sim.ReleaseDeliveries()
	c.waitFor("the session to end", func() bool { return c.session(s.ID).EndReason == switchboard.EndAgent })
	c.settle()
	if got := c.fromAgents(); !slices.Equal(got, []string{"It is sorted, goodbye!"}) {
		t.Errorf("from agents: %q", got)
	}
	if !c.botSaid("Thanks for chatting") {
		t.Error("the bot did not take the user back after the agent resolved the conversation")
	}
}

// TestChatwootRelaysBotsWhenConfigured turns relay_bots on: agent bots,
// automations and surveys reach the user; private notes still never do.
func TestChatwootRelaysBotsWhenConfigured(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{}, func(s *livechat.Settings) { s.Chatwoot.RelayBots = true })
	s := c.start()
	c.act(s, chatwootsim.Action{Kind: chatwootsim.ActBot, Text: "Captain here."})
	c.act(s, chatwootsim.Action{Kind: chatwootsim.ActNote, Text: "internal: nope"})
	c.act(s, chatwootsim.Action{Kind: chatwootsim.ActAutomation, Text: "Automatic hello."})
	c.act(s, chatwootsim.Action{Kind: chatwootsim.ActCSAT})
	c.waitFor("the bots' messages", func() bool { return len(c.fromAgents()) == 3 })
	c.settle()
	survey := "Please rate the conversation\n" + c.sim.URL + "/survey/responses/" + c.conversation(s).UUID
	if got := c.fromAgents(); !slices.Equal(got, []string{"Captain here.", "Automatic hello.", survey}) {
		t.Errorf("from agents: %q", got)
	}
	if got := c.leaked("internal:"); len(got) != 0 {
		t.Errorf("leaked: %q", got)
	}
}

// TestChatwootSurveyReachesTheUserAfterResolving turns relay_bots and the
// inbox's CSAT survey on. Resolving ends the session; the survey Chatwoot
// sends next (a background job: here 300 ms after the status change, once
// the session has ended) still reaches the user,
// with its link, and no note tells the agent the user missed it. This
// holds whether the agent resolved or the user ended the session (then
// switchboard resolves). A human agent's message after the end is still
// not delivered, and noted.
func TestChatwootSurveyReachesTheUserAfterResolving(t *testing.T) {
	c := newChatwootStory(t, chatwootsim.Config{CSATSurvey: true, SurveyDelay: 300 * time.Millisecond}, func(s *livechat.Settings) { s.Chatwoot.RelayBots = true })
	surveyOf := func(s switchboard.Session) string {
		return "Please rate the conversation\n" + c.sim.URL + "/survey/responses/" + c.conversation(s).UUID
	}
	falseNote := func(s switchboard.Session) bool {
		for _, n := range notes(c.conversation(s)) {
			if strings.Contains(n, "did not receive") {
				return true
			}
		}
		return false
	}

	s := c.start()
	c.reply(s, "It is sorted, goodbye!")
	if err := c.sim.Resolve(c.conversationID(s)); err != nil {
		t.Fatal(err)
	}
	c.waitFor("the session to end", func() bool { return c.session(s.ID).EndReason == switchboard.EndAgent })
	c.waitFor("the survey", func() bool { return len(c.fromAgents()) == 2 })
	c.settle()
	if got := c.fromAgents(); !slices.Equal(got, []string{"It is sorted, goodbye!", surveyOf(s)}) {
		t.Errorf("agent resolved: the user received %q", got)
	}
	if falseNote(s) {
		t.Errorf("agent resolved: notes %q", notes(c.conversation(s)))
	}

	second := c.start()
	c.click(switchboard.PayloadSessionEnd, livechat.DefaultEndButtonLabel)
	c.waitFor("the survey of the second conversation", func() bool { return slices.Contains(c.fromAgents(), surveyOf(second)) })
	c.settle()
	if falseNote(second) {
		t.Errorf("user ended: notes %q", notes(c.conversation(second)))
	}
	c.reply(second, "Anything else?")
	c.waitFor("the note for the late reply", func() bool { return falseNote(second) })
	if got := c.leaked("Anything else?"); len(got) != 0 {
		t.Errorf("a reply after the end reached the user")
	}
}
