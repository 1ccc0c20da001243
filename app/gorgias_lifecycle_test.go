package app_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/gorgias/gorgiassim"
)

// TestGorgiasLifecycle plays a whole handoff against the simulator through
// its HTTP integration: the ticket with the customer, metadata and
// transcript; messages both ways in order; what must never reach the user;
// the sign-off macro, its button, and the ticket closed at the end.
func TestGorgiasLifecycle(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil)
	s := g.start()

	// The customer and the ticket carry who the user is and what the bot said.
	tk := g.ticket(s)
	if tk.ExternalID == nil || *tk.ExternalID != s.ID || s.ExternalID != strconv.FormatInt(tk.ID, 10) {
		t.Fatalf("ticket %d external_id %v, session %s with ticket %q", tk.ID, tk.ExternalID, s.ID, s.ExternalID)
	}
	customers := g.sim.Customers()
	if len(customers) != 1 {
		t.Fatalf("customers = %d, want 1", len(customers))
	}
	c := customers[0]
	if got := []string{*c.Name, *c.Email, *c.ExternalID}; got[0] != "Grace Hopper" || got[1] != "grace@example.com" || got[2] != "switchboard:"+g.user.String() {
		t.Errorf("customer = %q", got)
	}
	// The metadata is where agents look (Gorgias shows neither the
	// customer's nor the ticket's meta): the customer's note and data, and
	// the ticket's first message.
	if c.Data["plan"] != "gold" || c.Note == nil || !strings.Contains(*c.Note, "plan: gold") || tk.Customer.ID != c.ID {
		t.Errorf("customer data %v, note %v, ticket customer %d", c.Data, c.Note, tk.Customer.ID)
	}
	if len(c.Channels) != 1 || c.Channels[0].Type != "email" || c.Channels[0].Address != "grace@example.com" {
		t.Errorf("customer channels = %+v", c.Channels)
	}
	if sb, _ := tk.Meta["switchboard"].(map[string]any); sb["session_id"] != s.ID || sb["channel"] != "webapp" {
		t.Errorf("ticket meta = %v", tk.Meta)
	}
	if len(tk.Messages) != 2 || tk.Messages[0].FromAgent || !strings.Contains(tk.Messages[0].Text(), "Grace Hopper asked to talk to an agent") ||
		!strings.Contains(tk.Messages[0].Text(), "About the user:\n") || !strings.Contains(tk.Messages[0].Text(), "plan: gold") {
		t.Fatalf("first messages = %+v", tk.Messages)
	}
	transcript := tk.Messages[1]
	if !transcript.Internal() || !strings.Contains(transcript.Text(), "Bot: Hi **Grace**! I am the switchboard demo bot.") || !strings.Contains(transcript.Text(), "User: hello") {
		t.Errorf("transcript note = %q (internal %v)", transcript.Text(), transcript.Internal())
	}

	// The user writes: the messages reach the ticket in order, from the
	// customer, with their ids; the bot stays silent.
	r1, r2 := g.say("My parcel has not arrived"), g.say("Order 1234, sent on Monday")
	if len(r1.Messages)+len(r2.Messages) != 0 {
		t.Fatalf("the bot answered during the session: %+v %+v", r1.Messages, r2.Messages)
	}
	g.waitFor("the user's messages on the ticket", func() bool { return len(userTexts(g.ticket(s))) == 2 })
	tk = g.ticket(s)
	if got := userTexts(tk); got[0] != "My parcel has not arrived" || got[1] != "Order 1234, sent on Monday" {
		t.Fatalf("user messages on the ticket = %q", got)
	}
	// Each relay to the ticket is measured, from the message stored to
	// Gorgias accepting it.
	g.waitFor("both relays to the ticket to be measured", func() bool {
		_, body := get(t, g.srv.app.URL()+"/metrics")
		return strings.Contains(body, `switchboard_relay_latency_seconds_count{direction="to_agent"} 2`)
	})
	last := tk.Messages[len(tk.Messages)-1]
	if *last.ExternalID != strconv.FormatInt(r2.Received.ID, 10) || last.Sender.ID != c.ID {
		t.Errorf("user message external_id %q sender %d, want %d from %d", *last.ExternalID, last.Sender.ID, r2.Received.ID, c.ID)
	}

	// The agent answers; notes, rule replies, surveys and echoes never reach
	// the user; files, HTML and the sign-off do, in the order written.
	id := tk.ID
	steps := []gorgiassim.Action{
		{Kind: gorgiassim.ActReply, Text: "Hello Grace, Alex here. Let me check."},
		{Kind: gorgiassim.ActNote, Text: "internal: the carrier lost it"},
		{Kind: gorgiassim.ActRule, Text: "We usually answer within a day."},
		{Kind: gorgiassim.ActSurvey},
		{Kind: gorgiassim.ActAttachment, Attachment: &gorgiassim.Attachment{URL: "https://files.example.com/label.png", Name: "label.png", ContentType: "image/png"}},
		{Kind: gorgiassim.ActHTML, HTML: "<p>A new parcel leaves <b>today</b>.<br>Tracking: <a href=\"https://track.example.com/42\">here</a></p>"},
	}
	for _, a := range steps {
		if _, err := g.sim.Act(id, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := g.sim.Macro(id); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Hello Grace, Alex here. Let me check.",
		"image:https://files.example.com/label.png",
		"A new parcel leaves today.\nTracking: here (https://track.example.com/42)",
		"Let us know if we can do anything else for you - we are here to help.",
	}
	g.waitFor("the agent's messages", func() bool { return len(g.fromAgents()) >= len(want) })
	g.settle()
	if got := g.fromAgents(); !slices.Equal(got, want) {
		t.Fatalf("the user received from agents:\n%q\nwant\n%q", got, want)
	}
	h := g.history()
	end := h[len(h)-1]
	if end.Payload.ContentType != "question" || !strings.Contains(string(end.Payload.Content), livechat.DefaultEndMessage) || !strings.Contains(string(end.Payload.Content), switchboard.PayloadSessionEnd) {
		t.Fatalf("after the macro the user got %s %s, want the end question", end.Payload.ContentType, end.Payload.Content)
	}
	for _, m := range h {
		if m.Sender.Kind == switchboard.SenderAgent && m.Sender.Name != "Alex Agent" {
			t.Errorf("agent message with sender name %q", m.Sender.Name)
		}
		if body := string(m.Payload.Content); strings.Contains(body, "internal:") || strings.Contains(body, "within a day") || strings.Contains(body, "rate the support") {
			t.Errorf("leaked to the user: %s", body)
		}
	}

	// What the integration answers, Gorgias keeps on the customer for
	// agents to see: the state of the conversation, nothing else.
	hook := strconv.FormatInt(g.sim.Integrations()[0].ID, 10)
	shown, _ := g.sim.Customers()[0].Integrations[hook].(map[string]any)
	if sb, _ := shown["switchboard"].(map[string]any); len(shown) != 1 || sb["conversation"] != s.ID || sb["state"] != "with an agent" {
		t.Errorf("the customer shows agents %v", shown)
	}

	// The user clicks the end button: the bot resumes, the ticket gets a
	// note and is closed.
	r := g.click(switchboard.PayloadSessionEnd, livechat.DefaultEndButtonLabel)
	if len(r.Messages) == 0 || !strings.Contains(describe(r.Messages[0]), "Thanks for chatting with us today!") {
		t.Fatalf("the bot's answer to the end: %+v", r.Messages)
	}
	if st := g.session(s.ID); st.EndReason != switchboard.EndUser {
		t.Fatalf("session ended with %q", st.EndReason)
	}
	g.waitFor("the ticket to close", func() bool { return g.ticket(s).Status == "closed" })
	g.settle()
	tk = g.ticket(s)
	note := tk.Messages[len(tk.Messages)-1]
	if !note.Internal() || note.Text() == "" {
		t.Errorf("last message on the ticket = %+v, want the end note", note)
	}
	if n := len(g.sim.Tickets()); n != 1 {
		t.Errorf("tickets = %d, want 1", n)
	}
	// Every webhook call, echoes included, was answered 2xx: Gorgias never
	// counts a failure against the integration.
	for _, d := range g.sim.Deliveries() {
		if d.Status != 200 {
			t.Errorf("delivery of event %s (%s) answered %d %s", d.EventID, d.EventType, d.Status, d.Err)
		}
	}
}

// TestGorgiasExpiryClosesTheTicket lets a session time out: the ticket gets
// a note and is closed, and an agent who writes afterwards is told on the
// ticket that the user will not read it.
func TestGorgiasExpiryClosesTheTicket(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil)
	s := g.start()
	g.clock.Advance(31 * time.Minute)
	g.waitFor("the expiry", func() bool { return g.session(s.ID).EndReason == switchboard.EndExpired })
	g.waitFor("the ticket to close", func() bool { return g.ticket(s).Status == "closed" })
	if !g.botSaid("timed out") {
		t.Error("the bot did not take the user back after the expiry")
	}

	if _, err := g.sim.Reply(g.ticketID(s), "Sorry for the wait!"); err != nil {
		t.Fatal(err)
	}
	g.waitFor("the conversation-over note", func() bool {
		tk := g.ticket(s)
		last := tk.Messages[len(tk.Messages)-1]
		return last.Internal() && strings.Contains(last.Text(), "conversation is over")
	})
	g.settle()
	if got := g.fromAgents(); len(got) != 0 {
		t.Errorf("delivered after the end: %q", got)
	}
}

// TestGorgiasAgentClosesTheTicket subscribes the integration to
// ticket-updated too: closing the ticket without signing off ends the
// session, after what the agent wrote before closing.
func TestGorgiasAgentClosesTheTicket(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil, "ticket-message-created", "ticket-updated")
	s := g.start()
	g.sim.HoldDeliveries() // the close overtakes the last reply
	if _, err := g.sim.Reply(g.ticketID(s), "It is sorted, goodbye!"); err != nil {
		t.Fatal(err)
	}
	if err := g.sim.CloseTicket(g.ticketID(s)); err != nil {
		t.Fatal(err)
	}
	g.sim.SetChaos(gorgiassim.Chaos{Reorder: 10})
	g.sim.ReleaseDeliveries()
	g.waitFor("the session to end", func() bool { return g.session(s.ID).EndReason == switchboard.EndAgent })
	g.settle()
	if got := g.fromAgents(); !slices.Equal(got, []string{"It is sorted, goodbye!"}) {
		t.Errorf("from agents: %q", got)
	}
	if !g.botSaid("Thanks for chatting") {
		t.Error("the bot did not take the user back after the agent closed the ticket")
	}
}

// TestGorgiasTicketOpenedTooLateIsToldSo loses the answer of the request
// that opened the ticket, then keeps Gorgias down past the open timeout:
// the user goes back to the bot, and an agent who answers on the ticket
// that did open is told the conversation is over.
func TestGorgiasTicketOpenedTooLateIsToldSo(t *testing.T) {
	g := newGorgiasStory(t, gorgiassim.Config{}, nil)
	g.say("hello")
	g.sim.FailAfterApply(2) // the customer, then the ticket: made, answers lost
	r := g.click(switchboard.PayloadSessionStart, "Talk to a human")
	g.advanceUntil("the ticket to be made", 2*time.Second, func() bool { return len(g.sim.Tickets()) == 1 })
	g.sim.SetOutage(true)
	g.advanceUntil("the open timeout", 20*time.Second, func() bool { return g.session(r.Session.ID).EndReason == switchboard.EndError })
	if !g.botSaid("could not reach an agent") {
		t.Error("the bot did not take the user back")
	}
	g.sim.SetOutage(false)
	orphan := g.sim.Tickets()[0]
	if _, err := g.sim.Reply(orphan.ID, "Hello? Anyone there?"); err != nil {
		t.Fatal(err)
	}
	g.waitFor("the note on the orphan ticket", func() bool {
		tk, _ := g.sim.TicketByExternalID(r.Session.ID)
		last := tk.Messages[len(tk.Messages)-1]
		return last.Internal() && strings.Contains(last.Text(), "conversation is over")
	})
	g.settle()
	if got := g.fromAgents(); len(got) != 0 {
		t.Errorf("delivered to the user: %q", got)
	}
}
