package whatsappsim

import (
	"strings"
	"testing"
)

// TestConversationRoundTrip: a customer writes, the webhook carries it
// signed in Meta's envelope; the business answers with buttons, the
// customer taps one, and the sent message goes sent, delivered, read.
func TestConversationRoundTrip(t *testing.T) {
	s, rc := start(t, Config{})
	ctx := wait(t)
	in, err := s.CustomerText(ctx, "16315551181", "Jane Café", "Hello 👋")
	if err != nil {
		t.Fatal(err)
	}
	status, out := send(t, s, buttons("+1 631 555 1181", "yes", "no"))
	if status != 200 {
		t.Fatalf("send answered %d %v", status, out)
	}
	id := out["messages"].([]any)[0].(map[string]any)["id"].(string)
	if _, err := s.WaitStatus(ctx, id, StatusRead); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CustomerPress(ctx, "16315551181", "", "no"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CustomerPress(ctx, "16315551181", "", "maybe"); err == nil {
		t.Error("pressing a button that was not sent worked")
	}
	if err := s.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	msgs, stats := rc.items()
	if len(msgs) != 2 || msgs[0]["id"] != in || msgs[0]["text"].(map[string]any)["body"] != "Hello 👋" {
		t.Fatalf("messages %v", msgs)
	}
	press := msgs[1]["interactive"].(map[string]any)
	if press["type"] != "button_reply" || press["button_reply"].(map[string]any)["id"] != "no" || msgs[1]["context"].(map[string]any)["id"] != id {
		t.Errorf("the press: %v", msgs[1])
	}
	var seq []string
	for _, st := range stats {
		seq = append(seq, st["status"].(string))
	}
	if len(seq) != 3 || seq[0] != "sent" || seq[2] != "read" {
		t.Errorf("statuses %v", seq)
	}
	if rc.bad != 0 || len(rc.raw) == 0 {
		t.Fatalf("%d posts did not verify", rc.bad)
	}
	if raw := string(rc.raw[0]); !strings.Contains(raw, `\u00e9`) || !strings.Contains(raw, `\ud83d\udc4b`) {
		t.Errorf("non-ASCII is not escaped as Meta does: %s", raw)
	}
}
