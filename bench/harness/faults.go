package main

import (
	"context"
	"sync"
	"time"
)

// startFaults kills and restarts an instance, and cuts a platform and a
// channel's platform off, at the configured times; the returned group
// ends when all is done.
func (r *run) startFaults(ctx context.Context, cl *cluster, plat *platforms, sims channelSims) *sync.WaitGroup {
	var wg sync.WaitGroup
	cfg, start := r.cfg, r.rep.Start
	if cfg.Kill > 0 {
		in := cl.instances[0]
		r.rep.KilledInstance = in.Num
		wg.Go(func() {
			if !sleepUntil(ctx, start.Add(cfg.Kill)) {
				return
			}
			if err := cl.kill(in); err != nil {
				r.problem("%v", err)
				return
			}
			now := time.Now()
			r.mu.Lock()
			r.rep.Killed = now
			r.mu.Unlock()
			r.say("killed instance %d (SIGKILL) at t+%s", in.Num, now.Sub(start).Round(time.Second))
			if !sleepUntil(ctx, now.Add(cfg.RestartAfter)) {
				return
			}
			if err := cl.start(in); err != nil {
				r.problem("%v", err)
				return
			}
			if err := in.waitReady(ctx, time.Minute); err != nil {
				r.problem("restart: %v", err)
				return
			}
			now = time.Now()
			r.mu.Lock()
			r.rep.Restarted = now
			r.mu.Unlock()
			r.say("instance %d ready again at t+%s", in.Num, now.Sub(start).Round(time.Second))
		})
	}
	if cfg.Outage > 0 {
		r.outage(ctx, &wg, cfg.Platform, cfg.OutageAt, func(on bool) { plat.setOutage(cfg.Platform, on) }, &r.rep.OutageFrom, &r.rep.OutageTo)
	}
	if cfg.Outage > 0 && cfg.ChannelOutage != "" {
		r.outage(ctx, &wg, cfg.ChannelOutage+"'s API", cfg.ChannelOutageAt, func(on bool) { sims.setOutage(cfg.ChannelOutage, on) },
			&r.rep.ChannelOutageFrom, &r.rep.ChannelOutageTo)
	}
	return &wg
}

// outage cuts what off (set) at from the start for the configured outage,
// in wg, and records when into from and to.
func (r *run) outage(ctx context.Context, wg *sync.WaitGroup, what string, at time.Duration, set func(on bool), from, to *time.Time) {
	start := r.rep.Start
	wg.Go(func() {
		if !sleepUntil(ctx, start.Add(at)) {
			return
		}
		set(true)
		began := time.Now()
		r.say("%s cut off at t+%s", what, began.Sub(start).Round(time.Second))
		sleepUntil(ctx, began.Add(r.cfg.Outage))
		set(false)
		ended := time.Now()
		r.say("%s back at t+%s", what, ended.Sub(start).Round(time.Second))
		r.mu.Lock()
		*from, *to = began, ended
		r.mu.Unlock()
	})
}

// sleepUntil waits until t; false when ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Until(t)):
		return true
	}
}
