package app_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/channel/telegram/telegramsim"
)

// TestTelegramChaos: every delivery duplicated, the server restarted while
// Telegram retries, and the Bot API down while the agent answers: the
// customer's messages reach the session once, in order, and the agent's
// reach the chat once, in order.
func TestTelegramChaos(t *testing.T) {
	s := startTelegramWith(t, nil, telegramsim.Config{RetryBase: 100 * time.Millisecond, RetryMax: time.Second, Attempts: 60})
	sim := s.sim
	chat := sim.UserStart("Ada", "")
	s.botSays(chat, "put you in touch with a person")
	if _, err := sim.UserPress(chat, "Talk to a human"); err != nil {
		t.Fatal(err)
	}
	session := s.session()

	sw := sim.Switches()
	sw.Duplicate = 1
	sim.SetSwitches(sw)
	for i := 1; i <= 5; i++ {
		sim.UserText(chat, fmt.Sprintf("question %d", i))
	}
	// The server goes down; Telegram keeps retrying what it sends meanwhile.
	s.wait("the first five in the session", func() bool { return len(s.inSession(chat, session.ID)) >= 5 })
	s.srv.stop()
	for i := 6; i <= 7; i++ {
		sim.UserText(chat, fmt.Sprintf("question %d", i))
	}
	time.Sleep(300 * time.Millisecond)
	s.srv.start()
	want := "question 1|question 2|question 3|question 4|question 5|question 6|question 7"
	s.wait("seven questions in the session", func() bool { return strings.Join(s.inSession(chat, session.ID), "|") == want })

	// The Bot API goes down while the agent answers.
	sw.Duplicate, sw.Outage = 0, true
	sim.SetSwitches(sw)
	agent := signInDesk(t, s.srv.app.URL())
	agent.do("/desk/api/sessions/"+session.ID+"/claim", nil)
	for i := 1; i <= 3; i++ {
		agent.do("/desk/api/sessions/"+session.ID+"/reply", map[string]string{"text": "answer " + strconv.Itoa(i)})
	}
	time.Sleep(1500 * time.Millisecond)
	sw.Outage = false
	sim.SetSwitches(sw)
	s.botSays(chat, "answer 3")
	time.Sleep(500 * time.Millisecond) // a repeat, if any, would come now
	var got []string
	c, _ := sim.Chat(chat)
	for _, m := range c.Messages {
		if m.FromBot && strings.Contains(m.Text, "answer ") {
			got = append(got, strings.TrimPrefix(m.Text, agentName+":\n"))
		}
	}
	if strings.Join(got, "|") != "answer 1|answer 2|answer 3" {
		t.Fatalf("the chat got %q", got)
	}
	if got := strings.Join(s.inSession(chat, session.ID), "|"); got != want {
		t.Fatalf("the session holds %q", got)
	}
}
