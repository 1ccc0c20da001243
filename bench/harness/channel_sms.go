package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"switchboard/channel/twilio/twiliosim"

	"switchboard/internal/simkit"
)

// SMS customers: the Twilio simulator, one number per bot. SMS shows no
// buttons: the layer numbers them ("1. Talk to a person") and the
// customer texts the number. Twilio posts each text once, so no chaos;
// by default it retries only a connection that failed, so the webhook
// URL carries the connection overrides docs/channels/twilio.md
// recommends (retries on 5xx too): a text whose call an instance's death
// cut short (a 502 from the balancer) is tried again. Twilio still gives
// up within seconds when no instance answers at all (it then tries the
// number's fallback URL), so a run with one instance, killed, has no SMS
// customers.
func init() {
	registerChannel(channelType{Name: "twilio", GivesUp: true, Start: func(n int, seed uint64) (channelSim, error) {
		s := twiliosim.New(twiliosim.Config{AccountSID: fmt.Sprintf("AC%032d", n+1), AuthToken: fmt.Sprintf("harness-twilio-token-%02d", n),
			Number: fmt.Sprintf("+1500555%04d", n)})
		if err := s.Start(); err != nil {
			return nil, err
		}
		return smsSim{s}, nil
	}})
}

type smsSim struct{ s *twiliosim.Sim }

func (t smsSim) Settings() map[string]any {
	c := t.s.Config()
	return map[string]any{"account_sid": c.AccountSID, "auth_token": c.AuthToken, "from": c.Number, "api_base": t.s.URL()}
}

// Subscribe sets the number's incoming-message URL, with the connection
// overrides, and the status callback, as the Twilio console does.
func (t smsSim) Subscribe(_ context.Context, webhook string) error {
	t.s.SetWebhook(webhook + twilioOverrides)
	t.s.SetStatusCallback(webhook)
	return nil
}

// twilioOverrides are the connection overrides of the harness's Twilio
// webhooks (docs/channels/twilio.md).
const twilioOverrides = "#rc=5&rp=ct,rt,5xx"

func (t smsSim) UserID(n int) string { return fmt.Sprintf("+1555%07d", n) }

// Client is the number without its "+", as the driver keys customers.
func (t smsSim) Client(user string) string { return strings.TrimPrefix(user, "+") }

func (t smsSim) Write(ctx context.Context, user, text string) error {
	_, err := t.s.CustomerText(ctx, user, text)
	return err
}

// numbered matches a numbered choice's line: "2. End the conversation".
var numbered = regexp.MustCompile(`(?m)^([0-9]+)\. (.+)$`)

// Press texts the number of the choice titled title, on the last text
// that shows it.
func (t smsSim) Press(ctx context.Context, user, title string) error {
	got := t.Received(user)
	i, _, err := pressOn(got, title)
	if err != nil {
		return fmt.Errorf("%s: %w", user, err)
	}
	for _, m := range numbered.FindAllStringSubmatch(got[i].Text, -1) {
		if m[2] == title {
			return t.Write(ctx, user, m[1])
		}
	}
	return fmt.Errorf("%s: no number for %q", user, title)
}

func (t smsSim) Received(user string) []platformMsg {
	var out []platformMsg
	for _, m := range t.s.Conversation(user) {
		if !strings.HasPrefix(m.Direction, "outbound") {
			continue
		}
		p := platformMsg{Text: m.Body}
		for _, c := range numbered.FindAllStringSubmatch(m.Body, -1) {
			p.Buttons = append(p.Buttons, c[2])
		}
		out = append(out, p)
	}
	return out
}

func (t smsSim) SetOutage(on bool) { t.s.SetOutage(on) }

// Chaos has nothing to turn on: see above.
func (t smsSim) Chaos() {}

func (t smsSim) Deliveries() []simkit.Delivery { return t.s.Deliveries() }

func (t smsSim) Close() { t.s.Close() }
