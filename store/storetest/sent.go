package storetest

import (
	"testing"
	"time"

	"switchboard"
)

// The tests of what messaging channels keep: the native messages they sent
// with their receipts, and the removal of a channel.

func findSent(t *testing.T, s switchboard.Store, channelID, platformID string) *switchboard.Sent {
	t.Helper()
	return read(t, s, func(tx switchboard.Tx) (*switchboard.Sent, error) {
		return tx.FindSent(t.Context(), channelID, platformID)
	})
}

var sentTests = []test{
	{"RecordFindAndUpdate", func(t *testing.T, s switchboard.Store) {
		k := switchboard.ClientKey{BotID: "b", ChannelID: "wa", UserID: "16315551181"}
		first := switchboard.Sent{ChannelID: "wa", PlatformID: "wamid.1", MessageID: 7, Client: k, Part: 0, Status: switchboard.SentAccepted, UpdatedAt: at(0)}
		second := switchboard.Sent{ChannelID: "wa", PlatformID: "wamid.2", MessageID: 7, Client: k, Part: 1, Status: switchboard.SentAccepted, UpdatedAt: at(0)}
		update(t, s, func(tx switchboard.Tx) error {
			if err := tx.PutSent(t.Context(), &second); err != nil {
				return err
			}
			return tx.PutSent(t.Context(), &first)
		})
		equal(t, "FindSent", findSent(t, s, "wa", "wamid.1"), &first)
		if got := findSent(t, s, "other", "wamid.1"); got != nil {
			t.Errorf("FindSent of another channel = %+v, want nil", got)
		}
		equal(t, "SentOf", read(t, s, func(tx switchboard.Tx) ([]switchboard.Sent, error) { return tx.SentOf(t.Context(), 7) }), []switchboard.Sent{first, second})
		first.Status, first.Error, first.UpdatedAt = switchboard.SentFailed, "131047 Re-engagement message", at(5*time.Second)
		update(t, s, func(tx switchboard.Tx) error { return tx.PutSent(t.Context(), &first) })
		equal(t, "FindSent after a receipt", findSent(t, s, "wa", "wamid.1"), &first)
	}},
	{"ErasedWithTheClient", func(t *testing.T, s switchboard.Store) {
		k := switchboard.ClientKey{BotID: "b", ChannelID: "wa", UserID: "u"}
		update(t, s, func(tx switchboard.Tx) error {
			return tx.PutSent(t.Context(), &switchboard.Sent{ChannelID: "wa", PlatformID: "wamid.1", MessageID: 1, Client: k, Status: switchboard.SentRead, UpdatedAt: at(0)})
		})
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteClientData(t.Context(), k) })
		if got := findSent(t, s, "wa", "wamid.1"); got != nil {
			t.Errorf("FindSent after DeleteClientData = %+v, want nil", got)
		}
	}},
	{"DeleteChannel", func(t *testing.T, s switchboard.Store) {
		putChannels(t, s, switchboard.Channel{ID: "wa", BotID: "b", Type: "whatsapp", Name: "WhatsApp", CreatedAt: at(0)})
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteChannel(t.Context(), "wa") })
		err := s.View(t.Context(), func(tx switchboard.Tx) error { _, err := tx.Channel(t.Context(), "wa"); return err })
		wantCode(t, "Channel after DeleteChannel", err, switchboard.ENOTFOUND)
		err = s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.DeleteChannel(t.Context(), "wa") })
		wantCode(t, "DeleteChannel twice", err, switchboard.ENOTFOUND)
	}},
}
