package twiliosim

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/channel/twilio"
	"switchboard/internal/simkit"
)

// Twilio's answers to the opt-out keywords.
const (
	stopAnswer  = "You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe."
	startAnswer = "You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply."
	helpAnswer  = "Reply STOP to unsubscribe. Msg&Data Rates May Apply."
)

// keyword is the opt-out keyword a whole message is ("STOP", "START",
// "HELP"), or "".
func keyword(body string) string {
	w := strings.ToUpper(strings.TrimSpace(body))
	for kind, words := range map[string][]string{"STOP": twilio.StopWords, "START": twilio.StartWords, "HELP": twilio.HelpWords} {
		if slices.Contains(words, w) {
			return kind
		}
	}
	return ""
}

// SetWebhook sets the number's "A message comes in" URL (HTTP POST).
func (s *Sim) SetWebhook(u string) {
	s.mu.Lock()
	s.webhook = u
	s.mu.Unlock()
}

// SetStatusCallback sets where the statuses of sends that name no
// StatusCallback go (a Messaging Service's setting).
func (s *Sim) SetStatusCallback(u string) {
	s.mu.Lock()
	s.statusURL = u
	s.mu.Unlock()
}

// CustomerText is a customer texting the number: Twilio's keyword
// handling, then the webhook. It returns the MessageSid.
func (s *Sim) CustomerText(ctx context.Context, from, body string) (string, error) {
	return s.inbound(ctx, from, body, "", nil)
}

// CustomerMedia is a customer sending a file (MMS), with a caption.
func (s *Sim) CustomerMedia(ctx context.Context, from, contentType string, data []byte, caption string) (string, error) {
	return s.inbound(ctx, from, caption, contentType, data)
}

func (s *Sim) inbound(ctx context.Context, from, body, contentType string, data []byte) (string, error) {
	if !e164.MatchString(from) {
		return "", fmt.Errorf("twilio sim: %q is not an E.164 number", from)
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	msid := sid("SM")
	if data != nil {
		msid = "MM" + msid[2:]
	}
	enc, segs := twilio.Segments(body)
	form := url.Values{
		"MessageSid": {msid}, "SmsSid": {msid}, "SmsMessageSid": {msid}, "AccountSid": {s.cfg.AccountSID}, "From": {from}, "To": {s.cfg.Number},
		"Body": {body}, "NumMedia": {"0"}, "NumSegments": {strconv.Itoa(segs)}, "SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"},
		"FromCountry": {"US"}, "FromState": {"CA"}, "FromCity": {"SAN FRANCISCO"}, "FromZip": {"94103"},
		"ToCountry": {"US"}, "ToState": {"CA"}, "ToCity": {""}, "ToZip": {""},
	}
	m := Message{SID: msid, Direction: "inbound", From: from, To: s.cfg.Number, Body: body, Encoding: enc, Segments: segs, Status: "received", At: time.Now().UTC()}
	s.mu.Lock()
	if data != nil {
		me := sid("ME")
		s.media[msid+"/"+me] = media{contentType: contentType, data: data}
		u := s.URL() + "/2010-04-01/Accounts/" + s.cfg.AccountSID + "/Messages/" + msid + "/Media/" + me
		form.Set("NumMedia", "1")
		form.Set("MediaUrl0", u)
		form.Set("MediaContentType0", contentType)
		m.MediaURLs = []string{u}
	}
	s.record(m)
	s.forms[msid] = form
	var answer string
	switch keyword(body) {
	case "STOP":
		s.optedOut[from] = true
		form.Set("OptOutType", "STOP")
		answer = stopAnswer
	case "START":
		delete(s.optedOut, from)
		form.Set("OptOutType", "START")
		answer = startAnswer
	case "HELP":
		form.Set("OptOutType", "HELP")
		answer = helpAnswer
	}
	target := s.webhook
	s.mu.Unlock()
	if answer != "" {
		s.reply(from, answer)
	}
	if target == "" {
		return msid, fmt.Errorf("twilio sim: the number has no messaging webhook URL: set it on the console page or with SetWebhook")
	}
	s.post(target, "incoming", msid, form, hook{inbound: true, from: from})
	return msid, nil
}

// Conversation is every message between the number and a customer, in
// order.
func (s *Sim) Conversation(customer string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if m.From == customer || m.To == customer {
			out = append(out, m)
		}
	}
	return out
}

// WaitOutbound waits until the REST API sent n messages to customer, and
// returns them in order.
func (s *Sim) WaitOutbound(ctx context.Context, customer string, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		var out []Message
		for _, m := range s.messages {
			if m.To == customer && m.Direction == "outbound-api" {
				out = append(out, m)
			}
		}
		changed := s.changed
		s.mu.Unlock()
		if len(out) >= n {
			return out, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return out, fmt.Errorf("twilio sim: %d messages sent to %s, waiting for %d: %w", len(out), customer, n, ctx.Err())
		}
	}
}

// WaitStatus waits until the message sid has the status.
func (s *Sim) WaitStatus(ctx context.Context, msid, status string) error {
	for {
		s.mu.Lock()
		got := ""
		for _, m := range s.messages {
			if m.SID == msid {
				got = m.Status
			}
		}
		changed := s.changed
		s.mu.Unlock()
		if got == status {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("twilio sim: message %s is %q, waiting for %q: %w", msid, got, status, ctx.Err())
		}
	}
}

// WaitDeliveries waits until every webhook call was made.
func (s *Sim) WaitDeliveries(ctx context.Context) error { return s.hooks.WaitDeliveries(ctx) }

// OptedOut reports whether a customer texted STOP (and not START since).
func (s *Sim) OptedOut(customer string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.optedOut[customer]
}

// Throttle lets n more sends through, then answers 429 (20429) until
// Throttle(-1).
func (s *Sim) Throttle(n int) {
	s.mu.Lock()
	s.throttle = n
	s.mu.Unlock()
}

// SetOutage answers every send 503 (error 20503, Service Unavailable)
// while on; customers' texts still reach the webhook.
func (s *Sim) SetOutage(on bool) { s.faults.SetOutage(on) }

// SetUnreachable makes sends to customer end undelivered (30003).
func (s *Sim) SetUnreachable(customer string, on bool) {
	s.mu.Lock()
	s.unreachable[customer] = on
	s.mu.Unlock()
}

// Forge makes the webhooks signed with another Auth Token.
func (s *Sim) Forge(on bool) {
	s.mu.Lock()
	s.forge = on
	s.mu.Unlock()
}

// Replay posts a customer's message again, as it was (an attacker who
// captured it, or a retry).
func (s *Sim) Replay(msid string) error {
	s.mu.Lock()
	form, target := s.forms[msid], s.webhook
	s.mu.Unlock()
	if form == nil || target == "" {
		return fmt.Errorf("twilio sim: no message %s to replay, or no webhook", msid)
	}
	s.post(target, "incoming", msid, form, hook{})
	return nil
}

// Deliveries are the webhook calls made so far, in the order they ended.
func (s *Sim) Deliveries() []simkit.Delivery { return s.hooks.Deliveries() }

// Attempts counts the sends to a customer that passed the checks of
// credentials and fields, those refused because they texted STOP too.
func (s *Sim) Attempts(customer string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts[customer]
}
