package livechat

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestFailureReasons(t *testing.T) {
	base := errors.New("chatwoot: create contact: 401 Unauthorized")
	marked := fmt.Errorf("open: %w", WithReason(ReasonBadCredentials, Permanent(base)))
	if ReasonOf(marked) != ReasonBadCredentials || !IsPermanent(marked) || marked.Error() != "open: "+base.Error() {
		t.Errorf("a marked permanent error: %v, %v, %q", ReasonOf(marked), IsPermanent(marked), marked)
	}
	busy := WithReason(ReasonPlatformUnreachable, RetryAfter(base, time.Minute))
	if d, ok := RetryDelay(busy); !ok || d != time.Minute || IsPermanent(busy) {
		t.Errorf("the reason hid the delay: %v %v", d, ok)
	}
	if ReasonOf(Permanent(base)) != ReasonPlatformRefused || ReasonOf(base) != ReasonPlatformUnreachable {
		t.Error("unmarked errors: want refused when permanent, unreachable otherwise")
	}
	if m := Misconfigured(base); ReasonOf(m) != ReasonMisconfigured || !IsPermanent(m) {
		t.Errorf("Misconfigured: %v", m)
	}
	for _, r := range []FailureReason{ReasonNotConfigured, ReasonMisconfigured, ReasonBadCredentials, ReasonPlatformRefused, ReasonPlatformUnreachable} {
		text := r.CustomerText()
		if text == "" || strings.Contains(strings.ToLower(text), "chatwoot") || strings.Contains(text, "_") {
			t.Errorf("%s: customer text %q", r, text)
		}
		got, detail := SplitFailure(FailureError(r, "gorgias: create customer: 400 Bad Request: x"))
		if got != r || detail != "gorgias: create customer: 400 Bad Request: x" {
			t.Errorf("%s: split %q %q", r, got, detail)
		}
	}
	if r, d := SplitFailure("the livechat platform could not be reached: 500"); r != "" || d != "the livechat platform could not be reached: 500" {
		t.Errorf("an error recorded before reasons: %q %q", r, d)
	}
}
