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
		wg.Go(func() {
			if !sleepUntil(ctx, start.Add(cfg.OutageAt)) {
				return
			}
			plat.setOutage(cfg.Platform, true)
			from := time.Now()
			r.say("%s cut off at t+%s", cfg.Platform, from.Sub(start).Round(time.Second))
			sleepUntil(ctx, from.Add(cfg.Outage))
			plat.setOutage(cfg.Platform, false)
			to := time.Now()
			r.say("%s back at t+%s", cfg.Platform, to.Sub(start).Round(time.Second))
			r.mu.Lock()
			r.rep.OutageFrom, r.rep.OutageTo = from, to
			r.mu.Unlock()
		})
	}
	if cfg.Outage > 0 && cfg.ChannelOutage != "" {
		wg.Go(func() {
			if !sleepUntil(ctx, start.Add(cfg.ChannelOutageAt)) {
				return
			}
			sims.setOutage(cfg.ChannelOutage, true)
			from := time.Now()
			r.say("%s's API cut off at t+%s", cfg.ChannelOutage, from.Sub(start).Round(time.Second))
			sleepUntil(ctx, from.Add(cfg.Outage))
			sims.setOutage(cfg.ChannelOutage, false)
			to := time.Now()
			r.say("%s's API back at t+%s", cfg.ChannelOutage, to.Sub(start).Round(time.Second))
			r.mu.Lock()
			r.rep.ChannelOutageFrom, r.rep.ChannelOutageTo = from, to
			r.mu.Unlock()
		})
	}
	return &wg
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
