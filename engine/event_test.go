package engine_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/internal/testclock"
)

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func TestBotTurnGreetsHoldsAndResumes(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	r, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: botKey, Payload: text("hi"), Metadata: json.RawMessage(`{"firstname":"Ada"}`)})
	if err != nil {
		t.Fatal(err)
	}
	got := texts(r.Messages)
	want := []string{"SEND bot: Hello Ada", "SEND bot: question How can I help?"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("first turn:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.ConversationEnd || r.Received == nil || r.Received.Direction != switchboard.DirectionReceive {
		t.Fatalf("reply: %+v", r)
	}
	// The next event resumes after the hold.
	r = f.send(text("where is my parcel"))
	if got := texts(r.Messages); len(got) != 2 || got[0] != "SEND bot: You said where is my parcel" {
		t.Fatalf("after hold: %v", got)
	}
	var mems []switchboard.Memory
	_ = f.store.View(f.ctx, func(tx switchboard.Tx) error {
		mems, err = tx.Memories(f.ctx, botKey)
		return err
	})
	if len(mems) != 1 || mems[0].Key != "visits" || string(mems[0].Value) != "1" {
		t.Fatalf("memories: %+v", mems)
	}
}

func TestSameRequestIDRunsOnce(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	req := engine.Request{Client: botKey, RequestID: "req-1", Payload: text("hi")}
	first, err := f.eng.HandleEvent(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.eng.HandleEvent(f.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Duplicate || strings.Join(texts(again.Messages), "|") != strings.Join(texts(first.Messages), "|") {
		t.Fatalf("replayed reply differs: %v vs %v", texts(again.Messages), texts(first.Messages))
	}
	if n := len(f.history()); n != 1+len(first.Messages) {
		t.Fatalf("history has %d messages after a retried request, want %d", n, 1+len(first.Messages))
	}
}

func TestBadEventsAreRefusedAndChangeNothing(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	cases := []struct {
		req  engine.Request
		code switchboard.Code
		msg  string
	}{
		{engine.Request{Client: botKey, Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"txt":"x"}`)}}, switchboard.EINVALID, "content.text"},
		{engine.Request{Client: botKey, Payload: switchboard.Payload{ContentType: "sticker", Content: json.RawMessage(`{}`)}}, switchboard.EINVALID, `"sticker" is not supported`},
		{engine.Request{Client: botKey, Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`[1]`)}}, switchboard.EINVALID, "JSON object"},
		{engine.Request{Client: switchboard.ClientKey{BotID: "support", ChannelID: "web"}, Payload: text("x")}, switchboard.EINVALID, "client.user_id is missing"},
		{engine.Request{Client: switchboard.ClientKey{BotID: "nope", ChannelID: "web", UserID: "u"}, Payload: text("x")}, switchboard.ENOTFOUND, "not loaded"},
		{engine.Request{Client: botKey, Payload: text("x"), Metadata: json.RawMessage(`"ada"`)}, switchboard.EINVALID, "metadata"},
		{engine.Request{Client: botKey, Payload: text(strings.Repeat("x", 70000))}, switchboard.ETOOLARGE, "limit"},
	}
	for _, c := range cases {
		_, err := f.eng.HandleEvent(f.ctx, c.req)
		if switchboard.ErrorCode(err) != c.code || !strings.Contains(switchboard.ErrorMessage(err), c.msg) {
			t.Errorf("%+v: got %v, want %s %q", c.req.Payload, err, c.code, c.msg)
		}
	}
	if n := len(f.history()); n != 0 {
		t.Fatalf("refused events stored %d messages", n)
	}
}

func TestEventsOfOneClientAreProcessedOneAtATime(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.eng.HandleEvent(f.ctx, engine.Request{Client: botKey, Payload: text("ping")}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Every event resumed the hold of the turn before it: each RECEIVE is
	// followed by its own two answers, never interleaved with another turn.
	h := texts(f.history())[3:]
	for i := 0; i < len(h); i += 3 {
		if h[i] != "RECEIVE user: ping" || h[i+1] != "SEND bot: You said ping" || h[i+2] != "SEND bot: question How can I help?" {
			t.Fatalf("turns interleaved at %d: %v", i, h[i:min(i+6, len(h))])
		}
	}
	if len(h) != 60 {
		t.Fatalf("%d messages for 20 turns", len(h))
	}
}

func TestMessageIDsOrderTheHistory(t *testing.T) {
	f := newFixture(t, testclock.New(t0))
	f.send(text("hi"))
	f.send(text("again"))
	h := f.history()
	for i := 1; i < len(h); i++ {
		if h[i].ID <= h[i-1].ID {
			t.Fatalf("ids not increasing: %d then %d", h[i-1].ID, h[i].ID)
		}
	}
}
