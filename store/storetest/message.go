package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"switchboard"
)

// message returns a message of a client with every field set.
func message(k switchboard.ClientKey, n int, request string) switchboard.Message {
	dir, sender := switchboard.DirectionSend, switchboard.Sender{Kind: switchboard.SenderAgent, Name: "Zoé"}
	if n%2 == 0 {
		dir, sender = switchboard.DirectionReceive, switchboard.Sender{Kind: switchboard.SenderUser}
	}
	return switchboard.Message{
		Client:           k,
		ConversationID:   "conv-" + k.UserID,
		SessionID:        "sess-1",
		Direction:        dir,
		Sender:           sender,
		Payload:          text(fmt.Sprintf("message %d of %s", n, k.UserID)),
		InteractionOrder: n,
		RequestID:        request,
		CreatedAt:        at(time.Duration(n) * time.Second),
	}
}

// addMessages stores the messages, setting their ids.
func addMessages(t *testing.T, s switchboard.Store, ms []switchboard.Message) {
	t.Helper()
	update(t, s, func(tx switchboard.Tx) error {
		for i := range ms {
			if err := tx.AddMessages(t.Context(), &ms[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// history stores 5 messages of user 1 interleaved with 5 of user 2 and returns
// them per user.
func history(t *testing.T, s switchboard.Store) (mine, theirs []switchboard.Message) {
	t.Helper()
	var all []switchboard.Message
	for i := range 5 {
		all = append(all, message(key(1), i, fmt.Sprintf("req%d", i/2)), message(key(2), i, "req0"))
	}
	addMessages(t, s, all)
	for i, m := range all {
		if i%2 == 0 {
			mine = append(mine, m)
		} else {
			theirs = append(theirs, m)
		}
	}
	return mine, theirs
}

var messageTests = []test{
	{"SessionMessages", func(t *testing.T, s switchboard.Store) {
		// User 1: two messages before the session, three in it, one after;
		// user 2 has messages of a session with the same id.
		var ms []switchboard.Message
		for i, sid := range []string{"", "", "sess-9", "sess-9", "sess-9", ""} {
			m := message(key(1), i, "")
			m.SessionID = sid
			ms = append(ms, m, message(key(2), i, ""))
			ms[len(ms)-1].SessionID = "sess-9"
		}
		addMessages(t, s, ms)
		get := func(k switchboard.ClientKey, sid string, limit int) []switchboard.Message {
			return read(t, s, func(tx switchboard.Tx) ([]switchboard.Message, error) {
				return tx.SessionMessages(t.Context(), k, sid, limit)
			})
		}
		equal(t, "SessionMessages(user1, sess-9)", get(key(1), "sess-9", 10), []switchboard.Message{ms[4], ms[6], ms[8]})
		equal(t, "SessionMessages(user1, sess-9, limit 2)", get(key(1), "sess-9", 2), []switchboard.Message{ms[6], ms[8]})
		if got := get(key(1), "", 10); len(got) != 0 {
			t.Errorf("SessionMessages of no session = %+v, want none", got)
		}
		if got := get(key(3), "sess-9", 10); len(got) != 0 {
			t.Errorf("SessionMessages of another client = %+v, want none", got)
		}
	}},
	{"SeveralAtOnceKeepTheirOrder", func(t *testing.T, s switchboard.Store) {
		before := []switchboard.Message{message(key(1), 0, "")}
		addMessages(t, s, before)
		ms := make([]switchboard.Message, 40) // more than one statement's worth
		ptrs := make([]*switchboard.Message, len(ms))
		for i := range ms {
			ms[i] = message(key(1+i%2), i+1, "")
			ptrs[i] = &ms[i]
		}
		update(t, s, func(tx switchboard.Tx) error { return tx.AddMessages(t.Context(), ptrs...) })
		last := before[0].ID
		for i, m := range ms {
			if m.ID <= last {
				t.Fatalf("message %d got id %d after id %d", i, m.ID, last)
			}
			last = m.ID
		}
		got := read(t, s, func(tx switchboard.Tx) ([]switchboard.Message, error) {
			return tx.MessagesAfter(t.Context(), key(2), 0, 0)
		})
		var want []switchboard.Message
		for i := 1; i < len(ms); i += 2 {
			want = append(want, ms[i])
		}
		equal(t, "MessagesAfter of one of the clients", got, want)
	}},
	{"IDsIncrease", func(t *testing.T, s switchboard.Store) {
		var last int64
		for round := range 3 {
			ms := []switchboard.Message{message(key(1), 0, ""), message(key(2), 1, ""), message(key(1), 2, "")}
			addMessages(t, s, ms)
			for _, m := range ms {
				if m.ID <= last {
					t.Fatalf("round %d: AddMessage set id %d after id %d", round, m.ID, last)
				}
				last = m.ID
			}
		}
	}},
	{"RoundTrip", func(t *testing.T, s switchboard.Store) {
		ms := []switchboard.Message{message(key(1), 1, "r1"), message(key(1), 2, "")}
		ms[1].ConversationID, ms[1].SessionID, ms[1].Sender = "", "", switchboard.Sender{Kind: switchboard.SenderSystem}
		ms[1].Payload = switchboard.Payload{ContentType: "question", Content: json.RawMessage(
			`{"title": "Is that all?", "buttons": [{"title": "End", "payload": "LIVECHAT_SESSION_END"}], "n": 1.5, "ok": true, "nil": null}`)}
		addMessages(t, s, ms)
		for _, want := range ms {
			got := read(t, s, func(tx switchboard.Tx) (*switchboard.Message, error) { return tx.Message(t.Context(), want.ID) })
			equal(t, "Message", got, &want)
		}
	}},
	{"MissingIsNotFound", func(t *testing.T, s switchboard.Store) {
		addMessages(t, s, []switchboard.Message{message(key(1), 1, "")})
		err := s.View(t.Context(), func(tx switchboard.Tx) error { _, err := tx.Message(t.Context(), 1<<40); return err })
		wantCode(t, "Message", err, switchboard.ENOTFOUND)
	}},
	{"MessagesAfter", func(t *testing.T, s switchboard.Store) {
		mine, theirs := history(t, s)
		after := func(k switchboard.ClientKey, id int64, limit int) []switchboard.Message {
			return read(t, s, func(tx switchboard.Tx) ([]switchboard.Message, error) {
				return tx.MessagesAfter(t.Context(), k, id, limit)
			})
		}
		equal(t, "MessagesAfter(0, 100)", after(key(1), 0, 100), mine)
		equal(t, "MessagesAfter(0, 100) of the other client", after(key(2), 0, 100), theirs)
		equal(t, "MessagesAfter(first, 100)", ids(after(key(1), mine[0].ID, 100), messageID), ids(mine[1:], messageID))
		equal(t, "MessagesAfter(0, 2)", ids(after(key(1), 0, 2), messageID), ids(mine[:2], messageID))
		equal(t, "MessagesAfter(second, 2)", ids(after(key(1), mine[1].ID, 2), messageID), ids(mine[2:4], messageID))
		// An id of another client's message is a position like any other.
		equal(t, "MessagesAfter(their third)", ids(after(key(1), theirs[2].ID, 100), messageID), ids(mine[3:], messageID))
		equal(t, "MessagesAfter(last)", ids(after(key(1), mine[4].ID, 100), messageID), []int64{})
		equal(t, "MessagesAfter of a client without messages", ids(after(key(3), 0, 100), messageID), []int64{})
	}},
	{"LastMessages", func(t *testing.T, s switchboard.Store) {
		mine, theirs := history(t, s)
		last := func(k switchboard.ClientKey, before int64, limit int) []switchboard.Message {
			return read(t, s, func(tx switchboard.Tx) ([]switchboard.Message, error) {
				return tx.LastMessages(t.Context(), k, before, limit)
			})
		}
		equal(t, "LastMessages(0, 100)", last(key(1), 0, 100), mine)
		equal(t, "LastMessages(0, 100) of the other client", last(key(2), 0, 100), theirs)
		equal(t, "LastMessages(0, 2)", ids(last(key(1), 0, 2), messageID), ids(mine[3:], messageID))
		equal(t, "LastMessages(fourth, 2)", ids(last(key(1), mine[3].ID, 2), messageID), ids(mine[1:3], messageID))
		equal(t, "LastMessages(fourth, 100)", ids(last(key(1), mine[3].ID, 100), messageID), ids(mine[:3], messageID))
		equal(t, "LastMessages(first, 100)", ids(last(key(1), mine[0].ID, 100), messageID), []int64{})
		equal(t, "LastMessages of a client without messages", ids(last(key(3), 0, 100), messageID), []int64{})
	}},
	{"LatestMessages", func(t *testing.T, s switchboard.Store) {
		mine, theirs := history(t, s)
		latestFrom := func(from switchboard.SenderKind, keys ...switchboard.ClientKey) map[switchboard.ClientKey]switchboard.Message {
			return read(t, s, func(tx switchboard.Tx) (map[switchboard.ClientKey]switchboard.Message, error) {
				return tx.LatestMessages(t.Context(), keys, from)
			})
		}
		latest := func(keys ...switchboard.ClientKey) map[switchboard.ClientKey]switchboard.Message {
			return latestFrom("", keys...)
		}
		// Repeated keys count once; a client without messages is left out.
		equal(t, "LatestMessages(1, 2, 1, 3)", latest(key(1), key(2), key(1), key(3)),
			map[switchboard.ClientKey]switchboard.Message{key(1): mine[4], key(2): theirs[4]})
		equal(t, "LatestMessages()", latest(), map[switchboard.ClientKey]switchboard.Message{})
		// By one sender: the last message that sender wrote, past the
		// others' later ones; a client without any is left out.
		equal(t, "LatestMessages(1, 2) by the agent", latestFrom(switchboard.SenderAgent, key(1), key(2)),
			map[switchboard.ClientKey]switchboard.Message{key(1): mine[3], key(2): theirs[3]})
		equal(t, "LatestMessages(1) by the user", latestFrom(switchboard.SenderUser, key(1)),
			map[switchboard.ClientKey]switchboard.Message{key(1): mine[4]})
		equal(t, "LatestMessages(1) by the bot", latestFrom(switchboard.SenderBot, key(1)), map[switchboard.ClientKey]switchboard.Message{})

		// More clients than a store reads in one statement.
		const n = 1002
		var ms []switchboard.Message
		keys := make([]switchboard.ClientKey, 0, n)
		for i := range n {
			k := key(100 + i)
			keys = append(keys, k)
			for j := range 1 + i%3 {
				ms = append(ms, message(k, j, ""))
			}
		}
		update(t, s, func(tx switchboard.Tx) error {
			ps := make([]*switchboard.Message, len(ms))
			for i := range ms {
				ps[i] = &ms[i]
			}
			return tx.AddMessages(t.Context(), ps...)
		})
		want := map[switchboard.ClientKey]switchboard.Message{}
		for _, m := range ms {
			want[m.Client] = m // the last one of each client wins
		}
		got := latest(append(keys, key(1))...)
		want[key(1)] = mine[4]
		if len(got) != len(want) {
			t.Fatalf("LatestMessages of %d clients: %d messages, want %d", n+1, len(got), len(want))
		}
		for k, m := range want {
			if g, ok := got[k]; !ok || g.ID != m.ID {
				t.Fatalf("LatestMessages of %s: message %d, want %d", k, g.ID, m.ID)
			}
		}
		equal(t, "LatestMessages of the last client", got[keys[n-1]], want[keys[n-1]])
	}},
	{"MessagesOfRequest", func(t *testing.T, s switchboard.Store) {
		mine, theirs := history(t, s) // mine: req0, req0, req1, req1, req2
		of := func(k switchboard.ClientKey, req string) []switchboard.Message {
			return read(t, s, func(tx switchboard.Tx) ([]switchboard.Message, error) {
				return tx.MessagesOfRequest(t.Context(), k, req)
			})
		}
		equal(t, "MessagesOfRequest(req1)", of(key(1), "req1"), mine[2:4])
		equal(t, "MessagesOfRequest(req0)", ids(of(key(1), "req0"), messageID), ids(mine[:2], messageID))
		equal(t, "MessagesOfRequest(req0) of the other client", ids(of(key(2), "req0"), messageID), ids(theirs, messageID))
		equal(t, "MessagesOfRequest(unknown)", ids(of(key(1), "nope"), messageID), []int64{})
	}},
}

var usageTests = []test{
	{"CountsABotsMessagesAndClientsInAPeriod", func(t *testing.T, s switchboard.Store) {
		history(t, s) // users 1 and 2 of bot1, 5 messages each, at 0..4 s
		other := message(switchboard.ClientKey{BotID: "bot2", ChannelID: "chan1", UserID: "user1"}, 1, "")
		addMessages(t, s, []switchboard.Message{other})
		usage := func(bot string, from, to time.Duration) switchboard.Usage {
			var u switchboard.Usage
			view(t, s, func(tx switchboard.Tx) (err error) {
				u, err = tx.BotUsage(t.Context(), bot, at(from), at(to))
				return err
			})
			return u
		}
		equal(t, "BotUsage(all)", usage("bot1", 0, time.Hour), switchboard.Usage{Messages: 10, Clients: 2})
		equal(t, "BotUsage([1s, 3s))", usage("bot1", time.Second, 3*time.Second), switchboard.Usage{Messages: 4, Clients: 2})
		equal(t, "BotUsage(bot2)", usage("bot2", 0, time.Hour), switchboard.Usage{Messages: 1, Clients: 1})
		equal(t, "BotUsage(later)", usage("bot1", time.Hour, 2*time.Hour), switchboard.Usage{})
	}},
}
