package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
	"switchboard/engine"
	"switchboard/internal/eventually"
	"switchboard/internal/testclock"
	"switchboard/livechat/gorgias"
	"switchboard/store/postgres/pgtest"
)

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func TestMetricsNameWhatHappened(t *testing.T) {
	clock := testclock.New(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	srv := startServer(t, clock, nil)
	base := srv.app.URL()
	chat := srv.chatURL()
	channel := chat[strings.LastIndex(chat, "/")+1:]
	userID, token := newVisitor(t, base, channel)
	p := openPage(t, base, channel, userID, token)
	p.send("e1", textPayload("hello"))
	p.said(switchboard.SenderBot, "demo bot")
	p.send("e2", clickPayload(switchboard.PayloadSessionStart, "Talk to a human"))
	user := switchboard.ClientKey{BotID: "livechat-demo", ChannelID: channel, UserID: userID}
	var s *switchboard.Session
	eventually.True(t, 10*time.Second, "the session to be active", func() bool {
		_ = srv.app.Store.View(context.Background(), func(tx switchboard.Tx) (err error) {
			s, err = tx.FindLiveSession(context.Background(), user)
			return err
		})
		return s != nil && s.State == switchboard.SessionActive
	})
	p.send("e3", textPayload("anyone there?"))
	if err := srv.app.Engine.Reply(context.Background(), engine.AgentReply{SessionID: s.ID, Text: "Yes!"}); err != nil {
		t.Fatal(err)
	}
	p.said(switchboard.SenderAgent, "Yes!")
	if res, err := http.Post(base+gorgias.ReceivePath+"?token=wrong", "application/json", nil); err != nil {
		t.Fatal(err)
	} else {
		res.Body.Close()
	}
	var status int
	var body string
	// The page may see an event's ack before its turn is counted, and the
	// agent's reply before its push is: wait for both to be recorded. (The
	// desk reads the user's message from the store: nothing relays it, the
	// to_agent series is measured on platforms reached through the outbox, as
	// in TestGorgiasLifecycle.)
	eventually.True(t, 5*time.Second, "the turns and the relay to the user to be recorded", func() bool {
		status, body = get(t, base+"/metrics")
		return strings.Contains(body, `switchboard_turns_total{route="livechat"} 2`) &&
			strings.Contains(body, `switchboard_relay_latency_seconds_count{direction="to_user"} 1`) &&
			strings.Contains(body, `switchboard_jobs_total{kind="livechat.open",outcome="done"} 1`)
	})
	if status != http.StatusOK {
		t.Fatalf("/metrics: %d", status)
	}
	for _, want := range []string{
		`switchboard_turns_total{route="bot"} 1`,
		`switchboard_turns_total{route="livechat"} 2`,
		`switchboard_turn_seconds_count{route="bot"} 1`,
		`switchboard_relay_latency_seconds_count{direction="to_agent"} 0`,
		`switchboard_relay_latency_seconds_count{direction="to_user"} 1`,
		`switchboard_sessions_started_total{platform="desk"} 1`,
		`switchboard_sessions{state="active"} 1`,
		`switchboard_sessions{state="pending"} 0`,
		`switchboard_outbox_pending `,
		`switchboard_outbox_dead 0`,
		`switchboard_outbox_oldest_age_seconds `,
		`switchboard_timers `,
		`switchboard_timers_due 0`,
		`switchboard_timers_overdue_seconds 0`,
		`switchboard_webhook_rejects_total{platform="gorgias",status="401"} 1`,
		`switchboard_jobs_total{kind="livechat.open",outcome="done"} 1`,
		`switchboard_store_up 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Ending the session counts its reason.
	p.send("e4", clickPayload(switchboard.PayloadSessionEnd, "End"))
	p.said(switchboard.SenderBot, "Thanks for chatting")
	// The page may see the bot's answer before the end is counted (both
	// follow the commit).
	eventually.True(t, 5*time.Second, "the session that ended to be counted", func() bool {
		_, body := get(t, base+"/metrics")
		return strings.Contains(body, `switchboard_sessions_ended_total{platform="desk",reason="user_ended"} 1`)
	})
}

// proxy forwards TCP connections to a server until it is cut, as a network
// between switchboard and its database would.
type proxy struct {
	l      net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	cut    bool
}

func newProxy(t *testing.T, target string) *proxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l, target: target}
	t.Cleanup(func() { l.Close(); p.setCut(true) })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.cut {
				c.Close()
				p.mu.Unlock()
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				p.mu.Unlock()
				continue
			}
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

// setCut cuts (closing every connection) or restores the network.
func (p *proxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	dsn := pgtest.Schema(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Skipf("%s is not a URL: %v", pgtest.Env, err)
	}
	p := newProxy(t, u.Host)
	u.Host = p.l.Addr().String()
	a, err := app.New(context.Background(), app.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Database: u.String(),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx) }()
	defer func() { cancel(); <-done }()
	ready := func() int { code, _ := get(t, a.URL()+"/readyz"); return code }
	eventually.True(t, 5*time.Second, "the server to be ready", func() bool { return ready() == http.StatusOK })
	p.setCut(true)
	eventually.True(t, 5*time.Second, "/readyz to fail without the database", func() bool { return ready() == http.StatusServiceUnavailable })
	p.setCut(false)
	eventually.True(t, 10*time.Second, "/readyz to pass with the database back", func() bool { return ready() == http.StatusOK })
}
