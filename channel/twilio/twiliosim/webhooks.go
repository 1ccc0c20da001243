package twiliosim

import (
	"bytes"
	"context"
	"encoding/xml"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/channel/twilio"
	"switchboard/internal/simkit"
)

// hook is what the simulator keeps of a webhook call.
type hook struct {
	// inbound marks a customer's message, whose answer may hold TwiML.
	inbound bool
	from    string
}

// overrides are the connection overrides of a webhook URL that the
// simulator honours (Twilio's "#rc=3&rp=ct,5xx" fragment): how many times
// a failed call is retried (rc, 0 to 5, default 1) and which failures
// (rp: ct and rt, a connection or answer that failed; 4xx; 5xx; all;
// default ct).
type overrides struct {
	retries int
	policy  []string
}

// overridesOf reads the overrides of target's fragment.
func overridesOf(target string) overrides {
	o := overrides{retries: 1, policy: []string{"ct"}}
	_, frag, _ := strings.Cut(target, "#")
	q, _ := url.ParseQuery(frag)
	if n, err := strconv.Atoi(q.Get("rc")); err == nil && n >= 0 && n <= 5 {
		o.retries = n
	}
	if rp := q.Get("rp"); rp != "" {
		o.policy = strings.Split(rp, ",")
	}
	return o
}

// retry reports whether a call answered status (0: none, with err) is
// one the policy retries.
func (o overrides) retry(status int, err error) bool {
	for _, p := range o.policy {
		switch {
		case p == "all" && (status == 0 && err != nil || status >= 400),
			(p == "ct" || p == "rt") && status == 0 && err != nil,
			p == "4xx" && status >= 400 && status < 500,
			p == "5xx" && status >= 500:
			return true
		}
	}
	return false
}

// post queues a signed form POST to target. Its fragment (connection
// overrides) is not part of the request: it is not sent, nor signed.
func (s *Sim) post(target, eventType, objectID string, form url.Values, tag hook) {
	target, _, _ = strings.Cut(target, "#")
	s.mu.Lock()
	forge := s.forge
	s.mu.Unlock()
	body := form.Encode()
	sig := twilio.Signature(s.cfg.AuthToken, signedURL(target), form)
	if forge {
		sig = twilio.Signature("not-the-auth-token", target, form)
	}
	s.hooks.Enqueue(simkit.Hook{EventID: objectID + ":" + eventType, EventType: eventType, ObjectID: objectID, URL: target, Tag: tag,
		Request: func(ctx context.Context, _ int) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(body))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Twilio-Signature", sig)
			req.Header.Set("User-Agent", "TwilioProxy/1.1")
			req.Header.Set("I-Twilio-Idempotency-Token", objectID+"-"+eventType)
			return req, nil
		}})
}

// signedURL is the URL Twilio signs: as configured, but with the default
// port added, half of the time, when the URL has none (Twilio is
// inconsistent about it).
func signedURL(target string) string {
	u, err := url.Parse(target)
	if err != nil || u.Port() != "" || rand.IntN(2) == 0 {
		return target
	}
	u.Host += ":" + map[string]string{"https": "443", "http": "80"}[u.Scheme]
	return u.String()
}

// twiml is the part of a TwiML answer the simulator acts on.
type twiml struct {
	XMLName  xml.Name `xml:"Response"`
	Messages []string `xml:"Message"`
}

// answered reads the answer to a customer's message: a <Message> in the
// TwiML is sent to the customer, as Twilio does.
func (s *Sim) answered(h simkit.Hook, d simkit.Delivery) {
	if h.EventType == "incoming" {
		s.mu.Lock()
		s.answers[h.ObjectID] = Answer{Status: d.Status, Body: string(d.Body)}
		s.mu.Unlock()
	}
	tag, _ := h.Tag.(hook)
	if !tag.inbound || !d.OK() {
		return
	}
	var t twiml
	if xml.Unmarshal(bytes.TrimSpace(d.Body), &t) != nil {
		s.cfg.Log.Warn("twilio sim: the webhook's answer is not TwiML (Twilio logs error 12100)", "url", h.URL)
		return
	}
	for _, text := range t.Messages {
		s.reply(tag.from, text)
	}
}

// reply records a message Twilio sends itself (TwiML, keyword answers).
func (s *Sim) reply(to, text string) {
	enc, segs := twilio.Segments(text)
	s.mu.Lock()
	s.record(Message{SID: sid("SM"), Direction: "outbound-reply", From: s.cfg.Number, To: to, Body: text, Encoding: enc, Segments: segs, Status: "delivered", At: time.Now().UTC()})
	s.mu.Unlock()
}

// scheduleStatuses posts an outbound message's statuses after the status
// delay: sent then delivered, or undelivered with 30003 for an
// unreachable number.
func (s *Sim) scheduleStatuses(m Message) {
	time.AfterFunc(s.cfg.StatusDelay, func() {
		s.mu.Lock()
		target := m.StatusCallback
		if target == "" {
			target = s.statusURL
		}
		final, code := "delivered", 0
		if s.unreachable[m.To] {
			final, code = "undelivered", 30003
		}
		s.mu.Unlock()
		// Queued before the status is set, so that whoever waits for the
		// status and then for the deliveries sees them.
		for _, st := range []string{"sent", final} {
			if target == "" {
				break
			}
			form := url.Values{"MessageSid": {m.SID}, "SmsSid": {m.SID}, "MessageStatus": {st}, "SmsStatus": {st}, "AccountSid": {s.cfg.AccountSID},
				"From": {m.From}, "To": {m.To}, "ApiVersion": {"2010-04-01"}}
			if st == final && code != 0 {
				form.Set("ErrorCode", strconv.Itoa(code))
			}
			s.post(target, st, m.SID, form, hook{})
		}
		s.mu.Lock()
		s.setStatus(m.SID, final, code)
		s.mu.Unlock()
	})
}

// setStatus records a message's status; s.mu is held.
func (s *Sim) setStatus(sid, status string, code int) {
	for i := range s.messages {
		if s.messages[i].SID == sid {
			s.messages[i].Status, s.messages[i].ErrorCode = status, code
		}
	}
	s.wake()
}

// Answer is how the webhook answered a customer's message.
type Answer struct {
	Status int
	Body   string
}

// LastAnswer is the webhook's last answer to a customer's message (the
// zero Answer before one came).
func (s *Sim) LastAnswer(msid string) Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answers[msid]
}
