package loadtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"switchboard"
)

// Relay measures a platform's relay in both directions while many
// sessions are live: users write through their chat pages, agents through
// the platform's simulator, each message timed until it arrives on the
// other side. The platform's tool tells it when a user's message reached
// the platform (UserArrived); the pages tell it when an agent's reached
// the user.
type Relay struct {
	// ToPlatform and ToUser are the latencies of each direction.
	ToPlatform, ToUser Latencies
	// OnlyAgents, when set, has only the agents write (users stay quiet).
	OnlyAgents bool
	// UserSending, when set, is called as user i's message leaves its page.
	UserSending func(i int, text string)
	// Opened, when set, is called by Open as user i's page has clicked
	// "Talk to a human", before the next page opens: an agent may take the
	// session at once, as a staffed desk does, so that no long queue forms
	// (each move of a queue tells every customer in it their place).
	Opened func(i int, userID string) error

	userSent, agentSent   clocks
	received              sync.Map // agent text -> when its page got it
	errs                  atomic.Int64
	sessions              int
	duration, interval    time.Duration
	elapsed               time.Duration
	visitors              []*Visitor
	platform, destination string
}

// NewRelay prepares a run: sessions live at once, every user and every
// agent writing once per interval for duration. platform and destination
// name the two sides in the report ("Gorgias", "ticket").
func NewRelay(sessions int, duration, interval time.Duration, platform, destination string) *Relay {
	return &Relay{sessions: sessions, duration: duration, interval: interval, platform: platform, destination: destination}
}

// UserArrived records that a user's message reached the platform.
func (r *Relay) UserArrived(text string) { r.userSent.stop(text, &r.ToPlatform) }

// Received returns when an agent's message reached its page.
func (r *Relay) Received(text string) (time.Time, bool) {
	t, ok := r.received.Load(text)
	if !ok {
		return time.Time{}, false
	}
	return t.(time.Time), true
}

// Open connects a chat page per session and has each click "Talk to a
// human"; it returns the users' ids in order.
func (r *Relay) Open(ctx context.Context, srv *Server) ([]string, error) {
	onMessage := func(m switchboard.Message) {
		if m.Sender.Kind == switchboard.SenderAgent {
			text := TextOf(m)
			r.received.Store(text, time.Now())
			r.agentSent.stop(text, &r.ToUser)
		}
	}
	users := make([]string, r.sessions)
	for i := range users {
		v, err := NewVisitor(ctx, srv.URL(), srv.Channel, onMessage)
		if err != nil {
			return nil, err
		}
		r.visitors = append(r.visitors, v)
		if err := v.Send(ctx, Button(switchboard.PayloadSessionStart)); err != nil {
			return nil, err
		}
		users[i] = v.UserID
		if r.Opened != nil {
			if err := r.Opened(i, v.UserID); err != nil {
				return nil, err
			}
		}
	}
	return users, nil
}

// Close closes the pages.
func (r *Relay) Close() {
	for _, v := range r.visitors {
		v.Close()
	}
}

// Run has every user write through their page and every agent reply
// through reply (session i's agent, its text), once per interval each,
// spread out at random, until the duration is over; then it waits for the
// last messages.
func (r *Relay) Run(ctx context.Context, reply func(i int, text string) error) {
	var wg sync.WaitGroup
	start := time.Now()
	stop := start.Add(r.duration)
	for i, v := range r.visitors {
		wg.Go(func() { // the user
			if r.OnlyAgents {
				return
			}
			time.Sleep(time.Duration(rand.Int64N(int64(r.interval))))
			for n := 0; time.Now().Before(stop); n++ {
				text := fmt.Sprintf("user %d message %d", i, n)
				r.userSent.start(text)
				if r.UserSending != nil {
					r.UserSending(i, text)
				}
				if err := v.Send(ctx, Text(text)); err != nil {
					r.errs.Add(1)
				}
				time.Sleep(r.interval)
			}
		})
		wg.Go(func() { // the agent
			time.Sleep(time.Duration(rand.Int64N(int64(r.interval))))
			for n := 0; time.Now().Before(stop); n++ {
				text := fmt.Sprintf("agent %d reply %d", i, n)
				r.agentSent.start(text)
				if err := reply(i, text); err != nil {
					r.errs.Add(1)
				}
				time.Sleep(r.interval)
			}
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	time.Sleep(2 * time.Second) // the last messages
}

// Outcome is what went wrong in a run: requests that failed, and messages
// of users and of agents that never arrived; and how long the agents and
// users wrote.
func (r *Relay) Outcome() (errs int64, userLeft, agentLeft int, elapsed time.Duration) {
	return r.errs.Load(), r.userSent.left(), r.agentSent.left(), r.elapsed
}

// Report prints the figures, with fromWebhook (agent messages timed from
// the webhook call that announced them, which leaves the simulator's
// queueing out), and fails when a message was lost or an error happened.
func (r *Relay) Report(fromWebhook Summary) error {
	up, down := r.ToPlatform.Summary(), r.ToUser.Summary()
	errs, userLeft, agentLeft := r.errs.Load(), r.userSent.left(), r.agentSent.left()
	fmt.Printf("messages: %d user, %d agent in %s (%.0f/s), errors: %d, not arrived: %d user, %d agent\n",
		up.N, down.N, r.elapsed.Round(time.Millisecond), float64(up.N+down.N)/r.elapsed.Seconds(), errs, userLeft, agentLeft)
	fmt.Printf("%-37s %s\n", "user -> "+r.platform+" "+r.destination+":", up)
	fmt.Printf("%-37s %s\n", "agent -> user page, all:", down)
	fmt.Printf("%-37s %s\n", "agent -> user page, from the webhook:", fromWebhook)
	if errs > 0 || userLeft > 0 || agentLeft > 0 {
		return fmt.Errorf("%d errors, %d user and %d agent messages lost", errs, userLeft, agentLeft)
	}
	return nil
}

// clocks holds the start time of each message in flight, by text.
type clocks struct{ m sync.Map }

func (c *clocks) start(text string) { c.m.Store(text, time.Now()) }

// stop records the latency of text, once.
func (c *clocks) stop(text string, lat *Latencies) {
	if t0, ok := c.m.LoadAndDelete(text); ok {
		lat.Add(time.Since(t0.(time.Time)))
	}
}

func (c *clocks) left() int {
	n := 0
	c.m.Range(func(_, _ any) bool { n++; return true })
	return n
}

// WaitOutbox waits until the outbox is empty (the transcripts posted and
// their echoes handled), so that a measure starts on a quiet server.
func (s *Server) WaitOutbox(ctx context.Context) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var st switchboard.JobStats
		err := s.App.Store.View(ctx, func(tx switchboard.Tx) error {
			var err error
			st, err = tx.JobStats(ctx)
			return err
		})
		if err != nil || st.Pending == 0 {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the outbox still has %d jobs after opening the sessions", st.Pending)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
