package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/internal/testclock"
)

// TestFlowTriggerNamesAnExistingFlow: a flow_trigger whose flow or step the
// bot does not have is refused, naming it, instead of running the default
// flow.
func TestFlowTriggerNamesAnExistingFlow(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/v1/api/chat", "/v1/api/broadcasts"} {
		_, msg := f.errorOf("POST", path, f.public(), event("ft", "flow_trigger", map[string]any{"flow_id": "no-such-flow", "close_flows": true}, nil), http.StatusBadRequest)
		if !strings.Contains(msg, `"no-such-flow" is not a flow`) {
			t.Errorf("%s, unknown flow: %q", path, msg)
		}
	}
	if _, msg := f.errorOf("POST", "/v1/api/chat", f.public(), event("ft", "flow_trigger", map[string]any{"flow_id": "News", "step_id": "nowhere"}, nil), http.StatusBadRequest); !strings.Contains(msg, `"nowhere" is not a step of flow News`) {
		t.Errorf("unknown step: %q", msg)
	}
	// A flow named by its name in another case still runs.
	if r := f.chat(f.public(), event("ft", "flow_trigger", map[string]any{"flow_id": "news"}, nil)); len(r.Messages) != 2 {
		t.Errorf("flow_trigger news: %q", r.texts())
	}
}

// TestChannelsAreThrottled: CSML Studio's throttle, 50 requests a second per
// channel by default (configurable); over it the request is refused with 429
// and not treated.
func TestChannelsAreThrottled(t *testing.T) {
	clock := testclock.New(time.Now())
	f := newFixtureWith(t, func(c *app.Config) { c.Clock = clock })
	for i := 0; i < 50; i++ {
		f.chat(f.public(), event("busy", "text", map[string]any{"text": "hi"}, nil))
	}
	var out struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	res := f.call("POST", "/v1/api/chat", f.public(), event("busy", "text", map[string]any{"text": "one too many"}, nil), &out)
	if res.StatusCode != http.StatusTooManyRequests || out.Error.Code != "rate_limited" || res.Header.Get("Retry-After") != "1" {
		t.Fatalf("request 51 in a second → %d %+v Retry-After %q", res.StatusCode, out.Error, res.Header.Get("Retry-After"))
	}
	var page struct {
		Messages []struct{} `json:"messages"`
	}
	clock.Advance(time.Second)
	f.call("GET", "/v1/api/messages?user_id=busy&limit=500", f.signed(clock.Now()), nil, &page)
	if len(page.Messages) != 100 {
		t.Errorf("history has %d messages, want 100: the refused request ran", len(page.Messages))
	}

	// Configured: 3 a second.
	clock = testclock.New(time.Now())
	f = newFixtureWith(t, func(c *app.Config) { c.Clock, c.ChatAPIRate = clock, 3 })
	for i := 0; i < 3; i++ {
		f.chat(f.public(), event("busy", "text", map[string]any{"text": "hi"}, nil))
	}
	f.errorOf("POST", "/v1/api/chat", f.public(), event("busy", "text", map[string]any{"text": "hi"}, nil), http.StatusTooManyRequests)
	clock.Advance(time.Second)
	f.chat(f.public(), event("busy", "text", map[string]any{"text": "hi"}, nil))
}
