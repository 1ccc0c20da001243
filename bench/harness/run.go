package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchboard"
)

// Parts of the hard deadline kept for the end: reading what the system
// holds and checking it, then stopping everything (the instances get 20
// seconds to stop).
const (
	checkReserve    = 90 * time.Second
	teardownReserve = 30 * time.Second
)

// run is one run in progress.
type run struct {
	cfg    Config
	rep    *Report
	ledger *ledger
	mu     sync.Mutex // guards rep.Problems, rep.Notes and the fault times
	// running counts the users still in their script.
	running atomic.Int64
}

// problem records a failure outside the checks.
func (r *run) problem(format string, args ...any) {
	r.mu.Lock()
	r.rep.Problems = append(r.rep.Problems, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

// say prints a progress line.
func (r *run) say(format string, args ...any) {
	if r.cfg.Progress != nil {
		fmt.Fprintf(r.cfg.Progress, "harness: "+format+"\n", args...)
	}
}

// Run starts the system as users run it, simulates the users and agents,
// injects the faults, waits for the work in flight, checks every invariant
// and returns the report. An error means the run could not be set up.
func Run(parent context.Context, cfg Config) (*Report, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(parent, cfg.Deadline-checkReserve-teardownReserve)
	defer cancel()
	r := &run{cfg: cfg, ledger: newLedger(), rep: &Report{Config: cfg, Database: cfg.Database, Started: map[string]int{}, Ended: map[string]int{}}}
	out := cfg.Out
	var err error
	if out == "" {
		out, err = os.MkdirTemp("", "switchboard-harness-")
	} else {
		err = os.MkdirAll(out, 0o755)
	}
	if err != nil {
		return nil, fmt.Errorf("run folder: %w", err)
	}
	r.rep.Out = out

	binary := cfg.Binary
	if binary == "" {
		r.say("building the switchboard command into %s", out)
		if binary, err = build(ctx, out); err != nil {
			return nil, err
		}
	}
	dsn := ""
	if cfg.Database == "postgres" {
		var drop func()
		if dsn, drop, err = newSchema(ctx, cfg.PG); err != nil {
			return nil, err
		}
		defer drop()
	}
	plat, err := startPlatforms(r.ledger, cfg.Seed)
	if err != nil {
		return nil, err
	}
	defer plat.close()
	var left []string
	cfg.Channels, left = cfg.survivable()
	r.cfg.Channels, r.rep.Config.Channels = cfg.Channels, cfg.Channels
	if len(left) > 0 {
		r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("no customers on %s: the kill leaves no instance up, and those platforms give up on a webhook within seconds", strings.Join(left, ", ")))
	}
	sims, err := startChannels(cfg.Channels, cfg.Seed)
	if err != nil {
		return nil, err
	}
	defer sims.close()
	lb, err := startBalancer()
	if err != nil {
		return nil, err
	}
	defer lb.close()
	cbs, err := startCallbacks()
	if err != nil {
		return nil, err
	}
	defer cbs.close()
	cl, err := newCluster(binary, out, cfg.Instances, dsn, lb.URL, strings.TrimPrefix(cbs.URL, "http://"))
	if err != nil {
		return nil, err
	}
	defer cl.stopAll()
	r.say("starting %d instance(s) on %s behind the balancer at %s", cfg.Instances, cfg.Database, lb.URL)
	if err := cl.startAll(ctx); err != nil {
		return nil, err
	}
	var urls []string
	for _, in := range cl.instances {
		urls = append(urls, in.URL)
	}
	if err := lb.setBackends(urls); err != nil {
		return nil, err
	}
	adm := &admin{base: lb.URL, token: cl.AdminToken, client: &http.Client{Timeout: 30 * time.Second}}
	setups, password, err := setUp(ctx, adm, plat, sims, cfg.Timeout)
	if err != nil {
		return nil, err
	}
	if err := waitBots(ctx, cl, setups); err != nil {
		return nil, err
	}
	desk, err := signInDesk(ctx, lb.URL, password, r.ledger)
	if err != nil {
		return nil, err
	}

	r.rep.Start = time.Now()
	stop := r.rep.Start.Add(cfg.Duration)
	r.say("%d users for %s; session timeout %s", cfg.Users, cfg.Duration, cfg.Timeout)
	faults := r.startFaults(ctx, cl, plat, sims)
	foreignDone := startForeign(ctx, plat.Gorgias, stop)
	progress := r.startProgress(ctx, cl, stop)
	clients := r.runUsers(ctx, lb.URL, cl.EngineKey, setups, sims, &agents{desk: desk, platforms: plat}, cbs, stop)
	r.rep.LoadEnd = stop
	faults.Wait()
	foreignDone()
	r.drain(ctx, stop)
	progress()
	r.rep.End = time.Now()

	// What the system holds now, checked against what the users lived.
	cctx, ccancel := context.WithTimeout(parent, checkReserve)
	defer ccancel()
	t, err := r.readTruth(cctx, adm, plat, clients)
	for _, c := range clients {
		if c != nil {
			c.close()
		}
	}
	if err != nil {
		r.problem("reading what switchboard holds: %v", err)
	} else {
		r.rep.verdict = verify(r.ledger, t, cbs.BadSignatures.Load(), r.rep.Start)
		r.rep.Swapped = r.rep.verdict.swapped
		checkIntegrations(r.rep.verdict, plat.Gorgias)
		auditHeld(r.rep.verdict, r.ledger, clients)
		r.count(t)
	}
	r.rep.Errors = r.ledger.errs
	r.rep.BalancerRefused = lb.Refused.Load()
	r.rep.Webhooks = sims.webhooks()
	var logs []string
	for _, in := range cl.instances {
		logs = append(logs, in.log)
	}
	r.rep.Logs = readLogs(logs)
	if ctx.Err() != nil && parent.Err() == nil {
		r.problem("the hard deadline (%s) was reached", cfg.Deadline)
	}
	if f, err := os.Create(filepath.Join(out, "report.txt")); err == nil {
		r.rep.Write(f)
		f.Close()
	}
	return r.rep, nil
}

// runUsers simulates the users until each has finished its script; it
// returns their clients, still connected. User i is on the chat page, the
// Chat API or a messaging channel in turn, and on each over the bots.
func (r *run) runUsers(ctx context.Context, base, engineKey string, setups []botSetup, sims channelSims, ag *agents, cbs *callbacks, stop time.Time) []chatClient {
	cfg := r.cfg
	seed := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x6861726e657373))
	clients := make([]chatClient, cfg.Users)
	ramp := min(10*time.Second, cfg.Duration/5)
	kinds := append([]string{"webapp", "api"}, cfg.Channels...)
	r.rep.ByChannel = map[string]int{}
	engine := &http.Client{Timeout: 30 * time.Second, Transport: pooled}
	var wg sync.WaitGroup
	for i := range cfg.Users {
		bi := (i / len(kinds)) % len(setups)
		b, channel := setups[bi], kinds[i%len(kinds)]
		r.rep.ByChannel[channel]++
		platform, ct := b.Platform, channelTypes[channel]
		if ct.Platform != "" {
			platform = ct.Platform
		}
		log := r.ledger.addUser(i+1, channel, b.ID, platform)
		log.Queue, log.Closed = b.Team != "" && ct.Platform == "", b.Closed
		log.Reordered = ct.Reordered
		u := &user{log: log, agents: ag, cfg: cfg, rnd: rand.New(rand.NewPCG(seed.Uint64(), seed.Uint64())),
			stop: stop, expireUntil: stop.Add(-cfg.Timeout / 2)}
		if b.Team != "" && ct.Platform != "" {
			// The queue bot's sessions time out after three timeouts (its
			// wait limit ends them on the desk); where the channel's
			// platform holds them there is no queue, and none is left to
			// expire within the run.
			u.expireUntil = time.Time{}
		}
		delay := ramp * time.Duration(i) / time.Duration(cfg.Users)
		r.running.Add(1)
		wg.Go(func() {
			defer r.running.Add(-1)
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return
			}
			switch channel {
			case "webapp":
				c, err := newWebClient(ctx, base, b.Webapp, log)
				if err != nil {
					r.problem("%s: %v", log.Name, err)
					return
				}
				u.client = c
			case "api":
				u.client = newAPIClient(base, b.APIKey, b.APISecret, cbs.add(log, b.APISecret), log)
			default:
				hist := &engineHistory{base: base, key: engineKey, bot: b.ID, channel: b.Channels[channel], http: engine}
				c := newChannelClient(ctx, sims[channel][bi], hist, log)
				u.client = c
				if h, ok := c.sim.(heldSim); ok {
					u.held = &heldAgent{sim: h, user: c.user}
				}
			}
			clients[i] = u.client
			if err := u.run(ctx); err != nil {
				r.problem("%s (%s, %s) stopped: %v", log.Name, channel, b.Platform, err)
			}
		})
	}
	r.rep.Users = cfg.Users
	wg.Wait()
	return clients
}

// count fills the report's totals.
func (r *run) count(t *truth) {
	for _, u := range r.ledger.users {
		u.mu.Lock()
		for _, m := range u.Sent {
			if m.Session < 0 {
				r.rep.ToBot++
			} else {
				r.rep.ToAgents++
			}
		}
		r.rep.AgentMessages += len(u.Agent)
		r.rep.Redeliveries += u.Redeliveries
		r.rep.Refused += len(u.Refused)
		for _, s := range u.Sessions {
			r.rep.Started[s.Platform]++
		}
		u.mu.Unlock()
	}
	for _, s := range t.sessions {
		if s.State == string(switchboard.SessionEnded) {
			r.rep.Ended[s.EndReason]++
		} else {
			r.rep.Ended["(still "+s.State+")"]++
		}
	}
}

// auditHeld checks the conversations of the customers of a channel whose
// platform holds the sessions (a Chatwoot inbox), where switchboard's
// history cannot tell: the bot never spoke in one while the agents had it
// (but for the session's own notices), and every one is the bot's again
// at the end (the platform told, as a ticket closed).
func auditHeld(v *verdict, l *ledger, clients []chatClient) {
	for i, c := range clients {
		cc, ok := c.(*channelClient)
		if !ok {
			continue
		}
		h, ok := cc.sim.(heldSim)
		if !ok {
			continue
		}
		u := l.users[i]
		who := u.Name + " (" + u.Channel + ", " + u.Platform + ")"
		talked, back := h.Audit(cc.user)
		for _, t := range talked {
			v.fail(checkBotSilent, "%s: the bot said %s", who, t)
		}
		if len(talked) == 0 {
			v.pass(checkBotSilent)
		}
		if back {
			v.pass(checkPlatformClosed)
		} else {
			v.fail(checkPlatformClosed, "%s: the conversation is not the bot's (pending) at the end", who)
		}
	}
}
