package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard"
	"switchboard/app"
)

// noAllowList is a server as it runs by default: callbacks reach public
// addresses only.
func noAllowList(c *app.Config) { c.CallbackAllow = nil }

// TestCallbackURLsToInternalAddressesAreRefused: a callback URL whose host
// is an internal address is refused with a 400 that says what to do, and
// changes nothing; listed in callback_allow, it is accepted.
func TestCallbackURLsToInternalAddressesAreRefused(t *testing.T) {
	f := newFixtureWith(t, noAllowList)
	for _, u := range []string{
		"http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/",
		"http://localhost:9/", "https://10.0.0.7/hook", "http://[::ffff:127.0.0.1]:9/", "http://0.0.0.0:9/",
	} {
		body := event("ssrf", "text", map[string]any{"text": "hi"}, map[string]any{"callback_url": u})
		code, msg := f.errorOf("POST", "/v1/api/chat", f.fresh(), body, http.StatusBadRequest)
		if code != "invalid" || !strings.Contains(msg, "callback_allow") {
			t.Errorf("%s: %s %q", u, code, msg)
		}
	}
	ctx := context.Background()
	var client *switchboard.Client
	_ = f.app.Store.View(ctx, func(tx switchboard.Tx) (err error) {
		client, err = tx.FindClient(ctx, switchboard.ClientKey{BotID: "echo", ChannelID: f.channel.ID, UserID: "ssrf"})
		return err
	})
	if client != nil {
		t.Errorf("a refused request saved the client: %+v", client)
	}

	allowed := newFixtureWith(t, func(c *app.Config) { c.CallbackAllow = []string{"127.0.0.1:9"} })
	allowed.chat(allowed.fresh(), event("own", "text", map[string]any{"text": "hi"}, map[string]any{"callback_url": "http://127.0.0.1:9/hook"}))
}

// TestCallbacksAreNotDialledToInternalAddresses: a callback URL that reaches
// an internal address only once resolved (here one stored before the check
// existed; a DNS name would do the same) is checked where it is dialled:
// the receiver is never called and the message is given up at once, kept
// in the history.
func TestCallbacksAreNotDialledToInternalAddresses(t *testing.T) {
	f := newFixtureWith(t, noAllowList)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	ctx := context.Background()
	key := switchboard.ClientKey{BotID: "echo", ChannelID: f.channel.ID, UserID: "old"}
	err := f.app.Store.Update(ctx, func(tx switchboard.Tx) error {
		return tx.PutClient(ctx, &switchboard.Client{Key: key, Metadata: []byte(`{"name":"Old"}`), CallbackURL: srv.URL + "/hook", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	f.call("POST", "/v1/api/broadcasts", f.fresh(), event("old", "flow_trigger", map[string]any{"flow_id": "News"}, nil), nil)
	waitFor(t, "the callback to be given up", func() bool {
		return strings.Count(f.logs.String(), "address not allowed") >= 2 // both news messages
	})
	if hits.Load() != 0 {
		t.Errorf("the internal receiver was called %d times", hits.Load())
	}
}

// TestCallbackRedirectsAreNotFollowed: a receiver that redirects gets the
// message once; the target of the redirect never does.
func TestCallbackRedirectsAreNotFollowed(t *testing.T) {
	f := newFixture(t)
	var hits, redirected atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { redirected.Add(1) }))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, target.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	body := event("moved", "flow_trigger", map[string]any{"flow_id": "News"}, map[string]any{"callback_url": srv.URL, "metadata": map[string]string{"name": "Mo"}})
	f.call("POST", "/v1/api/broadcasts", f.fresh(), body, nil)
	waitFor(t, "both messages to be given up", func() bool { return strings.Count(f.logs.String(), "does not follow") >= 2 })
	if hits.Load() != 2 || redirected.Load() != 0 {
		t.Errorf("receiver called %d times (want 2: once per message), redirect target %d (want 0)", hits.Load(), redirected.Load())
	}
}
