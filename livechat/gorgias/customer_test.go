package gorgias_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/gorgias"
	"switchboard/livechat/gorgias/gorgiassim"
)

// open opens a ticket for a user with metadata.
func open(t *testing.T, c *gorgias.Client, settings livechat.Resolved, sessionID, userID string, meta map[string]string) {
	t.Helper()
	raw, _ := json.Marshal(meta)
	_, err := c.Open(t.Context(), livechat.OpenRequest{
		Session: switchboard.Session{ID: sessionID, Client: switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: userID}, Metadata: raw},
		BotName: "Shop bot", Channel: switchboard.ChannelWebapp, Metadata: raw, Settings: settings,
	})
	if err != nil {
		t.Fatalf("Open %s: %v", sessionID, err)
	}
}

// TestOneUserIsOneCustomer opens sessions for users the account knows in
// several ways: each maps to one customer, made once.
func TestOneUserIsOneCustomer(t *testing.T) {
	sim := gorgiassim.New(gorgiassim.Config{RateLimit: -1})
	// The first search by email misses (the customer is created by another
	// process in between): creating answers 409 and the search is made again.
	var missed atomic.Bool
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" && r.URL.Query().Get("email") == "race@example.com" && !missed.Swap(true) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"data":[],"meta":{"next_cursor":null,"prev_cursor":null}}`))
			return
		}
		sim.ServeHTTP(w, r)
	}))
	defer hs.Close()
	sim.URL = hs.URL
	settings := settingsFor(sim, true)
	c := gorgias.New(gorgias.Options{})

	// Known by the shop before: the customer with the same email is used.
	post := func(body string) {
		req, _ := http.NewRequest("POST", hs.URL+"/api/customers", bytes.NewBufferString(body))
		req.SetBasicAuth(gorgiassim.DefaultUser.Email, gorgiassim.DefaultUser.APIKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("create customer: %v %v", err, resp)
		}
		resp.Body.Close()
	}
	post(`{"name":"Known Shopper","email":"known@example.com","channels":[{"type":"email","address":"known@example.com","preferred":true}]}`)
	post(`{"name":"Racer","email":"race@example.com","channels":[{"type":"email","address":"race@example.com","preferred":true}]}`)

	open(t, c, settings, "s1", "ada", map[string]string{"firstname": "Ada", "email": "ada@example.com"})
	open(t, c, settings, "s2", "ada", map[string]string{"firstname": "Ada"}) // same user, no email this time
	open(t, c, settings, "s3", "known", map[string]string{"email": "KNOWN@example.com"})
	open(t, c, settings, "s4", "racer", map[string]string{"email": "race@example.com"})
	open(t, c, settings, "s5", "anon-12345678-xyz", nil)
	open(t, c, settings, "s6", "typo", map[string]string{"name": "Typo", "email": "typo@"}) // Gorgias refuses that email

	customers := sim.Customers()
	if len(customers) != 5 {
		t.Fatalf("customers = %d, want 5 (2 known, Ada, the anonymous user, the user with a wrong email)", len(customers))
	}
	owner := map[string]int64{}
	for _, tk := range sim.Tickets() {
		owner[*tk.ExternalID] = tk.Customer.ID
	}
	if owner["s1"] != owner["s2"] || owner["s3"] != customers[0].ID || owner["s4"] != customers[1].ID {
		t.Errorf("ticket owners %v, customers %d %d", owner, customers[0].ID, customers[1].ID)
	}
	anon := customers[3]
	if anon.Name == nil || !strings.HasPrefix(*anon.Name, "Chat user anon-123") || anon.Email != nil {
		t.Errorf("anonymous customer = %+v", anon)
	}
	// Gorgias requires channels: the anonymous user has a chat channel
	// named by switchboard's user key, and nothing that reaches anyone.
	if len(anon.Channels) != 1 || anon.Channels[0].Type != "chat" || anon.Channels[0].Address != "switchboard:b/c/anon-12345678-xyz" {
		t.Errorf("anonymous customer's channels = %+v", anon.Channels)
	}
	if typo := customers[4]; typo.Email != nil || len(typo.Channels) != 1 || typo.Channels[0].Type != "chat" || !strings.Contains(strOr(typo.Note), "email: typo@") {
		t.Errorf("the customer of a user whose email is not one = %+v", typo)
	}
	if !missed.Load() {
		t.Error("the race was not played")
	}
}

func strOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
