package channel

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard"
)

// threadSetting is where the layer remembers which livechat session holds
// a user's thread (ThreadControl): the session's id, "" for none.
func threadSetting(key switchboard.ClientKey) string { return "channel.thread:" + key.String() }

// syncThread takes the user's thread when a livechat session is live and
// the thread is not held for it yet, and releases it when no session is
// live and it is held. It runs before each message sent and after each
// event received, so that the thread follows the session within a
// message. A platform that fails or refuses is logged and asked again at
// the next message: who owns the thread matters to Meta's inbox, and never
// holds a message back.
func (l *Layer) syncThread(ctx context.Context, conn Conn, key switchboard.ClientKey) {
	tc, ok := conn.(ThreadControl)
	if !ok {
		return
	}
	if err := l.syncThreadOf(ctx, tc, key); err != nil {
		l.cfg.Log.WarnContext(ctx, "channel: thread control not changed; asked again at the next message", "client", key.String(), "err", err)
	}
}

func (l *Layer) syncThreadOf(ctx context.Context, tc ThreadControl, key switchboard.ClientKey) error {
	var held, live string
	err := l.cfg.Store.View(ctx, func(tx switchboard.Tx) error {
		raw, err := tx.Setting(ctx, threadSetting(key))
		if err != nil {
			return err
		}
		_ = json.Unmarshal(raw, &held)
		s, err := tx.FindLiveSession(ctx, key)
		if s != nil {
			live = s.ID
		}
		return err
	})
	if err != nil || held == live {
		return err
	}
	if live != "" {
		err = tc.TakeThread(ctx, key.UserID, "livechat session "+live)
	} else {
		err = tc.ReleaseThread(ctx, key.UserID, "livechat session "+held+" ended")
	}
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(live)
	return l.cfg.Store.Update(ctx, func(tx switchboard.Tx) error {
		if err := tx.PutSetting(ctx, threadSetting(key), raw); err != nil {
			return fmt.Errorf("record thread control: %w", err)
		}
		return nil
	})
}
