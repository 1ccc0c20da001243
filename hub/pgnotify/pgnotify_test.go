package pgnotify_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"switchboard/hub"
	"switchboard/hub/pgnotify"
	"switchboard/store/postgres"
	"switchboard/store/postgres/pgtest"
)

// instance is one hub with its fan-out, as in one switchboard process.
type instance struct {
	hub *hub.Hub
	fan *pgnotify.Fanout
}

func start(t *testing.T, dsn string) instance {
	t.Helper()
	db, err := postgres.Open(t.Context(), dsn, postgres.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := hub.New()
	f, err := pgnotify.Start(t.Context(), db.Pool(), db.Schema(), h, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return instance{hub: h, fan: f}
}

// woken waits for a hint on ch.
func woken(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no hint", what)
	}
}

func TestNotificationsReachTheOtherInstances(t *testing.T) {
	dsn := pgtest.Schema(t)
	a, b, c := start(t, dsn), start(t, dsn), start(t, dsn)
	onB, cancel := b.hub.Subscribe("client:x")
	defer cancel()
	onC, cancel := c.hub.Subscribe("desk")
	defer cancel()
	onA, cancel := a.hub.Subscribe("client:x")
	defer cancel()

	a.hub.Notify("client:x", "desk")
	woken(t, "the subscriber on the notifying instance", onA)
	woken(t, "a subscriber on another instance", onB)
	woken(t, "a subscriber of another topic on a third instance", onC)

	// Another schema's instances hear nothing.
	other := start(t, pgtest.Schema(t))
	onOther, cancel := other.hub.Subscribe("client:x")
	defer cancel()
	c.hub.Notify("client:x")
	woken(t, "a subscriber on another instance", onB)
	woken(t, "the subscriber on the first instance", onA)
	select {
	case <-onOther:
		t.Error("an instance of another schema was woken")
	case <-time.After(200 * time.Millisecond):
	}
	if n := a.fan.Stats().Received; n != 1 {
		t.Errorf("instance a received %d notifications, want 1 (its own are dropped)", n)
	}
}

func TestManyTopicsAreSplitAcrossNotifications(t *testing.T) {
	dsn := pgtest.Schema(t)
	a, b := start(t, dsn), start(t, dsn)
	var chans []<-chan struct{}
	var topics []string
	for i := range 400 {
		topic := "client:bot/channel/a-rather-long-user-identifier-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		ch, cancel := b.hub.Subscribe(topic)
		defer cancel()
		chans, topics = append(chans, ch), append(topics, topic)
	}
	a.hub.Notify(topics...)
	for i, ch := range chans {
		woken(t, topics[i], ch)
	}
	if n := a.fan.Stats().Published; n < 2 {
		t.Errorf("%d notifications published for 400 long topics, want them split", n)
	}
}

func TestAListenerThatLostItsConnectionWakesEveryone(t *testing.T) {
	dsn := pgtest.Schema(t)
	a, b := start(t, dsn), start(t, dsn)
	onB, cancel := b.hub.Subscribe("client:x")
	defer cancel()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	// End every listening connection of the schema, as a database restart would.
	if _, err := conn.Exec(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE query LIKE 'LISTEN %' AND query LIKE '%' || current_schema() || '%' AND pid <> pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	woken(t, "a subscriber after its instance reconnected", onB)
	deadline := time.Now().Add(5 * time.Second)
	for b.fan.Stats().Reconnects == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if b.fan.Stats().Reconnects == 0 {
		t.Fatal("the listener did not reconnect")
	}
	a.hub.Notify("client:x")
	woken(t, "a subscriber after the reconnection", onB)
}

func TestAPrefixSubscriberLearnsTheNamesNotifiedOnAnotherInstance(t *testing.T) {
	dsn := pgtest.Schema(t)
	a, b := start(t, dsn), start(t, dsn)
	onB, names, cancel := b.hub.SubscribePrefix("desk:")
	defer cancel()

	a.hub.Notify("desk:s1", "client:x", "desk:s2")
	var got []string
	deadline := time.After(5 * time.Second)
	for len(got) < 2 {
		select {
		case <-onB:
		case <-deadline:
			t.Fatalf("instance b learnt %v, want s1 and s2", got)
		}
		more, all := names()
		if all {
			t.Fatalf("instance b cannot tell which sessions changed (all), want s1 and s2")
		}
		got = append(got, more...)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"s1", "s2"}) {
		t.Fatalf("instance b learnt %v, want [s1 s2]", got)
	}
}
