package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/channel"
	"switchboard/channel/whatsapp/whatsappsim"
)

// startWhatsAppSim runs a WhatsApp simulator for the test.
func startWhatsAppSim(t *testing.T) *whatsappsim.Sim {
	t.Helper()
	sim := whatsappsim.New(whatsappsim.Config{PhoneNumberID: "106540352242922", DisplayPhoneNumber: "15550100", AccessToken: "wa-token", AppSecret: "wa-secret", VerifyToken: "wa-verify"})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	return sim
}

// newChannel adds a messaging channel of type typ to the demo bot and
// returns its id.
func (c *client) newChannel(typ string, settings map[string]any) string {
	c.f.t.Helper()
	var created struct {
		Channel struct {
			ID string `json:"id"`
		} `json:"channel"`
	}
	c.must("POST", "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": typ, typ: settings}, http.StatusCreated, &created)
	return created.Channel.ID
}

// checks runs the check of channel id and wants its result: ok or not,
// saying want.
func (c *client) checks(id string, wantOK bool, want string) {
	c.f.t.Helper()
	var r channel.CheckResult
	c.must("POST", "/v1/admin/channels/"+id+"/check", nil, http.StatusOK, &r)
	if r.OK != wantOK || !strings.Contains(r.Message, want) {
		c.f.t.Errorf("check → %+v, want ok=%v saying %q", r, wantOK, want)
	}
}

// TestWhatsAppChannelEditAndCheck: the check says in words whether the
// Graph API (the simulator) takes the channel's credentials; an edit that
// leaves the secrets out keeps them, and one with a new token changes what
// the check finds.
func TestWhatsAppChannelEditAndCheck(t *testing.T) {
	sim := startWhatsAppSim(t)
	f := newFixture(t)
	c := f.script()
	id := c.newChannel("whatsapp", map[string]any{
		"phone_number_id": "106540352242922", "access_token": "wa-token", "app_secret": "wa-secret", "verify_token": "wa-verify", "api_base": sim.URL() + "/v21.0"})
	check := func(wantOK bool, want string) { t.Helper(); c.checks(id, wantOK, want) }
	check(true, "15550100")

	var edited map[string]any
	c.must("PUT", "/v1/admin/channels/"+id, map[string]any{"name": "Support line", "whatsapp": map[string]any{"access_token": "", "template": map[string]string{"name": "hello_world", "language": "en_US"}}}, http.StatusOK, &edited)
	if edited["name"] != "Support line" || edited["whatsapp"].(map[string]any)["template"] == nil {
		t.Errorf("edited: %v", edited)
	}
	check(true, "Switchboard simulator")

	c.must("PUT", "/v1/admin/channels/"+id, map[string]any{"whatsapp": map[string]any{"access_token": "a wrong token"}}, http.StatusOK, nil)
	check(false, "refuses the access token")
	c.must("PUT", "/v1/admin/channels/"+id, map[string]any{"whatsapp": map[string]any{"access_token": "wa-token", "phone_number_id": "999"}}, http.StatusOK, nil)
	check(false, "phone_number_id 999 is not a number this token can read")
	c.must("PUT", "/v1/admin/channels/"+id, map[string]any{"whatsapp": map[string]any{"phone_number_id": "106540352242922"}}, http.StatusOK, nil)
	sim.SetOutage(true)
	check(false, "try again later")
	sim.SetOutage(false)
	check(true, "The token works")

	if msg := c.fails("PUT", "/v1/admin/channels/"+id, map[string]any{"whatsapp": map[string]any{"api_base": "ftp://x"}}, "", http.StatusBadRequest); !strings.Contains(msg, "whatsapp.api_base") {
		t.Errorf("bad api_base: %s", msg)
	}
	check(true, "The token works") // the refused edit changed nothing
	var api struct {
		Channel struct {
			ID string `json:"id"`
		} `json:"channel"`
	}
	c.must("POST", "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": "api"}, http.StatusCreated, &api)
	if msg := c.fails("POST", "/v1/admin/channels/"+api.Channel.ID+"/check", nil, "", http.StatusBadRequest); !strings.Contains(msg, "only messaging channels") {
		t.Errorf("check of an API channel: %s", msg)
	}
	if msg := c.fails("PUT", "/v1/admin/channels/"+api.Channel.ID, map[string]any{"whatsapp": map[string]any{"access_token": "x"}}, "", http.StatusBadRequest); !strings.Contains(msg, "not api") {
		t.Errorf("whatsapp settings on an API channel: %s", msg)
	}
}
