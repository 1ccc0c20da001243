package storetest

import (
	"testing"
	"time"

	"switchboard"
)

// clientData stores a client with something in every table that holds a
// client's data, and an ended livechat session named sessionID.
func clientData(t *testing.T, s switchboard.Store, k switchboard.ClientKey, sessionID string) {
	t.Helper()
	conv := conversation("conv-"+k.String(), k, at(0))
	ms := []switchboard.Message{message(k, 1, "r-"+k.String()), message(k, 2, "")}
	update(t, s, func(tx switchboard.Tx) error {
		if err := tx.PutClient(t.Context(), &switchboard.Client{Key: k, CreatedAt: at(0), UpdatedAt: at(0)}); err != nil {
			return err
		}
		if err := tx.PutConversation(t.Context(), &conv); err != nil {
			return err
		}
		if err := tx.PutMemory(t.Context(), k, switchboard.Memory{Key: "email", Value: []byte(`"ann@example.com"`)}); err != nil {
			return err
		}
		return tx.AddMessages(t.Context(), &ms[0], &ms[1])
	})
	createSessions(t, s, ended(session(sessionID, k, at(0)), at(time.Minute)))
}

// wantErased fails unless nothing is left of client k but its sessions,
// the ended one without metadata.
func wantErased(t *testing.T, s switchboard.Store, k switchboard.ClientKey, sessionID string) {
	t.Helper()
	view(t, s, func(tx switchboard.Tx) error {
		c, err := tx.FindClient(t.Context(), k)
		if err != nil || c != nil {
			t.Errorf("%s: FindClient = %+v, %v; want nil", k, c, err)
		}
		cs, err := tx.ClientConversations(t.Context(), k, 10, 0)
		if err != nil || len(cs) != 0 {
			t.Errorf("%s: ClientConversations = %d, %v; want none", k, len(cs), err)
		}
		mems, err := tx.Memories(t.Context(), k)
		if err != nil || len(mems) != 0 {
			t.Errorf("%s: Memories = %+v, %v; want none", k, mems, err)
		}
		ms, err := tx.LastMessages(t.Context(), k, 0, 10)
		if err != nil || len(ms) != 0 {
			t.Errorf("%s: LastMessages = %d, %v; want none", k, len(ms), err)
		}
		ms, err = tx.MessagesOfRequest(t.Context(), k, "r-"+k.String())
		if err != nil || len(ms) != 0 {
			t.Errorf("%s: MessagesOfRequest = %d, %v; want none", k, len(ms), err)
		}
		sess, err := tx.Session(t.Context(), sessionID)
		if err != nil || sess.Metadata != nil || sess.State != switchboard.SessionEnded {
			t.Errorf("%s: ended Session = %+v, %v; want it kept without metadata", k, sess, err)
		}
		return nil
	})
}

// wantKept fails unless client k still has all its data.
func wantKept(t *testing.T, s switchboard.Store, k switchboard.ClientKey, sessionID string) {
	t.Helper()
	view(t, s, func(tx switchboard.Tx) error {
		c, err := tx.FindClient(t.Context(), k)
		cs, err2 := tx.ClientConversations(t.Context(), k, 10, 0)
		mems, err3 := tx.Memories(t.Context(), k)
		ms, err4 := tx.LastMessages(t.Context(), k, 0, 10)
		sess, err5 := tx.Session(t.Context(), sessionID)
		if c == nil || len(cs) != 1 || len(mems) != 1 || len(ms) != 2 || err != nil || err2 != nil || err3 != nil || err4 != nil || err5 != nil || sess.Metadata == nil {
			t.Errorf("%s: client %v, %d conversations, %d memories, %d messages, session %+v (%v); want all kept (%v %v %v %v)",
				k, c != nil, len(cs), len(mems), len(ms), sess, err5, err, err2, err3, err4)
		}
		return nil
	})
}

var eraseTests = []test{
	{"DeleteClientDataErasesOneClient", func(t *testing.T, s switchboard.Store) {
		other := switchboard.ClientKey{BotID: "bot2", ChannelID: "chan1", UserID: "user1"}
		clientData(t, s, key(2), "s2")
		clientData(t, s, other, "s3")
		clientData(t, s, key(1), "s1") // the newest messages of the store are erased
		erased := read(t, s, func(tx switchboard.Tx) ([]switchboard.Message, error) {
			return tx.LastMessages(t.Context(), key(1), 0, 10)
		})
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteClientData(t.Context(), key(1)) })
		wantErased(t, s, key(1), "s1")
		wantKept(t, s, key(2), "s2")
		wantKept(t, s, other, "s3")

		// A new message's id is above every id given before the erasure.
		clientData(t, s, key(1), "s4")
		after := read(t, s, func(tx switchboard.Tx) ([]switchboard.Message, error) {
			return tx.LastMessages(t.Context(), key(1), 0, 10)
		})
		if len(after) != 2 || after[0].ID <= erased[1].ID {
			t.Errorf("messages stored after the erasure have ids %v; want above the erased %v", ids(after, messageID), ids(erased, messageID))
		}
	}},
	{"DeleteClientDataKeepsTheLiveSession", func(t *testing.T, s switchboard.Store) {
		clientData(t, s, key(1), "s1")
		createSessions(t, s, session("live", key(1), at(time.Hour)))
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteClientData(t.Context(), key(1)) })
		wantErased(t, s, key(1), "s1")
		live := read(t, s, func(tx switchboard.Tx) (*switchboard.Session, error) { return tx.FindLiveSession(t.Context(), key(1)) })
		if live == nil || live.ID != "live" || live.Metadata == nil {
			t.Errorf("FindLiveSession = %+v, want the live session kept whole", live)
		}
	}},
	{"DeleteClientDataOfNobodyIsFine", func(t *testing.T, s switchboard.Store) {
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteClientData(t.Context(), key(1)) })
	}},
	{"DeleteBotDataErasesEveryClientOfTheBot", func(t *testing.T, s switchboard.Store) {
		other := switchboard.ClientKey{BotID: "bot2", ChannelID: "chan1", UserID: "user1"}
		putBot(t, s, botVersion(key(1).BotID, "v1", at(0)))
		clientData(t, s, other, "s3")
		clientData(t, s, key(1), "s1")
		clientData(t, s, switchboard.ClientKey{BotID: key(1).BotID, ChannelID: "chan2", UserID: "user9"}, "s2")
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteBotData(t.Context(), key(1).BotID) })
		wantErased(t, s, key(1), "s1")
		wantErased(t, s, switchboard.ClientKey{BotID: key(1).BotID, ChannelID: "chan2", UserID: "user9"}, "s2")
		wantKept(t, s, other, "s3")
		v := read(t, s, func(tx switchboard.Tx) (*switchboard.BotVersion, error) {
			return tx.LatestBot(t.Context(), key(1).BotID)
		})
		if v.VersionID != "v1" {
			t.Errorf("LatestBot = %s, want the version kept", v.VersionID)
		}
	}},
	{"DeleteBotVersionRemovesOne", func(t *testing.T, s switchboard.Store) {
		putBot(t, s, botVersion("b", "v1", at(0)), botVersion("b", "v2", at(time.Minute)), botVersion("c", "v1", at(0)))
		update(t, s, func(tx switchboard.Tx) error { return tx.DeleteBotVersion(t.Context(), "b", "v1") })
		vs := read(t, s, func(tx switchboard.Tx) ([]switchboard.BotVersion, error) { return tx.BotVersions(t.Context(), "b") })
		if len(vs) != 1 || vs[0].VersionID != "v2" {
			t.Errorf("BotVersions(b) after deleting v1 = %d versions, want v2 alone", len(vs))
		}
		vs = read(t, s, func(tx switchboard.Tx) ([]switchboard.BotVersion, error) { return tx.BotVersions(t.Context(), "c") })
		if len(vs) != 1 {
			t.Errorf("BotVersions(c) = %d, want its v1 kept", len(vs))
		}
		err := s.Update(t.Context(), func(tx switchboard.Tx) error { return tx.DeleteBotVersion(t.Context(), "b", "v1") })
		wantCode(t, "DeleteBotVersion of a deleted version", err, switchboard.ENOTFOUND)
	}},
}
