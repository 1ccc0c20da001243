package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/channel"
	"switchboard/channel/messenger/messengersim"
	"switchboard/channel/twilio/twiliosim"
)

// TestChannelTypesDescribeTheForms: GET /v1/admin/channel-types lists every
// messaging type the server runs with its display name, what to do with the
// webhook URL and its fields, secrets marked; and every field it lists is a
// setting its type takes (POST names no unknown field).
func TestChannelTypesDescribeTheForms(t *testing.T) {
	f := newFixture(t)
	c := f.script()
	var out struct {
		Types []channel.TypeInfo `json:"types"`
	}
	c.must("GET", "/v1/admin/channel-types", nil, http.StatusOK, &out)
	byType := map[string]channel.TypeInfo{}
	for _, ti := range out.Types {
		byType[string(ti.Type)] = ti
		if ti.Name == "" || ti.Webhook == "" || len(ti.Fields) == 0 || !ti.Editable {
			t.Errorf("%s is described as %+v", ti.Type, ti)
		}
		settings := map[string]any{}
		for _, fd := range ti.Fields {
			if fd.Name == "" || fd.Label == "" || fd.Kind == "" {
				t.Errorf("%s has a field without name, label or kind: %+v", ti.Type, fd)
			}
			var v any = "x"
			switch fd.Kind {
			case channel.FieldBool:
				v = true
			case channel.FieldNumber:
				v = 1
			}
			if fd.Object != "" {
				o, _ := settings[fd.Object].(map[string]any)
				if o == nil {
					o = map[string]any{}
					settings[fd.Object] = o
				}
				o[fd.Name] = v
			} else {
				settings[fd.Name] = v
			}
		}
		msg := c.fails("POST", "/v1/admin/channels", map[string]any{"bot_id": "livechat-demo", "type": ti.Type, string(ti.Type): settings}, "", http.StatusBadRequest)
		if strings.Contains(msg, "unknown field") || strings.Contains(msg, "do not read") {
			t.Errorf("%s: the settings its fields describe are refused as unknown: %s", ti.Type, msg)
		}
	}
	for _, typ := range []string{"whatsapp", "telegram", "messenger", "instagram", "twilio", "chatwoot"} {
		if _, ok := byType[typ]; !ok {
			t.Errorf("%s is not described", typ)
		}
	}
	kinds := map[string]string{}
	for _, fd := range byType["whatsapp"].Fields {
		kinds[fd.Object+"."+fd.Name] = fd.Kind
	}
	if kinds[".access_token"] != channel.FieldSecret || kinds[".phone_number_id"] != channel.FieldText || kinds["template.language"] != channel.FieldText {
		t.Errorf("whatsapp's fields: %v", kinds)
	}
	if !strings.Contains(byType["telegram"].Webhook, "registered it with Telegram itself") || !strings.Contains(byType["chatwoot"].Webhook, "Outgoing URL") {
		t.Errorf("what to do with the URL: telegram %q, chatwoot %q", byType["telegram"].Webhook, byType["chatwoot"].Webhook)
	}
}

// TestMessagingChannelEdits: PUT takes any messaging type's settings under
// its name (here SMS and Instagram, against their simulators): a secret
// left out or empty keeps its value (the check still passes), a changed
// one is used and the check says what is wrong with it, and another
// type's settings are refused.
func TestMessagingChannelEdits(t *testing.T) {
	sim := twiliosim.New(twiliosim.Config{})
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	f := newFixture(t)
	c := f.script()
	id := c.newChannel("twilio", map[string]any{
		"account_sid": twiliosim.DefaultAccountSID, "auth_token": twiliosim.DefaultAuthToken, "from": twiliosim.DefaultNumber, "api_base": sim.URL()})
	check := func(wantOK bool, want string) { t.Helper(); c.checks(id, wantOK, want) }
	check(true, "account Switchboard simulator")
	var edited map[string]any
	c.must("PUT", "/v1/admin/channels/"+id, map[string]any{"twilio": map[string]any{"auth_token": "", "from": "+15017122661"}}, http.StatusOK, &edited)
	if tw, _ := edited["twilio"].(map[string]any); tw["from"] != "+15017122661" || tw["auth_token"] != nil {
		t.Errorf("edited: %v", edited)
	}
	check(true, "texting from +15017122661")
	c.must("PUT", "/v1/admin/channels/"+id, map[string]any{"twilio": map[string]any{"auth_token": "a-wrong-token"}}, http.StatusOK, nil)
	check(false, "refuses the Account SID and Auth Token")
	if msg := c.fails("PUT", "/v1/admin/channels/"+id, map[string]any{"twilio": map[string]any{"from": "555"}}, "", http.StatusBadRequest); !strings.Contains(msg, "twilio.from") {
		t.Errorf("a bad number: %s", msg)
	}
	if msg := c.fails("PUT", "/v1/admin/channels/"+id, map[string]any{"whatsapp": map[string]any{"access_token": "x"}}, "", http.StatusBadRequest); !strings.Contains(msg, "not twilio") {
		t.Errorf("whatsapp settings on an SMS channel: %s", msg)
	}
	if msg := c.fails("PUT", "/v1/admin/channels/"+id, map[string]any{"colour": "red"}, "", http.StatusBadRequest); !strings.Contains(msg, `unknown field "colour"`) {
		t.Errorf("an unknown member: %s", msg)
	}

	ig := messengersim.New(messengersim.Config{Instagram: true})
	if err := ig.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ig.Close)
	id = c.newChannel("instagram", map[string]any{
		"instagram_id": messengersim.DefaultInstagramID, "page_access_token": messengersim.DefaultPageAccessToken, "app_secret": "ig-secret", "verify_token": "ig-verify", "api_base": ig.URL() + "/v21.0"})
	check(true, "Instagram account "+messengersim.DefaultInstagramID+" (Switchboard simulator)")
	c.must("PUT", "/v1/admin/channels/"+id, map[string]any{"instagram": map[string]any{"human_agent_tag": true, "app_secret": ""}}, http.StatusOK, &edited)
	if in, _ := edited["instagram"].(map[string]any); in["human_agent_tag"] != true || in["instagram_id"] != messengersim.DefaultInstagramID {
		t.Errorf("edited: %v", edited)
	}
	check(true, "The token works")
	c.must("PUT", "/v1/admin/channels/"+id, map[string]any{"instagram": map[string]any{"instagram_id": "17841400000000000"}}, http.StatusOK, nil)
	check(false, "instagram_id 17841400000000000 is not an Instagram account this token can read")
	c.must("PUT", "/v1/admin/channels/"+id, map[string]any{"instagram": map[string]any{"instagram_id": messengersim.DefaultInstagramID, "page_access_token": "a wrong token"}}, http.StatusOK, nil)
	check(false, "refuses the access token")
	if msg := c.fails("PUT", "/v1/admin/channels/"+id, map[string]any{"instagram": map[string]any{"page_id": "1"}}, "", http.StatusBadRequest); !strings.Contains(msg, "instagram.page_id is not a setting") {
		t.Errorf("a Messenger setting on an Instagram channel: %s", msg)
	}
}
