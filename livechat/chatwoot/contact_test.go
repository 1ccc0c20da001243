package chatwoot_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"switchboard"
	"switchboard/livechat"
	"switchboard/livechat/chatwoot"
	"switchboard/livechat/chatwoot/chatwootsim"
)

// TestOneUserIsOneContact opens sessions for users the account knows in
// several ways: each maps to one contact, made once; a phone Chatwoot
// would refuse is left out rather than failing the contact.
func TestOneUserIsOneContact(t *testing.T) {
	sim := chatwootsim.New(chatwootsim.Config{})
	// The first search for the racer misses (another process creates the
	// contact in between): creating answers 422 and the search runs again.
	var missed atomic.Bool
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/contacts/search") && strings.Contains(r.URL.Query().Get("q"), "racer") && !missed.Swap(true) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"meta":{"count":0,"current_page":1},"payload":[]}`))
			return
		}
		// A Chatwoot stricter than E.164 refuses this phone.
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/contacts") {
			var body bytes.Buffer
			body.ReadFrom(r.Body)
			if strings.Contains(body.String(), "+19999999999") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(422)
				w.Write([]byte(`{"message":"Phone number is invalid","attributes":["phone_number"]}`))
				return
			}
			r.Body = io.NopCloser(&body)
		}
		sim.ServeHTTP(w, r)
	}))
	defer hs.Close()
	sim.URL = hs.URL
	defer sim.Close()
	c := chatwoot.New(chatwoot.Options{})
	settings := checked(t, c, sim).Resolve()
	inbox := int64(settings.Chatwoot.InboxID)

	create := func(body map[string]any) {
		body["inbox_id"] = inbox
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", hs.URL+"/api/v1/accounts/1/contacts", bytes.NewReader(raw))
		req.Header.Set("api_access_token", chatwootsim.DefaultUser.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("create contact: %v %v", err, resp)
		}
		resp.Body.Close()
	}
	create(map[string]any{"name": "Known Shopper", "email": "known@example.com"})
	create(map[string]any{"name": "Caller", "phone_number": "+442079460958"})
	// The racer's contact exists under its identifier: the search misses it.
	create(map[string]any{"name": "Racer", "identifier": livechat.UserKey(switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "racer"})})

	open := func(id, user string, meta map[string]string) string {
		t.Helper()
		raw, _ := json.Marshal(meta)
		conv, err := c.Open(t.Context(), livechat.OpenRequest{
			Session: switchboard.Session{ID: id, Client: switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: user}, Metadata: raw},
			BotName: "Shop bot", Channel: switchboard.ChannelWebapp, Metadata: raw, Settings: settings,
		})
		if err != nil {
			t.Fatalf("Open %s: %v", id, err)
		}
		return conv
	}
	open("s1", "ada", map[string]string{"firstname": "Ada", "email": "ada@example.com", "phone": "+44 7700 900123"})
	open("s2", "ada", map[string]string{"firstname": "Ada"}) // same user, no email this time
	open("s3", "known", map[string]string{"email": "KNOWN@example.com"})
	open("s4", "caller", map[string]string{"phone": "+44 20 7946 0958"})
	open("s5", "racer", nil)
	open("s6", "bad-phone", map[string]string{"name": "Bad Phone", "phone": "12345"})
	open("s7", "anon-12345678-xyz", nil)
	open("s8", "strict", map[string]string{"name": "Strict Phone", "phone": "+1 999 999 9999"})

	contacts := sim.Contacts()
	if len(contacts) != 7 {
		t.Fatalf("contacts = %d, want 7 (3 known, Ada, Bad Phone, the anonymous user, Strict Phone): %+v", len(contacts), contacts)
	}
	owner := map[string]int64{}
	for _, cv := range sim.Conversations() {
		owner[cv.SourceID] = cv.ContactID
	}
	if owner["s1"] != owner["s2"] || owner["s3"] != contacts[0].ID || owner["s4"] != contacts[1].ID || owner["s5"] != contacts[2].ID {
		t.Errorf("conversation owners %v, contacts %+v", owner, contacts)
	}
	ada := contacts[3]
	if ada.Name != "Ada" || ada.PhoneNumber != "+447700900123" || ada.Identifier != "switchboard:b/c/ada" || ada.AdditionalAttributes["firstname"] != "Ada" {
		t.Errorf("Ada = %+v", ada)
	}
	if bad := contacts[4]; bad.Name != "Bad Phone" || bad.PhoneNumber != "" {
		t.Errorf("a contact with a phone Chatwoot refuses = %+v", bad)
	}
	if anon := contacts[5]; !strings.HasPrefix(anon.Name, "Chat user anon-123") || anon.Email != "" {
		t.Errorf("anonymous contact = %+v", anon)
	}
	if strict := contacts[6]; strict.Name != "Strict Phone" || strict.PhoneNumber != "" {
		t.Errorf("a contact whose phone Chatwoot refused = %+v", strict)
	}
	if !missed.Load() {
		t.Error("the race was not played")
	}
}
