package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/channel/teams/teamssim"
	"switchboard/livechat"
)

// teamsStory is a server with the demo bot, a Teams channel on a
// simulated Bot Framework, and an agent on the desk.
type teamsStory struct {
	t       *testing.T
	srv     *server
	sim     *teamssim.Sim
	channel struct {
		ID         string         `json:"id"`
		Type       string         `json:"type"`
		Name       string         `json:"name"`
		WebhookURL string         `json:"webhook_url"`
		Teams      map[string]any `json:"teams"`
	}
}

// startTeams starts the simulator and the server, creates the channel
// with the admin API and sets its webhook URL as the bot's messaging
// endpoint, as in the Azure portal.
func startTeams(t *testing.T) *teamsStory {
	s := &teamsStory{t: t, sim: teamssim.New(teamssim.Config{})}
	if err := s.sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.sim.Close)
	s.srv = startServer(t, switchboard.SystemClock{}, nil)
	status, raw := adminCall(t, s.srv, http.MethodPost, "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": "teams", "teams": s.sim.Settings()})
	if status != http.StatusCreated || strings.Contains(string(raw), teamssim.DefaultAppPassword) {
		t.Fatalf("create the channel: %d %s (never the password)", status, raw)
	}
	decodeChannel(t, raw, &s.channel)
	s.sim.SetEndpoint(s.channel.WebhookURL)
	return s
}

// wait waits for cond.
func (s *teamsStory) wait(what string, cond func() bool) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			s.t.Fatalf("timed out waiting for %s; deliveries: %+v", what, s.sim.Deliveries())
		case <-tick.C:
		}
	}
}

// botSays waits for the bot's message that shows text (in its text or a
// card's) in the conversation.
func (s *teamsStory) botSays(conv, text string) teamssim.Message {
	s.t.Helper()
	var found teamssim.Message
	s.wait("the bot to say "+text, func() bool {
		c, _ := s.sim.Conversation(conv)
		for _, m := range c.Messages {
			if m.FromBot && strings.Contains(shown(m), text) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// shown is what a message shows: its text and its cards' texts.
func shown(m teamssim.Message) string {
	out := m.Text
	for _, c := range m.Cards {
		out += "\n" + c.Text
	}
	return out
}

// count is how many of the bot's messages show text.
func (s *teamsStory) count(conv, text string) int {
	c, _ := s.sim.Conversation(conv)
	n := 0
	for _, m := range c.Messages {
		if m.FromBot && strings.Contains(shown(m), text) {
			n++
		}
	}
	return n
}

// history is the conversation's messages in switchboard, oldest first.
func (s *teamsStory) history(conv string) []switchboard.Message {
	return clientHistory(s.t, s.srv, switchboard.ClientKey{BotID: "livechat-demo", ChannelID: s.channel.ID, UserID: conv})
}

// clientHistory is a client's messages in switchboard, oldest first.
func clientHistory(t *testing.T, srv *server, key switchboard.ClientKey) []switchboard.Message {
	t.Helper()
	var msgs []switchboard.Message
	err := srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		msgs, err = tx.MessagesAfter(context.Background(), key, 0, 1000)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// answered waits for switchboard's answer to an activity.
func (s *teamsStory) answered(id string) int {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	status, err := s.sim.Answer(ctx, id)
	if err != nil {
		s.t.Fatal(err)
	}
	return status
}

// session waits for the conversation's livechat session.
func (s *teamsStory) session() switchboard.Session {
	s.t.Helper()
	var session switchboard.Session
	s.wait("the livechat session", func() bool {
		var ok bool
		session, ok = channelSession(s.srv, s.channel.ID)
		return ok
	})
	return session
}

// channelSession is the first livechat session of a channel's clients,
// if there is one yet.
func channelSession(srv *server, channelID string) (switchboard.Session, bool) {
	var ss []switchboard.Session
	_ = srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		ss, err = tx.ListSessions(context.Background(), switchboard.SessionFilter{})
		return err
	})
	for _, x := range ss {
		if x.Client.ChannelID == channelID {
			return x, true
		}
	}
	return switchboard.Session{}, false
}

// mediaIs checks that a media URL switchboard gave serves want.
func mediaIs(t *testing.T, u, want string) {
	t.Helper()
	res, err := slowClient.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(got) != want {
		t.Fatalf("the media through %s: %d %q, want %q", u, res.StatusCode, got, want)
	}
}

// TestTeamsLivechatStory plays the livechat story on Teams through real
// HTTP: the user writes, presses the hero card's buttons, asks for a
// human; an agent on the desk answers and signs off; the user presses the
// END button and the bot resumes. Forged tokens (another key, an unknown
// key, a key not endorsed for msteams, another audience, another issuer,
// expired, a serviceUrl that is not the token's) are refused and change
// nothing; a replayed activity is answered and ignored.
func TestTeamsLivechatStory(t *testing.T) {
	s := startTeams(t)
	sim := s.sim
	if s.channel.Type != "teams" || s.channel.Name != "Microsoft Teams" || s.channel.Teams["app_id"] != teamssim.DefaultAppID || s.channel.Teams["app_password"] != nil {
		t.Fatalf("the channel as the admin API shows it: %+v", s.channel)
	}

	// The user writes: the greeting with their first name, and the menu
	// as a hero card.
	conv := sim.AddUser("Ada Lovelace", "")
	hi, err := sim.UserText(conv, "Hi")
	if err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, "Hi **Ada**!")
	menu := s.botSays(conv, "put you in touch with a person")
	if len(menu.Cards) != 1 || len(menu.Cards[0].Buttons) != 2 || menu.Cards[0].Buttons[1].Title != "Talk to a human" || menu.Cards[0].Buttons[1].Type != "messageBack" {
		t.Fatalf("the menu's card: %+v", menu.Cards)
	}
	if status := s.answered(hi); status != http.StatusOK {
		t.Fatalf("the first activity was answered %d", status)
	}

	// Forged tokens are refused, the endorsement as 403; a replayed
	// activity is answered and ignored. Nothing changes.
	before := len(s.history(conv))
	for f, want := range map[teamssim.Forgery]int{
		teamssim.ForgeKey: 401, teamssim.ForgeKid: 401, teamssim.ForgeAudience: 401, teamssim.ForgeIssuer: 401,
		teamssim.ForgeExpired: 401, teamssim.ForgeServiceURL: 401, teamssim.ForgeEndorsement: 403,
	} {
		sim.Forge(f)
		id, err := sim.UserText(conv, "Talk to a human")
		if err != nil {
			t.Fatal(err)
		}
		if status := s.answered(id); status != want {
			t.Errorf("a token forged as %s was answered %d, want %d", f, status, want)
		}
	}
	sim.Forge(teamssim.ForgeNone)
	if err := sim.Replay(hi); err != nil {
		t.Fatal(err)
	}
	if status := s.answered(hi); status != http.StatusOK {
		t.Fatalf("the replayed activity was answered %d", status)
	}
	time.Sleep(300 * time.Millisecond) // time for a second answer, if any
	if got := len(s.history(conv)); got != before {
		t.Fatalf("forged or replayed activities changed the history: %d messages, then %d", before, got)
	}
	if n := s.count(conv, "put you in touch with a person"); n != 1 {
		t.Fatalf("the menu was sent %d times", n)
	}

	// A button: the opening hours, then the menu again.
	if _, err := sim.UserPress(conv, "Opening hours"); err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, "We are open Monday to Friday")
	s.wait("the menu again", func() bool { return s.count(conv, "put you in touch with a person") == 2 })

	// "Talk to a human": the session starts.
	if _, err := sim.UserPress(conv, "Talk to a human"); err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, livechat.DefaultConnectingMessage)
	session := s.session()
	var meta map[string]string
	_ = json.Unmarshal(session.Metadata, &meta)
	if meta["name"] != "Ada Lovelace" || meta["service_url"] != sim.ServiceURL() {
		t.Errorf("the agent sees the user as %s", session.Metadata)
	}

	// The agent claims it and answers; the user sees the agent's name.
	agent := signInDesk(t, s.srv.app.URL())
	agent.do("/desk/api/sessions/"+session.ID+"/claim", nil)
	agent.do("/desk/api/sessions/"+session.ID+"/reply", map[string]string{"text": "Hello Ada, Alex here. How can I help?"})
	if m := s.botSays(conv, "Hello Ada, Alex here."); !strings.HasPrefix(m.Text, agentName+":\n") {
		t.Fatalf("the agent's message: %q", m.Text)
	}

	// The user writes and pastes an image: both reach the session, the
	// image through switchboard's signed media URL (fetched from Teams with
	// the bot's token).
	if _, err := sim.UserText(conv, "My parcel has not arrived"); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.UserImage(conv, "image/png", []byte("PNG label")); err != nil {
		t.Fatal(err)
	}
	var imageURL string
	s.wait("the user's messages in the session", func() bool {
		texts := ""
		for _, m := range s.history(conv) {
			if m.SessionID != session.ID || m.Sender.Kind != switchboard.SenderUser {
				continue
			}
			texts += string(m.Payload.Content)
			if m.Payload.ContentType == "image" {
				var c struct {
					URL string `json:"url"`
				}
				_ = json.Unmarshal(m.Payload.Content, &c)
				imageURL = c.URL
			}
		}
		return strings.Contains(texts, "My parcel has not arrived") && imageURL != ""
	})
	mediaIs(t, imageURL, "PNG label")

	// The Bot Connector throttles the next send: it is sent again after
	// the Retry-After, once.
	sim.Throttle(1, 1)
	agent.do("/desk/api/sessions/"+session.ID+"/reply", map[string]string{"text": "Let me check."})
	s.botSays(conv, "Let me check.")
	if n := s.count(conv, "Let me check."); n != 1 {
		t.Fatalf("the throttled message arrived %d times", n)
	}

	// The agent signs off; the user presses the END button; the bot
	// resumes.
	agent.do("/desk/api/sessions/"+session.ID+"/signoff", nil)
	end := s.botSays(conv, livechat.DefaultEndMessage)
	if len(end.Cards) != 1 || len(end.Cards[0].Buttons) != 1 || end.Cards[0].Buttons[0].Title != livechat.DefaultEndButtonLabel {
		t.Fatalf("the end message's card: %+v", end.Cards)
	}
	if _, err := sim.UserPress(conv, livechat.DefaultEndButtonLabel); err != nil {
		t.Fatal(err)
	}
	s.botSays(conv, "Thanks for chatting with us today!")
	s.wait("the menu after the session", func() bool { return s.count(conv, "put you in touch with a person") == 3 })
	s.wait("the session to end", func() bool {
		var got *switchboard.Session
		_ = s.srv.app.Store.View(context.Background(), func(tx switchboard.Tx) error {
			var err error
			got, err = tx.Session(context.Background(), session.ID)
			return err
		})
		return got != nil && got.EndReason == switchboard.EndUser
	})
	for _, d := range sim.Deliveries() {
		if d.Status != http.StatusOK && d.Status != http.StatusUnauthorized && d.Status != http.StatusForbidden {
			t.Errorf("an activity was answered %d: %s", d.Status, d.Err)
		}
	}
}
