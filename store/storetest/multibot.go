package storetest

import (
	"testing"

	"switchboard"
)

// multibotTests cover what goto ... in bot keeps: the bots a channel may
// switch to, and the bot running a conversation.
var multibotTests = []test{
	{"ChannelKeepsItsBots", func(t *testing.T, s switchboard.Store) {
		c := switchboard.Channel{ID: "c1", BotID: "b", Type: switchboard.ChannelWebapp, Name: "Web", CreatedAt: at(0),
			Multibot: switchboard.MultiBots{{ID: "sales", Name: "Sales bot"}, {ID: "faq"}}}
		update(t, s, func(tx switchboard.Tx) error { return tx.PutChannel(t.Context(), &c) })
		got := read(t, s, func(tx switchboard.Tx) (*switchboard.Channel, error) { return tx.Channel(t.Context(), "c1") })
		equal(t, "Channel", got, &c)
		c.Multibot = nil
		update(t, s, func(tx switchboard.Tx) error { return tx.PutChannel(t.Context(), &c) })
		got = read(t, s, func(tx switchboard.Tx) (*switchboard.Channel, error) { return tx.Channel(t.Context(), "c1") })
		equal(t, "Channel without bots", got, &c)
	}},
	{"ConversationKeepsItsRunningBot", func(t *testing.T, s switchboard.Store) {
		c := conversation("conv1", key(1), at(0))
		c.RunningBot = "sales"
		putConversations(t, s, &c)
		equal(t, "FindOpenConversation", findOpen(t, s, key(1)), &c)
		c.RunningBot = "faq"
		putConversations(t, s, &c)
		equal(t, "after a second switch", findOpen(t, s, key(1)), &c)
		c.RunningBot, c.Status = "", switchboard.ConversationClosed
		putConversations(t, s, &c)
		list := read(t, s, func(tx switchboard.Tx) ([]switchboard.Conversation, error) {
			return tx.ClientConversations(t.Context(), key(1), 10, 0)
		})
		equal(t, "closed, back to the client's bot", list, []switchboard.Conversation{c})
	}},
}
