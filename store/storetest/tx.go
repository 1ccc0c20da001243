package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"switchboard"
)

// errRollback is what the suite's transactions fail with on purpose.
var errRollback = errors.New("storetest: rolled back on purpose")

// writeOneOfEverything writes something with every kind of write of Tx.
func writeOneOfEverything(ctx context.Context, tx switchboard.Tx) error {
	k := key(1)
	c := conversation("conv1", k, t0)
	m := message(k, 1, "req1")
	ss := session("s1", k, t0)
	j := job("a", 1)
	tm := timer("t1", t0)
	a := agent("a1", "ann@example.com", t0)
	bv := botVersion("b", "v1", t0)
	ch := switchboard.Channel{ID: "c1", BotID: "b", Type: switchboard.ChannelAPI, Name: "API", CreatedAt: t0}
	r := switchboard.SavedReply{ID: "r1", Title: "Hi", Text: "Hello", CreatedAt: t0}
	l := switchboard.AgentLogin{TokenHash: "h1", AgentID: "a1", CSRFToken: "x", CreatedAt: t0, ExpiresAt: at(time.Hour)}
	for _, err := range []error{
		tx.LockClient(ctx, k),
		tx.PutBotVersion(ctx, &bv),
		tx.PutChannel(ctx, &ch),
		tx.PutClient(ctx, &switchboard.Client{Key: k, Metadata: json.RawMessage(`{"a": 1}`)}),
		tx.PutConversation(ctx, &c),
		tx.PutMemory(ctx, k, mem("name", `"Ann"`)),
		tx.AddMessages(ctx, &m),
		tx.CreateSession(ctx, &ss),
		tx.EnqueueJob(ctx, &j),
		tx.SetTimer(ctx, &tm),
		tx.CreateAgent(ctx, &a),
		tx.CreateLogin(ctx, &l),
		tx.PutSavedReply(ctx, &r),
		tx.PutSetting(ctx, "s", json.RawMessage(`{"x": 1}`)),
	} {
		if err != nil {
			return err
		}
	}
	_, err := tx.MarkSeen(ctx, "scope", "1", t0)
	return err
}

// nothingWritten fails the test if anything of writeOneOfEverything is in the store.
func nothingWritten(t *testing.T, s switchboard.Store) {
	t.Helper()
	ctx := t.Context()
	k := key(1)
	view(t, s, func(tx switchboard.Tx) error {
		var found []string
		note := func(what string, present bool, err error) {
			if err != nil && switchboard.ErrorCode(err) != switchboard.ENOTFOUND {
				t.Errorf("%s: %v", what, err)
			}
			if present && err == nil {
				found = append(found, what)
			}
		}
		bots, err := tx.ListBots(ctx)
		note("bot", len(bots) > 0, err)
		cs, err := tx.ChannelsOfBot(ctx, "b")
		note("channel", len(cs) > 0, err)
		c, err := tx.FindClient(ctx, k)
		note("client", c != nil, err)
		conv, err := tx.FindOpenConversation(ctx, k)
		note("conversation", conv != nil, err)
		mems, err := tx.Memories(ctx, k)
		note("memory", len(mems) > 0, err)
		ms, err := tx.MessagesAfter(ctx, k, 0, 10)
		note("message", len(ms) > 0, err)
		ss, err := tx.ListSessions(ctx, switchboard.SessionFilter{})
		note("session", len(ss) > 0, err)
		st, err := tx.JobStats(ctx)
		note("job", st.Pending > 0, err)
		next, err := tx.NextTimerAt(ctx)
		note("timer", next != nil, err)
		as, err := tx.ListAgents(ctx)
		note("agent", len(as) > 0, err)
		l, err := tx.FindLogin(ctx, "h1", t0)
		note("login", l != nil, err)
		rs, err := tx.ListSavedReplies(ctx)
		note("saved reply", len(rs) > 0, err)
		set, err := tx.Setting(ctx, "s")
		note("setting", set != nil, err)
		if len(found) > 0 {
			t.Errorf("found after the rollback: %v", found)
		}
		return nil
	})
	if !markSeen(t, s, "scope", "1", t0) {
		t.Errorf("found after the rollback: the seen id")
	}
}

var txTests = []test{
	{"AnErrorRollsBackEverything", func(t *testing.T, s switchboard.Store) {
		err := s.Update(t.Context(), func(tx switchboard.Tx) error {
			if err := writeOneOfEverything(t.Context(), tx); err != nil {
				t.Errorf("writing: %v", err)
			}
			return fmt.Errorf("wrapped: %w", errRollback)
		})
		if !errors.Is(err, errRollback) {
			t.Errorf("Update = %v, want the error of fn", err)
		}
		nothingWritten(t, s)
		// The same writes commit afterwards.
		update(t, s, func(tx switchboard.Tx) error { return writeOneOfEverything(t.Context(), tx) })
	}},
	{"AnErrorRollsBackChanges", func(t *testing.T, s switchboard.Store) {
		j := job("a", 1)
		putSetting(t, s, "s", `{"v": 1}`)
		setTimers(t, s, timer("t", t0))
		enqueue(t, s, &j)
		_ = s.Update(t.Context(), func(tx switchboard.Tx) error {
			for _, err := range []error{
				tx.PutSetting(t.Context(), "s", json.RawMessage(`{"v": 2}`)),
				tx.DeleteTimer(t.Context(), "t"),
				tx.CompleteJob(t.Context(), j.ID),
			} {
				if err != nil {
					t.Errorf("writing: %v", err)
				}
			}
			return errRollback
		})
		equal(t, "Setting", setting(t, s, "s"), json.RawMessage(`{"v": 1}`))
		equal(t, "NextTimerAt", nextTimerAt(t, s), ptr(t0))
		equal(t, "ClaimJobs", ids(claim(t, s, t0, 10), jobID), []int64{j.ID})
	}},
	{"APanicRollsBack", func(t *testing.T, s switchboard.Store) {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Update swallowed the panic of fn")
				}
			}()
			_ = s.Update(t.Context(), func(tx switchboard.Tx) error {
				if err := writeOneOfEverything(t.Context(), tx); err != nil {
					t.Errorf("writing: %v", err)
				}
				panic("boom")
			})
		}()
		nothingWritten(t, s)
		update(t, s, func(tx switchboard.Tx) error { return writeOneOfEverything(t.Context(), tx) })
	}},
	{"ACancelledContextCommitsNothing", func(t *testing.T, s switchboard.Store) {
		ctx, cancel := context.WithCancel(t.Context())
		err := s.Update(ctx, func(tx switchboard.Tx) error {
			if err := tx.PutSetting(ctx, "s", json.RawMessage(`1`)); err != nil {
				return err
			}
			cancel()
			return nil
		})
		if err == nil {
			t.Errorf("Update whose context was cancelled = nil error")
		}
		if got := setting(t, s, "s"); got != nil {
			t.Errorf("Setting = %s after a cancelled Update, want nil", got)
		}
		err = s.Update(ctx, func(tx switchboard.Tx) error { return tx.PutSetting(ctx, "s", json.RawMessage(`2`)) })
		if err == nil {
			t.Errorf("Update with a cancelled context = nil error")
		}
		if got := setting(t, s, "s"); got != nil {
			t.Errorf("Setting = %s after an Update with a cancelled context, want nil", got)
		}
	}},
	{"ReadsItsOwnWrites", func(t *testing.T, s switchboard.Store) {
		update(t, s, func(tx switchboard.Tx) error {
			m := message(key(1), 1, "r")
			if err := tx.AddMessages(t.Context(), &m); err != nil {
				return err
			}
			got, err := tx.MessagesOfRequest(t.Context(), key(1), "r")
			if err != nil {
				return err
			}
			equal(t, "MessagesOfRequest in the same transaction", got, []switchboard.Message{m})
			return nil
		})
	}},
	{"ViewIsASnapshot", func(t *testing.T, s switchboard.Store) {
		putSetting(t, s, "a", `1`)
		putSetting(t, s, "b", `1`)
		opened, written := make(chan struct{}), make(chan struct{})
		viewed := make(chan error, 1)
		go func() {
			viewed <- s.View(t.Context(), func(tx switchboard.Tx) error {
				a1, err := tx.Setting(t.Context(), "a")
				if err != nil {
					return err
				}
				close(opened)
				<-written
				a2, err := tx.Setting(t.Context(), "a")
				if err != nil {
					return err
				}
				b, err := tx.Setting(t.Context(), "b")
				if err != nil {
					return err
				}
				equal(t, "a read twice in one View", a2, a1)
				equal(t, "b read in the View after a commit", b, json.RawMessage(`1`))
				return nil
			})
		}()
		select {
		case <-opened:
		case err := <-viewed:
			t.Fatalf("View: %v", err)
		}
		updated := make(chan error, 1)
		go func() {
			updated <- s.Update(t.Context(), func(tx switchboard.Tx) error {
				if err := tx.PutSetting(t.Context(), "a", json.RawMessage(`2`)); err != nil {
					return err
				}
				return tx.PutSetting(t.Context(), "b", json.RawMessage(`2`))
			})
		}()
		select {
		case err := <-updated:
			if err != nil {
				t.Fatalf("Update during a View: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("Update did not finish while a View was open")
		}
		close(written)
		if err := <-viewed; err != nil {
			t.Fatalf("View: %v", err)
		}
		equal(t, "a after the View", setting(t, s, "a"), json.RawMessage(`2`))
	}},
	{"AViewCannotWrite", func(t *testing.T, s switchboard.Store) {
		err := s.View(t.Context(), func(tx switchboard.Tx) error {
			return tx.PutSetting(t.Context(), "s", json.RawMessage(`1`))
		})
		if err == nil {
			t.Errorf("PutSetting in a View = nil error")
		}
		if got := setting(t, s, "s"); got != nil {
			t.Errorf("Setting = %s after writing in a View, want nil", got)
		}
	}},
	{"ATxDoesNotOutliveItsTransaction", func(t *testing.T, s switchboard.Store) {
		var kept switchboard.Tx
		update(t, s, func(tx switchboard.Tx) error { kept = tx; return nil })
		if err := kept.PutSetting(t.Context(), "s", json.RawMessage(`1`)); err == nil {
			t.Errorf("PutSetting on a Tx after its Update returned = nil error")
		}
		if got := setting(t, s, "s"); got != nil {
			t.Errorf("Setting = %s, written through an ended Tx", got)
		}
	}},
}

var concurrencyTests = []test{
	{"ConcurrentUpdatesAllCommit", func(t *testing.T, s switchboard.Store) {
		const workers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					errs <- s.Update(t.Context(), func(tx switchboard.Tx) error {
						m := message(key(w), i, strconv.Itoa(i))
						j := job(fmt.Sprintf("w%d", w), i)
						if err := tx.AddMessages(t.Context(), &m); err != nil {
							return err
						}
						if err := tx.EnqueueJob(t.Context(), &j); err != nil {
							return err
						}
						isNew, err := tx.MarkSeen(t.Context(), "w", fmt.Sprintf("%d/%d", w, i), t0)
						if err == nil && !isNew {
							err = errors.New("MarkSeen of a fresh id = false")
						}
						return err
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent Update: %v", err)
			}
		}
		seen := map[int64]bool{}
		for w := range workers {
			ms := read(t, s, func(tx switchboard.Tx) ([]switchboard.Message, error) {
				return tx.MessagesAfter(t.Context(), key(w), 0, 1000)
			})
			if len(ms) != each {
				t.Fatalf("worker %d: %d messages, want %d", w, len(ms), each)
			}
			for i, m := range ms {
				if m.InteractionOrder != i {
					t.Errorf("worker %d: message %d is number %d: ids do not follow commit order", w, i, m.InteractionOrder)
				}
				if seen[m.ID] {
					t.Errorf("message id %d given twice", m.ID)
				}
				seen[m.ID] = true
			}
		}
		st := read(t, s, func(tx switchboard.Tx) (switchboard.JobStats, error) { return tx.JobStats(t.Context()) })
		if st.Pending != workers*each {
			t.Errorf("JobStats.Pending = %d, want %d", st.Pending, workers*each)
		}
	}},
	{"LockClientSerialisesReadModifyWrite", func(t *testing.T, s switchboard.Store) {
		const workers, each = 6, 15
		k := key(1)
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for range workers {
			wg.Go(func() {
				for range each {
					errs <- s.Update(t.Context(), func(tx switchboard.Tx) error {
						if err := tx.LockClient(t.Context(), k); err != nil {
							return err
						}
						c, err := tx.FindClient(t.Context(), k)
						if err != nil {
							return err
						}
						var n int
						if c == nil {
							c = &switchboard.Client{Key: k}
						} else if err := json.Unmarshal(c.Metadata, &n); err != nil {
							return err
						}
						c.Metadata = json.RawMessage(strconv.Itoa(n + 1))
						return tx.PutClient(t.Context(), c)
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent Update: %v", err)
			}
		}
		c := read(t, s, func(tx switchboard.Tx) (*switchboard.Client, error) { return tx.FindClient(t.Context(), k) })
		equal(t, "counter", c.Metadata, json.RawMessage(strconv.Itoa(workers*each)))
	}},
	{"FailuresDoNotSpillOver", func(t *testing.T, s switchboard.Store) {
		// Concurrent Updates that fail, panic or succeed: exactly the writes
		// of those that succeeded are kept.
		const workers, each = 6, 20
		outcome := func(w, i int) int { return (w + i) % 3 } // 0 fails, 1 panics, 2 succeeds
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					func() {
						defer func() {
							if v := recover(); v != nil && outcome(w, i) != 1 {
								errs <- fmt.Errorf("unexpected panic: %v", v)
							}
						}()
						err := s.Update(t.Context(), func(tx switchboard.Tx) error {
							if err := tx.PutSetting(t.Context(), fmt.Sprintf("%d/%d", w, i), json.RawMessage(`true`)); err != nil {
								return err
							}
							m := message(key(w), i, "")
							if err := tx.AddMessages(t.Context(), &m); err != nil {
								return err
							}
							switch outcome(w, i) {
							case 0:
								return errRollback
							case 1:
								panic("boom")
							}
							return nil
						})
						if want := outcome(w, i) == 0; errors.Is(err, errRollback) != want || (!want && err != nil) {
							errs <- fmt.Errorf("Update %d/%d = %v", w, i, err)
						}
					}()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for w := range workers {
			want := []int{}
			for i := range each {
				got := setting(t, s, fmt.Sprintf("%d/%d", w, i))
				if kept := outcome(w, i) == 2; kept != (got != nil) {
					t.Errorf("Update %d/%d: setting kept = %v, want %v", w, i, got != nil, kept)
				}
				if outcome(w, i) == 2 {
					want = append(want, i)
				}
			}
			ms := read(t, s, func(tx switchboard.Tx) ([]switchboard.Message, error) {
				return tx.MessagesAfter(t.Context(), key(w), 0, 1000)
			})
			got := []int{}
			for _, m := range ms {
				got = append(got, m.InteractionOrder)
			}
			equal(t, fmt.Sprintf("messages of worker %d", w), got, want)
		}
	}},
	{"ViewsSeeWholeTransactions", func(t *testing.T, s switchboard.Store) {
		// Writers add a message and record the count in a memory in one
		// transaction; readers must always see the two agree.
		const writers, readers, each = 3, 3, 30
		k := key(1)
		var wg sync.WaitGroup
		errs := make(chan error, (writers+readers)*each)
		for range writers {
			wg.Go(func() {
				for i := range each {
					errs <- s.Update(t.Context(), func(tx switchboard.Tx) error {
						if err := tx.LockClient(t.Context(), k); err != nil {
							return err
						}
						ms, err := tx.LastMessages(t.Context(), k, 0, 1000)
						if err != nil {
							return err
						}
						m := message(k, i, "")
						if err := tx.AddMessages(t.Context(), &m); err != nil {
							return err
						}
						return tx.PutMemory(t.Context(), k, mem("count", strconv.Itoa(len(ms)+1)))
					})
				}
			})
		}
		for range readers {
			wg.Go(func() {
				for range each {
					errs <- s.View(t.Context(), func(tx switchboard.Tx) error {
						mems, err := tx.Memories(t.Context(), k)
						if err != nil {
							return err
						}
						ms, err := tx.MessagesAfter(t.Context(), k, 0, 1000)
						if err != nil {
							return err
						}
						count := 0
						if len(mems) == 1 {
							count, _ = strconv.Atoi(string(mems[0].Value))
						}
						if count != len(ms) {
							return fmt.Errorf("a View saw %d messages and a count of %d", len(ms), count)
						}
						return nil
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}},
}
