package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"switchboard"
)

// textTests pin down that every store refuses the same texts, with the
// same EINVALID: PostgreSQL cannot keep NUL or invalid UTF-8 and SQLite
// could, so a value one store kept and the other refused would make a
// server behave differently on each (a 500 on one, stored on the other).
var textTests = []test{
	{"NULAndInvalidUTF8AreInvalid", func(t *testing.T, s switchboard.Store) {
		for _, bad := range []string{"a\x00b", "a\xffb"} {
			cases := map[string]func(tx switchboard.Tx) error{
				"PutSavedReply": func(tx switchboard.Tx) error {
					return tx.PutSavedReply(t.Context(), &switchboard.SavedReply{ID: "r1", Title: bad, Text: "t", CreatedAt: t0})
				},
				"CreateAgent": func(tx switchboard.Tx) error {
					return tx.CreateAgent(t.Context(), &switchboard.Agent{ID: "a1", Email: "a@example.com", Name: bad, CreatedAt: t0})
				},
				"PutChannel": func(tx switchboard.Tx) error {
					return tx.PutChannel(t.Context(), &switchboard.Channel{ID: "c1", BotID: "b1", Type: switchboard.ChannelWebapp, Name: bad, CreatedAt: t0})
				},
				"Channel": func(tx switchboard.Tx) error {
					_, err := tx.Channel(t.Context(), bad)
					return err
				},
				"LatestBot": func(tx switchboard.Tx) error {
					_, err := tx.LatestBot(t.Context(), bad)
					return err
				},
				"AddMessages": func(tx switchboard.Tx) error {
					return tx.AddMessages(t.Context(), &switchboard.Message{
						Client: switchboard.ClientKey{BotID: "b1", ChannelID: "c1", UserID: "u1"}, RequestID: bad,
						Direction: switchboard.DirectionReceive, Sender: switchboard.Sender{Kind: switchboard.SenderUser},
						Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(`{"text":"hi"}`)}, CreatedAt: t0,
					})
				},
			}
			for name, fn := range cases {
				wantCode(t, fmt.Sprintf("%s(%q)", name, bad), s.Update(t.Context(), fn), switchboard.EINVALID)
			}
		}
		// Nothing was kept.
		view(t, s, func(tx switchboard.Tx) error {
			rs, err := tx.ListSavedReplies(t.Context())
			if err == nil && len(rs) != 0 {
				t.Errorf("saved replies = %v, want none", rs)
			}
			return err
		})
	}},
	{"EscapedNULInJSONIsKept", func(t *testing.T, s switchboard.Store) {
		// JSON may escape NUL; both stores keep documents as written.
		putSetting(t, s, "livechat/bot1", `{"end_message": "a\u0000b"}`)
		equal(t, "Setting", setting(t, s, "livechat/bot1"), json.RawMessage(`{"end_message": "a\u0000b"}`))
	}},
}
