package livechat_test

import (
	"encoding/json"
	"strings"
	"testing"

	"switchboard"
	"switchboard/livechat"
)

func TestUserInfoReadsTheUsualSpellings(t *testing.T) {
	u := livechat.ReadUserInfo(json.RawMessage(`{"first_name":" Ada ","lastname":"Lovelace","phone_number":"+44 20","email":"ada@example.com","plan":"gold"}`))
	if u.First != "Ada" || u.Last != "Lovelace" || u.Phone != "+44 20" || u.DisplayName() != "Ada Lovelace" || u.Meta["plan"] != "gold" {
		t.Errorf("ReadUserInfo = %+v (%q)", u, u.DisplayName())
	}
	if u := livechat.ReadUserInfo(json.RawMessage(`[1]`)); u.DisplayName() != "" {
		t.Errorf("odd metadata gave %+v", u)
	}
	if u := livechat.ReadUserInfo(json.RawMessage(`{"email":"x@example.com"}`)); u.DisplayName() != "x@example.com" {
		t.Errorf("display name of an email only = %q", u.DisplayName())
	}
	if got := livechat.ReadUserInfo(nil).Label("anon-12345678-xyz"); got != "Chat user anon-123" {
		t.Errorf("Label of nobody = %q", got)
	}
	k := switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u"}
	if got := livechat.UserKey(k); got != "switchboard:b/c/u" {
		t.Errorf("UserKey = %q", got)
	}
	k.UserID = strings.Repeat("x", 300)
	if got := livechat.UserKey(k); len(got) != len("switchboard:")+64 {
		t.Errorf("a long key is %d long: %q", len(got), got)
	}
}
