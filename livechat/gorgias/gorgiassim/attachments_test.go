package gorgiassim

import (
	"strings"
	"testing"
)

// TestAttachmentsAreValidatedAsGorgiasDoes: an attachment needs a url, a
// name and a content type; the url must be an absolute http(s) URL and
// the size not negative, each complaint nested under its index.
func TestAttachmentsAreValidatedAsGorgiasDoes(t *testing.T) {
	_, c := start(t, Config{})
	message := func(att map[string]any) map[string]any {
		return map[string]any{"via": "api", "customer": map[string]any{"email": "a@example.com"}, "messages": []any{map[string]any{
			"channel": "api", "via": "api", "from_agent": false, "sender": map[string]any{"email": "a@example.com"},
			"attachments": []any{att}}}}
	}
	for _, c2 := range []struct {
		att  map[string]any
		want string
	}{
		{map[string]any{"url": "https://files.example.com/a.pdf"}, `"name":["Missing data for required field."]`},
		{map[string]any{"url": "/v1/attachments/x/a.pdf", "name": "a.pdf", "content_type": "application/pdf"}, `"url":["Not a valid URL."]`},
		{map[string]any{"url": "https://files.example.com/a.pdf", "name": "a.pdf", "content_type": "application/pdf", "size": -1}, `"size":["Must be greater than or equal to 0."]`},
	} {
		st, out, _ := c.do("POST", "/api/tickets", message(c2.att))
		if msg := errMsg(out); st != 400 || !strings.Contains(msg, c2.want) {
			t.Errorf("%v: %d %s, want %s", c2.att, st, msg, c2.want)
		}
	}
	ok := map[string]any{"url": "https://files.example.com/a.pdf", "name": "a.pdf", "content_type": "application/pdf", "size": 12}
	if st, out, _ := c.do("POST", "/api/tickets", message(ok)); st != 201 {
		t.Errorf("a valid attachment: %d %s", st, errMsg(out))
	}
}
