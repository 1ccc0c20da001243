package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
)

// TestMetaSimsPrintWhatToPaste starts each simulator as a user would: the
// console serves, and the printed channel settings reach its API.
func TestMetaSimsPrintWhatToPaste(t *testing.T) {
	for _, typ := range []string{"messenger", "instagram"} {
		out, stop := startCmd(t, "dev", typ+"-sim", "--addr", "127.0.0.1:0")
		base := waitOutput(t, out, regexp.MustCompile(`listening on (\S+)`))
		body := waitOutput(t, out, regexp.MustCompile(`(\{"bot_id".*\})`))
		resp, err := http.Get(base + "/")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s console: %v %v", typ, err, resp)
		}
		resp.Body.Close()
		var ch map[string]any
		if err := json.Unmarshal([]byte(body), &ch); err != nil || ch["type"] != typ {
			t.Fatalf("%s: the printed channel %s: %v", typ, body, err)
		}
		settings := ch[typ].(map[string]any)
		req, _ := http.NewRequest(http.MethodGet, settings["api_base"].(string)+"/me/thread_owner?recipient=1", nil)
		req.Header.Set("Authorization", "Bearer "+settings["page_access_token"].(string))
		resp, err = http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusBadRequest { // the token is taken; user 1 is unknown
			t.Fatalf("%s: the printed token: %v %v", typ, err, resp)
		}
		var e struct{ Error struct{ Code int } }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if e.Error.Code != 100 {
			t.Errorf("%s: the printed token was refused: code %d", typ, e.Error.Code)
		}
		stop()
	}
}
