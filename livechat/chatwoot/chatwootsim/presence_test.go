package chatwootsim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAgentsListTheirAvailabilityAsChatwootRendersIt(t *testing.T) {
	s, err := Start("", Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list := func() []map[string]any {
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/accounts/1/agents", nil)
		req.Header.Set("api_access_token", DefaultUser.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out []map[string]any
		if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&out) != nil {
			t.Fatalf("GET agents: %d", res.StatusCode)
		}
		return out
	}
	if a := list(); len(a) != 1 || a[0]["availability_status"] != "online" || a[0]["email"] != DefaultUser.Email || a[0]["role"] == nil {
		t.Fatalf("agents: %v", a)
	}
	res, err := http.Post(s.URL+"/_sim/users/1/availability", "application/json", strings.NewReader(`{"availability_status":"busy"}`))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("set availability: %v %v", res, err)
	}
	res.Body.Close()
	if a := list(); a[0]["availability_status"] != "busy" {
		t.Fatalf("after busy: %v", a)
	}
	if err := s.SetAvailability(1, "asleep"); err == nil || !strings.Contains(err.Error(), "online, busy or offline") {
		t.Errorf("a made-up status: %v", err)
	}
}
