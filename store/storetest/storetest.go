// Package storetest is the conformance suite of switchboard.Store: one set of
// tests that every store (SQLite, PostgreSQL) runs, so they all keep the same
// promises. A store's own test calls Run with a function that opens a fresh,
// empty store:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) switchboard.Store {
//			db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "db"), sqlite.Options{})
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { db.Close() })
//			return db
//		})
//	}
//
// The suite checks what the doc comments of switchboard.Store promise, and
// pins down the few things they leave open, so that every store behaves the
// same (see the tests of each group).
package storetest

import (
	"testing"

	"switchboard"
)

// test is one conformance test; it gets a fresh, empty store.
type test struct {
	name string
	fn   func(t *testing.T, s switchboard.Store)
}

// Run runs the whole suite, opening a fresh store for every test. open must
// return an empty store and arrange for it to be closed when t ends.
func Run(t *testing.T, open func(t *testing.T) switchboard.Store) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"Bot", botTests},
		{"Channel", channelTests},
		{"Client", clientTests},
		{"ClientState", clientStateTests},
		{"Conversation", conversationTests},
		{"Memory", memoryTests},
		{"Message", messageTests},
		{"Usage", usageTests},
		{"Session", sessionTests},
		{"Search", searchTests},
		{"Job", jobTests},
		{"Timer", timerTests},
		{"Agent", agentTests},
		{"Setting", settingTests},
		{"Dedup", dedupTests},
		{"Time", timeTests},
		{"Tx", txTests},
		{"Concurrency", concurrencyTests},
		{"APIChannel", apiChannelTests},
		{"BotVersions", botVersionTests},
		{"SettingNames", settingNameTests},
		{"AdminAgent", adminAgentTests},
		{"Stats", statsTests},
		{"ForgetSeen", forgetSeenTests},
		{"Monitor", monitorTests},
		{"Multibot", multibotTests},
		{"Text", textTests},
		{"Erase", eraseTests},
		{"CSAT", csatTests},
		{"Sent", sentTests},
		{"Attachment", attachmentTests},
		{"Queue", queueTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tt := range g.tests {
				t.Run(tt.name, func(t *testing.T) {
					tt.fn(t, open(t))
				})
			}
		})
	}
}
