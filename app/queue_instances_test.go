package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard"
	"switchboard/internal/eventually"
)

// TestTheWaitLimitEndsOnceWithThreeInstances: with a wait limit, every
// session nobody claimed ends once, for reason timeout, whichever instance
// fires its timer; the claimed one goes on. Skipped without PostgreSQL.
func TestTheWaitLimitEndsOnceWithThreeInstances(t *testing.T) {
	in := startInstances(t, 3)
	if st, body := in.admin(0, http.MethodPut, "/v1/admin/bots/livechat-demo/livechat", "application/json",
		[]byte(`{"platform": "desk", "queue": {"wait_limit": "5m"}}`)); st != http.StatusOK {
		t.Fatalf("save the wait limit: %d %s", st, body)
	}
	const sessions = 6
	var users []switchboard.ClientKey
	var claimed switchboard.Session
	for n := range sessions {
		u := in.user(fmt.Sprint("waiter", n))
		in.event(n%3, u, "hello-"+u.UserID, textPayload("hello"))
		s := in.startSession(n%3, u)
		if n == 0 {
			claimed = s
		}
		users = append(users, u)
	}
	if err := in.app(1).Engine.Claim(context.Background(), claimed.ID, "agent", "Alex"); err != nil {
		t.Fatal(err)
	}
	in.idle()
	in.clock.Advance(5*time.Minute + time.Second)
	eventually.True(t, 10*time.Second, "the unclaimed sessions to end", func() bool {
		var live map[switchboard.SessionState]int
		in.view(func(ctx context.Context, tx switchboard.Tx) (err error) {
			live, err = tx.CountLiveSessions(ctx)
			return err
		})
		return live[switchboard.SessionPending]+live[switchboard.SessionActive] == 1
	})
	in.idle()
	time.Sleep(100 * time.Millisecond) // timers that would fire twice have had their polls
	for _, u := range users[1:] {
		n := 0
		for _, m := range in.history(u) {
			if m.Sender.Kind == switchboard.SenderBot && strings.Contains(string(m.Payload.Content), "Thanks for chatting") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: the bot took the user back %d times", u.UserID, n)
		}
	}
	var ended []switchboard.Session
	in.view(func(ctx context.Context, tx switchboard.Tx) (err error) {
		ended, err = tx.ListSessions(ctx, switchboard.SessionFilter{States: []switchboard.SessionState{switchboard.SessionEnded}})
		return err
	})
	for _, s := range ended {
		if s.EndReason != switchboard.EndTimeout {
			t.Errorf("session of %s ended for %q", s.Client.UserID, s.EndReason)
		}
	}
	if len(ended) != sessions-1 {
		t.Errorf("%d sessions ended, want %d", len(ended), sessions-1)
	}
	if s := in.session(claimed.ID); !s.Live() {
		t.Errorf("the claimed session ended: %+v", s)
	}
}
