package webapp_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"switchboard"
	"switchboard/engine"
	"switchboard/hub"
	"switchboard/livechat"
	"switchboard/livechat/desk"
	"switchboard/outbox"
	"switchboard/store/sqlite"
	"switchboard/webapp"
)

// mainFlow is the test bot's only flow: see testdata/main.csml.
//
//go:embed testdata/main.csml
var mainFlow string

// Ids of the fixture's bot and channels.
const (
	botID     = "testbot"
	botName   = "Test Bot"
	channelID = "web1"
	apiChan   = "api1" // a channel of another type, which the webapp must not serve
)

// fixture is everything real a test talks to: a SQLite store, the hub, the
// engine with the test bot and the desk as livechat platform, and the webapp
// handler behind an HTTP server.
type fixture struct {
	store   *sqlite.DB
	hub     *hub.Hub
	engine  *engine.Engine
	handler *webapp.Handler
	server  *httptest.Server
}

// newFixture builds a fixture; extra routes are served next to the webapp's
// (the widget test's host page).
func newFixture(t *testing.T, extra map[string]http.HandlerFunc) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "switchboard.db"), sqlite.Options{Synchronous: "OFF"})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	// The server starts first: the bot's env names its URL (the cat picture).
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("GET /test/cat.png", catPicture)
	h := hub.New()
	bots := engine.NewBots()
	bot := switchboard.Bot{ID: botID, Name: botName, DefaultFlow: "main",
		Env:   json.RawMessage(`{"cat_url": "` + srv.URL + `/test/cat.png"}`),
		Flows: []switchboard.Flow{{ID: "main", Name: "main", Content: mainFlow}}}
	if _, err := bots.Put(switchboard.NewBotVersion(bot, time.Now())); err != nil {
		t.Fatalf("load test bot: %v", err)
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	e := engine.New(db, h, bots, engine.Config{Log: log,
		Providers: map[string]livechat.Provider{livechat.PlatformDesk: desk.NewProvider()}})
	err = db.Update(ctx, func(tx switchboard.Tx) error {
		for _, c := range []switchboard.Channel{
			{ID: channelID, BotID: botID, Type: switchboard.ChannelWebapp, Name: "Web", CreatedAt: time.Now()},
			{ID: apiChan, BotID: botID, Type: switchboard.ChannelAPI, Name: "API", CreatedAt: time.Now()},
		} {
			if err := tx.PutChannel(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("store channels: %v", err)
	}
	w := webapp.New(webapp.Config{Store: db, Engine: e, Subscriber: h, Secret: []byte("test secret"), Log: log})
	mux.Handle("/", w)
	for pattern, fn := range extra {
		mux.HandleFunc(pattern, fn)
	}
	t.Cleanup(func() { _ = w.Close() }) // runs first: live sockets end before the server
	return &fixture{store: db, hub: h, engine: e, handler: w, server: srv}
}

// catPicture serves a small PNG: an image a page can really show.
func catPicture(w http.ResponseWriter, _ *http.Request) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = 0xc0
	}
	w.Header().Set("Content-Type", "image/png")
	_ = png.Encode(w, img)
}

// runOutbox runs the engine's livechat jobs (opening tickets on the desk)
// until the test ends.
func (f *fixture) runOutbox(t *testing.T) {
	w := outbox.New(f.store, f.hub, switchboard.SystemClock{}, f.engine.JobHandlers(), outbox.Config{Poll: 50 * time.Millisecond}, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	w.Start(ctx)
	t.Cleanup(func() {
		cancel()
		_ = w.Stop(context.Background())
	})
}

// visitor asks the server for a new visitor.
func (f *fixture) visitor(t *testing.T) (userID, token string) {
	t.Helper()
	resp, err := http.Post(f.server.URL+"/v1/webapp/"+channelID+"/visitors", "application/json", nil)
	if err != nil {
		t.Fatalf("create visitor: %v", err)
	}
	defer resp.Body.Close()
	var v struct {
		UserID string `json:"user_id"`
		Token  string `json:"token"`
	}
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create visitor: status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.UserID == "" || v.Token == "" {
		t.Fatalf("create visitor: %+v, %v", v, err)
	}
	return v.UserID, v.Token
}

func clientKey(userID string) switchboard.ClientKey {
	return switchboard.ClientKey{BotID: botID, ChannelID: channelID, UserID: userID}
}

// history returns every stored message of a user.
func (f *fixture) history(t *testing.T, userID string) []switchboard.Message {
	t.Helper()
	var msgs []switchboard.Message
	err := f.store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		msgs, err = tx.MessagesAfter(context.Background(), clientKey(userID), 0, 10000)
		return err
	})
	if err != nil {
		t.Fatalf("read history: %v", err)
	}
	return msgs
}

// liveSession returns the user's pending or active livechat session, or nil.
func (f *fixture) liveSession(t *testing.T, userID string) *switchboard.Session {
	t.Helper()
	var s *switchboard.Session
	err := f.store.View(context.Background(), func(tx switchboard.Tx) error {
		var err error
		s, err = tx.FindLiveSession(context.Background(), clientKey(userID))
		return err
	})
	if err != nil {
		t.Fatalf("read livechat session: %v", err)
	}
	return s
}

// textOf is the text of a text message, or "".
func textOf(m switchboard.Message) string {
	var c struct {
		Text string `json:"text"`
	}
	_ = json.Unmarshal(m.Payload.Content, &c)
	return c.Text
}
