package channel_test

import (
	"encoding/json"
	"strings"
	"testing"

	"switchboard"
	"switchboard/channel"
	"switchboard/secrets"
)

// toy are a driver's settings: a setting, a secret the operator gives and
// one switchboard makes.
type toy struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	Made  string `json:"made,omitempty"`
}

func (s *toy) secrets() map[string]*string {
	return map[string]*string{"token": &s.Token, "made": &s.Made}
}

func (s *toy) check() error {
	if s.URL == "" {
		return switchboard.Errorf(switchboard.EINVALID, "toy.url is missing")
	}
	return nil
}

// TestEditSettings: an edit reads over the stored settings; a secret left
// out or empty keeps its value, a new one replaces it, a made secret
// cannot change, and a refused edit (unknown member, failed check) says
// why.
func TestEditSettings(t *testing.T) {
	ring, err := secrets.New(secrets.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	stored, err := channel.SetupSettings("toy", json.RawMessage(`{"url":"https://a","token":"t1"}`), ring, "channel:x", "url, token", (*toy).secrets, (*toy).check)
	var sealed toy
	if err != nil || json.Unmarshal(stored, &sealed) != nil || sealed.Token == "t1" || !strings.HasPrefix(sealed.Token, "sb1:") {
		// The token must be stored sealed; a sealed value may hold "t1" by chance.
		t.Fatalf("setup: %s %v", stored, err)
	}
	edit := func(raw string) (toy, error) {
		out, err := channel.EditSettings("toy", stored, json.RawMessage(raw), ring, "channel:x", "url, token", (*toy).secrets, []string{"made"}, (*toy).check)
		var s toy
		if err == nil {
			_ = json.Unmarshal(out, &s)
			err = channel.OpenFields(ring, "channel:x", s.secrets())
		}
		return s, err
	}
	for raw, want := range map[string]toy{
		`{"url":"https://b"}`:              {URL: "https://b", Token: "t1"},
		`{"token":""}`:                     {URL: "https://a", Token: "t1"},
		`{"token":"t2"}`:                   {URL: "https://a", Token: "t2"},
		`{"made":"","url":"https://c"}`:    {URL: "https://c", Token: "t1"},
		`{"url":"https://a","token":"t1"}`: {URL: "https://a", Token: "t1"},
	} {
		if got, err := edit(raw); err != nil || got != want {
			t.Errorf("edit %s → %+v %v, want %+v", raw, got, err, want)
		}
	}
	for raw, says := range map[string]string{
		`{"made":"mine"}`:  "toy.made is not a setting",
		`{"colour":"red"}`: "unknown field",
		`{"url":""}`:       "toy.url is missing",
	} {
		if _, err := edit(raw); switchboard.ErrorCode(err) != switchboard.EINVALID || !strings.Contains(err.Error(), says) {
			t.Errorf("edit %s → %v, want EINVALID saying %q", raw, err, says)
		}
	}
}
