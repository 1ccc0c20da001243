package livechat

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSignOffFindsTheTokenAnywhere(t *testing.T) {
	cases := []struct {
		in, rest string
		signed   bool
	}{
		{"Anything else?\n\nLIVECHAT_SESSION_END", "Anything else?", true},
		{"LIVECHAT_SESSION_END Bye!", "Bye!", true},
		{`Thanks! LIVECHAT\_SESSION\_END`, "Thanks!", true},
		{"LIVECHAT_SESSION_END", "", true},
		{"we use LIVECHAT_SESSION to talk", "we use LIVECHAT_SESSION to talk", false},
		{"livechat_session_end", "livechat_session_end", false},
	}
	for _, c := range cases {
		rest, signed := SignOff(c.in)
		if rest != c.rest || signed != c.signed {
			t.Errorf("SignOff(%q) = %q, %v; want %q, %v", c.in, rest, signed, c.rest, c.signed)
		}
	}
}

func TestEndQuestionIsACSMLQuestionWithTheEndButton(t *testing.T) {
	p := EndQuestion("Done?", "End")
	if p.ContentType != "question" {
		t.Fatal(p.ContentType)
	}
	var q struct {
		Title   string `json:"title"`
		Buttons []struct {
			Content struct {
				Title   string   `json:"title"`
				Payload string   `json:"payload"`
				Accepts []string `json:"accepts"`
			} `json:"content"`
			ContentType string `json:"content_type"`
		} `json:"buttons"`
	}
	if err := json.Unmarshal(p.Content, &q); err != nil {
		t.Fatal(err)
	}
	b := q.Buttons[0]
	if q.Title != "Done?" || len(q.Buttons) != 1 || b.ContentType != "button" || b.Content.Title != "End" ||
		b.Content.Payload != "LIVECHAT_SESSION_END" || strings.Join(b.Content.Accepts, ",") != "End,LIVECHAT_SESSION_END" {
		t.Fatalf("%s", p.Content)
	}
}

func TestSettingsDefaultsAndExplicitEmptyValues(t *testing.T) {
	r := Settings{}.Resolve()
	if r.Platform != PlatformDesk || r.Timeout != 30*time.Minute || r.EndMessage != DefaultEndMessage ||
		r.ConnectingMessage != DefaultConnectingMessage || r.TranscriptLength != 20 || !r.CloseOnEnd || r.OnAgentClose != OnAgentCloseEnd {
		t.Fatalf("defaults: %+v", r)
	}
	empty, zero, no := "", 0, false
	r = Settings{ConnectingMessage: &empty, TranscriptLength: &zero, CloseOnEnd: &no}.Resolve()
	if r.ConnectingMessage != "" || r.TranscriptLength != 0 || r.CloseOnEnd {
		t.Fatalf("explicit empty values were replaced by defaults: %+v", r)
	}
}

func TestSettingsValidationNamesTheField(t *testing.T) {
	long := strings.Repeat("x", 3000)
	neg := -1
	cases := []struct {
		s    Settings
		want string
	}{
		{Settings{Platform: "zendesk"}, `platform "zendesk" is unknown`},
		{Settings{Timeout: Duration(30 * time.Second)}, "timeout 30s is out of range"},
		{Settings{Timeout: Duration(8 * 24 * time.Hour)}, "out of range"},
		{Settings{TranscriptLength: &neg}, "transcript_length -1"},
		{Settings{OnAgentClose: "later"}, `on_agent_close "later"`},
		{Settings{EndMessage: long}, "end_message is 3000 bytes"},
	}
	for _, c := range cases {
		if err := c.s.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %q", c.s, err, c.want)
		}
	}
	if err := (Settings{Platform: PlatformNone, Timeout: Duration(time.Hour)}).Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestDurationReadsStringsAndSeconds(t *testing.T) {
	var s Settings
	if err := json.Unmarshal([]byte(`{"timeout": "45m", "open_timeout": 90}`), &s); err != nil {
		t.Fatal(err)
	}
	if time.Duration(s.Timeout) != 45*time.Minute || time.Duration(s.OpenTimeout) != 90*time.Second {
		t.Fatalf("%+v", s)
	}
	if err := json.Unmarshal([]byte(`{"timeout": "soon"}`), &s); err == nil || !strings.Contains(err.Error(), "30m") {
		t.Fatalf("bad duration: %v", err)
	}
	out, _ := json.Marshal(Settings{Timeout: Duration(time.Hour)})
	if string(out) != `{"timeout":"1h0m0s"}` {
		t.Fatalf("%s", out)
	}
}
