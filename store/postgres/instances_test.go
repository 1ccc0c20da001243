package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"switchboard"
	"switchboard/store/postgres"
	"switchboard/store/postgres/pgtest"
)

// These tests open two stores on one schema, as two instances of switchboard
// on one database, and check what must hold between them.

var k1 = switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u1"}

func msg(k switchboard.ClientKey, text string) *switchboard.Message {
	return &switchboard.Message{Client: k, Direction: switchboard.DirectionReceive, Sender: switchboard.Sender{Kind: switchboard.SenderUser},
		Payload: switchboard.Payload{ContentType: "text", Content: json.RawMessage(fmt.Sprintf(`{"text":%q}`, text))}}
}

// held starts an Update on s that runs first, then waits until release is
// closed before returning (and committing); it returns when first has run.
func held(t *testing.T, s switchboard.Store, first func(tx switchboard.Tx) error, release <-chan struct{}) <-chan error {
	t.Helper()
	ran, done := make(chan struct{}), make(chan error, 1)
	go func() {
		done <- s.Update(context.Background(), func(tx switchboard.Tx) error {
			if err := first(tx); err != nil {
				return err
			}
			close(ran)
			<-release
			return nil
		})
	}()
	select {
	case <-ran:
	case err := <-done:
		t.Fatalf("held Update: %v", err)
	}
	return done
}

// blocked reports whether done stays empty for a while.
func blocked(done <-chan error) bool {
	select {
	case <-done:
		return false
	case <-time.After(300 * time.Millisecond):
		return true
	}
}

func TestMessageIDsFollowCommitOrderAcrossInstances(t *testing.T) {
	dsn := pgtest.Schema(t)
	a, b := openTemp(t, dsn, postgres.Options{}), openTemp(t, dsn, postgres.Options{})
	first := msg(k1, "first")
	release := make(chan struct{})
	doneA := held(t, a, func(tx switchboard.Tx) error { return tx.AddMessages(t.Context(), first) }, release)

	// Another client's message does not wait: clients do not share an order.
	other := msg(switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u2"}, "other")
	if err := b.Update(t.Context(), func(tx switchboard.Tx) error { return tx.AddMessages(t.Context(), other) }); err != nil {
		t.Fatal(err)
	}
	// The same client's message, from another instance, must not get an id
	// and commit while the first transaction, holding a smaller id, is open.
	second := msg(k1, "second")
	doneB := make(chan error, 1)
	go func() {
		doneB <- b.Update(context.Background(), func(tx switchboard.Tx) error { return tx.AddMessages(t.Context(), second) })
	}()
	if !blocked(doneB) {
		t.Fatal("a message committed while an earlier id of its client was still uncommitted")
	}
	close(release)
	if err := <-doneA; err != nil {
		t.Fatal(err)
	}
	if err := <-doneB; err != nil {
		t.Fatal(err)
	}
	if second.ID <= first.ID {
		t.Errorf("ids %d then %d: the later commit got the smaller id", first.ID, second.ID)
	}
}

func TestJobIDsFollowCommitOrderAcrossInstances(t *testing.T) {
	dsn := pgtest.Schema(t)
	a, b := openTemp(t, dsn, postgres.Options{}), openTemp(t, dsn, postgres.Options{})
	j1 := switchboard.Job{Kind: "k", Key: "same"}
	release := make(chan struct{})
	doneA := held(t, a, func(tx switchboard.Tx) error { return tx.EnqueueJob(t.Context(), &j1) }, release)
	other := switchboard.Job{Kind: "k", Key: "other"}
	if err := b.Update(t.Context(), func(tx switchboard.Tx) error { return tx.EnqueueJob(t.Context(), &other) }); err != nil {
		t.Fatal(err)
	}
	j2 := switchboard.Job{Kind: "k", Key: "same"}
	doneB := make(chan error, 1)
	go func() {
		doneB <- b.Update(context.Background(), func(tx switchboard.Tx) error { return tx.EnqueueJob(t.Context(), &j2) })
	}()
	if !blocked(doneB) {
		t.Fatal("a job committed while an earlier job of its key was still uncommitted")
	}
	close(release)
	if err := <-doneA; err != nil {
		t.Fatal(err)
	}
	if err := <-doneB; err != nil {
		t.Fatal(err)
	}
	if j2.ID <= j1.ID {
		t.Errorf("job ids %d then %d: the later commit got the smaller id", j1.ID, j2.ID)
	}
}

func TestLockClientHoldsAcrossInstances(t *testing.T) {
	dsn := pgtest.Schema(t)
	a, b := openTemp(t, dsn, postgres.Options{}), openTemp(t, dsn, postgres.Options{})
	release := make(chan struct{})
	doneA := held(t, a, func(tx switchboard.Tx) error { return tx.LockClient(t.Context(), k1) }, release)
	other := make(chan error, 1)
	go func() {
		other <- b.Update(context.Background(), func(tx switchboard.Tx) error {
			return tx.LockClient(t.Context(), switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u2"})
		})
	}()
	if err := <-other; err != nil {
		t.Fatalf("locking another client: %v", err)
	}
	same := make(chan error, 1)
	go func() {
		same <- b.Update(context.Background(), func(tx switchboard.Tx) error { return tx.LockClient(t.Context(), k1) })
	}()
	if !blocked(same) {
		t.Fatal("two instances held the lock of one client at once")
	}
	close(release)
	if err := <-doneA; err != nil {
		t.Fatal(err)
	}
	if err := <-same; err != nil {
		t.Fatal(err)
	}
}

func TestEachJobIsClaimedOnceAcrossInstances(t *testing.T) {
	dsn := pgtest.Schema(t)
	stores := []*postgres.DB{openTemp(t, dsn, postgres.Options{}), openTemp(t, dsn, postgres.Options{}), openTemp(t, dsn, postgres.Options{})}
	const jobs = 300
	now := time.Now()
	err := stores[0].Update(t.Context(), func(tx switchboard.Tx) error {
		for i := range jobs {
			if err := tx.EnqueueJob(t.Context(), &switchboard.Job{Kind: "k", Key: fmt.Sprint("key", i%100), RunAt: now, CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		wg      sync.WaitGroup
	)
	for _, s := range stores {
		for range 2 {
			wg.Go(func() {
				for {
					var js []switchboard.Job
					err := s.Update(context.Background(), func(tx switchboard.Tx) error {
						var err error
						js, err = tx.ClaimJobs(context.Background(), now, time.Minute, 7)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
					if len(js) == 0 {
						var st switchboard.JobStats
						_ = s.View(context.Background(), func(tx switchboard.Tx) (err error) { st, err = tx.JobStats(context.Background()); return })
						if st.Pending == 0 {
							return
						}
						time.Sleep(time.Millisecond)
						continue
					}
					mu.Lock()
					for _, j := range js {
						claimed[j.ID]++
					}
					mu.Unlock()
					err = s.Update(context.Background(), func(tx switchboard.Tx) error {
						for _, j := range js {
							if err := tx.CompleteJob(context.Background(), j.ID); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	if len(claimed) != jobs {
		t.Errorf("%d jobs claimed, want %d", len(claimed), jobs)
	}
	for id, n := range claimed {
		if n != 1 {
			t.Errorf("job %d claimed %d times", id, n)
		}
	}
}

func TestADeadlockIsRetried(t *testing.T) {
	// Two transactions lock two clients in opposite orders: the database
	// fails one of them, and Update runs it again instead of failing.
	dsn := pgtest.Schema(t)
	a, b := openTemp(t, dsn, postgres.Options{}), openTemp(t, dsn, postgres.Options{})
	k2 := switchboard.ClientKey{BotID: "b", ChannelID: "c", UserID: "u2"}
	var wg, arrived sync.WaitGroup
	arrived.Add(2)
	run := func(s switchboard.Store, x, y switchboard.ClientKey) error {
		runs := 0
		return s.Update(context.Background(), func(tx switchboard.Tx) error {
			runs++
			if err := tx.LockClient(context.Background(), x); err != nil {
				return err
			}
			if runs == 1 { // both hold their first lock before asking for the second
				arrived.Done()
				arrived.Wait()
			}
			return tx.LockClient(context.Background(), y)
		})
	}
	errs := make(chan error, 2)
	wg.Go(func() { errs <- run(a, k1, k2) })
	wg.Go(func() { errs <- run(b, k2, k1) })
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Update in a deadlock: %v", err)
		}
	}
}

func TestTextTheDatabaseRefusesIsInvalid(t *testing.T) {
	s := openTemp(t, pgtest.Schema(t), postgres.Options{})
	err := s.Update(t.Context(), func(tx switchboard.Tx) error {
		m := msg(k1, "hi")
		m.RequestID = "a\x00b"
		return tx.AddMessages(t.Context(), m)
	})
	if switchboard.ErrorCode(err) != switchboard.EINVALID {
		t.Errorf("a NUL in a request id: %v, want EINVALID", err)
	}
}
