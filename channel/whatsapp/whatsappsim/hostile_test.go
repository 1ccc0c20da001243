package whatsappsim

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestHostileBodiesAreRefusedCleanly: half-built and ill-typed messages get
// a 400 in Graph's envelope, never a 5xx or a dropped connection.
func TestHostileBodiesAreRefusedCleanly(t *testing.T) {
	s, _ := start(t, Config{})
	for _, body := range []string{
		``, `null`, `[]`, `{"messaging_product":`, `{"messaging_product":1}`,
		`{"messaging_product":"whatsapp","to":"+"}`,
		`{"messaging_product":"whatsapp","to":12345678}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"text"}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"text","text":{}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"interactive"}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"interactive","interactive":{}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"interactive","interactive":{"type":"button","body":{"text":"x"}}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"interactive","interactive":{"type":"button","body":{"text":"x"},"action":{"buttons":[{}]}}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"interactive","interactive":{"type":"button","body":{"text":"x"},"action":{"buttons":[{"type":"reply","reply":{}}]}}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"interactive","interactive":{"type":"list","body":{"text":"x"},"action":{"button":"b","sections":[{"rows":[{}]}]}}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"interactive","interactive":{"type":"list","body":{"text":"x"},"action":{"button":"b","sections":[{"rows":[]}]}}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"interactive","interactive":{"type":"button","header":{"type":"text"},"body":{"text":"x"},"action":{}}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"interactive","interactive":{"type":"cta_url","body":{"text":"x"},"action":{"name":"cta_url","parameters":{"display_text":"Go","url":"javascript:alert(1)"}}}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"image","image":{}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"image","image":{"id":"1","link":"https://x"}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"audio","audio":{"link":"https://example.com/a.ogg","caption":"no"}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"location","location":{"latitude":91,"longitude":0}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"template","template":{"name":"hello_world"}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"reaction","reaction":{}}`,
		`{"messaging_product":"whatsapp","to":"12345678","type":"contacts","contacts":{}}`,
		`{"messaging_product":"whatsapp","status":"delivered","message_id":"x"}`,
		`{"messaging_product":"whatsapp","status":"read"}`,
		`{"messaging_product":"whatsapp","to":"12345678","text":{"body":"` + strings.Repeat("é", maxTextBody+1) + `"}}`,
	} {
		req, _ := http.NewRequest("POST", s.URL()+"/"+s.Config().PhoneNumberID+"/messages", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.Config().AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%.80s: %v", body, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(raw), `"fbtrace_id"`) {
			t.Errorf("%.80s: answered %d %s", body, resp.StatusCode, raw)
		}
	}
	if n := len(s.Outbound("12345678")); n != 0 {
		t.Errorf("%d hostile messages were sent", n)
	}
}
