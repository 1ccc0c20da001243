package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
)

type sessionOut struct {
	ID             string    `json:"id"`
	State          string    `json:"state"`
	EndReason      string    `json:"end_reason"`
	TimeoutSeconds int64     `json:"timeout_seconds"`
	ExpiresAt      time.Time `json:"expires_at"`
	Client         struct {
		UserID string `json:"user_id"`
	} `json:"client"`
}

func TestLiveSessionsTranscriptAndForcedEnd(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	s := f.liveSession("grace")
	ctx := context.Background()
	if err := f.app.Engine.Reply(ctx, engine.AgentReply{SessionID: s.ID, AgentName: "Alex", Text: "Hello Grace"}); err != nil {
		t.Fatal(err)
	}
	var list struct{ Sessions []sessionOut }
	c.must("GET", "/v1/admin/sessions", nil, http.StatusOK, &list)
	if len(list.Sessions) != 1 || list.Sessions[0].ID != s.ID || list.Sessions[0].TimeoutSeconds != 1800 || list.Sessions[0].ExpiresAt.IsZero() {
		t.Fatalf("live sessions: %+v", list.Sessions)
	}
	var detail struct {
		Session    sessionOut            `json:"session"`
		Transcript []switchboard.Message `json:"transcript"`
	}
	c.must("GET", "/v1/admin/sessions/"+s.ID, nil, http.StatusOK, &detail)
	last := detail.Transcript[len(detail.Transcript)-1]
	if last.Sender.Name != "Alex" || !strings.Contains(string(last.Payload.Content), "Hello Grace") {
		t.Fatalf("transcript ends with %+v", last)
	}

	// Ending it by force hands the user back to the bot.
	var ended sessionOut
	c.must("POST", "/v1/admin/sessions/"+s.ID+"/end", nil, http.StatusOK, &ended)
	if ended.State != "ended" || ended.EndReason != "admin_ended" {
		t.Fatalf("ended: %+v", ended)
	}
	c.must("GET", "/v1/admin/sessions/"+s.ID, nil, http.StatusOK, &detail)
	var resumed bool
	for _, m := range detail.Transcript {
		resumed = resumed || m.Sender.Kind == switchboard.SenderBot && strings.Contains(string(m.Payload.Content), "Thanks for chatting")
	}
	if !resumed {
		t.Error("the bot did not resume after the forced end")
	}
	if msg := c.fails("POST", "/v1/admin/sessions/"+s.ID+"/end", nil, "", http.StatusConflict); !strings.Contains(msg, "already ended") {
		t.Errorf("ending twice: %q", msg)
	}
	c.must("GET", "/v1/admin/sessions", nil, http.StatusOK, &list)
	if len(list.Sessions) != 0 {
		t.Errorf("live sessions after the end: %+v", list.Sessions)
	}
	c.must("GET", "/v1/admin/sessions?state=ended&limit=5&bot_id=livechat-demo", nil, http.StatusOK, &list)
	if len(list.Sessions) != 1 || list.Sessions[0].EndReason != "admin_ended" {
		t.Errorf("ended sessions: %+v", list.Sessions)
	}
	c.must("GET", "/v1/admin/sessions?state=all", nil, http.StatusOK, &list)
	c.fails("GET", "/v1/admin/sessions?state=sleeping", nil, "", http.StatusBadRequest)
	c.fails("GET", "/v1/admin/sessions?limit=0", nil, "", http.StatusBadRequest)
	c.fails("GET", "/v1/admin/sessions/nope", nil, "", http.StatusNotFound)
	c.fails("POST", "/v1/admin/sessions/nope/end", nil, "", http.StatusNotFound)
}

func TestDashboardStats(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	ctx := context.Background()
	answered := f.liveSession("a")
	if err := f.app.Engine.Reply(ctx, engine.AgentReply{SessionID: answered.ID, Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	if err := f.app.Engine.Close(ctx, answered.ID, switchboard.EndAgent); err != nil {
		t.Fatal(err)
	}
	f.liveSession("b")
	var st struct {
		Days []struct {
			Day      string `json:"day"`
			Sessions int    `json:"sessions"`
			Answered int    `json:"answered"`
		} `json:"days"`
		EndReasons              map[string]int `json:"end_reasons"`
		Sessions                int            `json:"sessions"`
		Answered                int            `json:"answered"`
		MedianFirstReplySeconds float64        `json:"median_first_reply_seconds"`
	}
	c.must("GET", "/v1/admin/stats?days=7&bot_id=livechat-demo", nil, http.StatusOK, &st)
	today := time.Now().UTC().Format(time.DateOnly)
	if len(st.Days) != 7 || st.Days[6].Day != today || st.Days[6].Sessions != 2 || st.Days[6].Answered != 1 || st.Days[0].Sessions != 0 {
		t.Fatalf("days: %+v", st.Days)
	}
	if st.Sessions != 2 || st.Answered != 1 || st.EndReasons["agent_closed"] != 1 || st.MedianFirstReplySeconds < 0 {
		t.Fatalf("stats: %+v", st)
	}
	c.must("GET", "/v1/admin/stats", nil, http.StatusOK, &st)
	if len(st.Days) != 30 {
		t.Errorf("default period: %d days", len(st.Days))
	}
	c.fails("GET", "/v1/admin/stats?days=0", nil, "", http.StatusBadRequest)
}

func TestTheSessionsListPagesThroughEverySession(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	want := map[string]bool{}
	for _, u := range []string{"ada", "grace", "alan", "edsger", "barbara"} {
		want[f.liveSession(u).ID] = true
	}
	type page struct {
		Sessions []sessionOut `json:"sessions"`
		Next     string       `json:"next"`
	}
	seen := map[string]bool{}
	var p page
	c.must("GET", "/v1/admin/sessions?limit=2", nil, http.StatusOK, &p)
	for pages := 1; ; pages++ {
		for _, s := range p.Sessions {
			if seen[s.ID] {
				t.Fatalf("page %d repeats session %s", pages, s.ID)
			}
			seen[s.ID] = true
		}
		if p.Next == "" {
			if pages != 3 || len(p.Sessions) != 1 {
				t.Fatalf("the list ended on page %d with %d sessions, want page 3 with 1", pages, len(p.Sessions))
			}
			break
		}
		if pages == 3 {
			t.Fatalf("page 3 is full and says there is more: %+v", p)
		}
		next := p.Next
		p = page{}
		c.must("GET", "/v1/admin/sessions?limit=2&after="+next, nil, http.StatusOK, &p)
	}
	if len(seen) != len(want) {
		t.Fatalf("the pages listed %d sessions, want %d", len(seen), len(want))
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("session %s was on no page", id)
		}
	}
	if msg := c.fails("GET", "/v1/admin/sessions?after=nope", nil, "", http.StatusBadRequest); !strings.Contains(msg, `"next"`) {
		t.Errorf("an unknown cursor: %q, want it to say to use next", msg)
	}
}

// TestFailedSessionShowsItsReason starts a session of a bot without a
// livechat platform: the administration shows why it failed, the reason
// the bot was given and the detail.
func TestFailedSessionShowsItsReason(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	c.must("PUT", "/v1/admin/bots/livechat-demo/livechat", map[string]any{"platform": "none"}, http.StatusOK, nil)
	ctx := context.Background()
	chat, err := f.app.ChatURL(ctx, "livechat-demo")
	if err != nil {
		t.Fatal(err)
	}
	key := switchboard.ClientKey{BotID: "livechat-demo", ChannelID: chat[strings.LastIndex(chat, "/")+1:], UserID: "ada"}
	raw, _ := json.Marshal(map[string]string{"payload": switchboard.PayloadSessionStart})
	if _, err := f.app.Engine.HandleEvent(ctx, engine.Request{Client: key, Payload: switchboard.Payload{ContentType: "payload", Content: raw}}); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Sessions []struct {
			ID          string `json:"id"`
			EndReason   string `json:"end_reason"`
			Error       string `json:"error"`
			ErrorReason string `json:"error_reason"`
		}
	}
	c.must("GET", "/v1/admin/sessions?state=ended", nil, http.StatusOK, &list)
	if len(list.Sessions) != 1 {
		t.Fatalf("ended sessions: %+v", list.Sessions)
	}
	s := list.Sessions[0]
	if s.EndReason != "error" || s.ErrorReason != "not_configured" || s.Error != "not_configured: no livechat platform is configured for this bot" {
		t.Errorf("failed session: %+v", s)
	}
}
