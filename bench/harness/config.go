package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// Config is one run of the harness.
type Config struct {
	// Binary is a built switchboard; empty builds one into Out.
	Binary string
	// Instances is how many switchboard processes run; Database is sqlite
	// (one instance only) or postgres (default: sqlite for one instance,
	// postgres for more), on PG.
	Instances int
	Database  string
	PG        string
	// Users simulated, spread evenly over the chat page, the Chat API
	// and Channels (messaging channel types, channels.go), and on each
	// over the bots (bot.go).
	Users    int
	Channels []string
	// LivechatShare is the chance that a user asks for a person after its
	// bot turns; ExpireShare the chance that a session then goes silent
	// until it expires (otherwise the agent signs off).
	LivechatShare float64
	ExpireShare   float64
	// Duration is how long users start new turns and sessions; Think the
	// mean time between two messages of one user (or agent).
	Duration time.Duration
	Think    time.Duration
	// Timeout is the bots' livechat session timeout (1 minute, the least
	// the spec allows, so that expiries happen within the run).
	Timeout time.Duration
	// Kill, when set, kills one instance with SIGKILL that long after the
	// load started, and starts it again RestartAfter later.
	Kill         time.Duration
	RestartAfter time.Duration
	// Outage, when set, cuts Platform off for that long, OutageAt after the
	// load started.
	Outage   time.Duration
	OutageAt time.Duration
	Platform string
	// ChannelOutage, when set, is a channel type of Channels whose
	// platform API answers 5xx for Outage, ChannelOutageAt after the
	// load started (default: as the platform's outage ends).
	ChannelOutage   string
	ChannelOutageAt time.Duration
	// Deadline bounds the whole run, setup and checks included.
	Deadline time.Duration
	// Out is the run folder: the binary, the instances' data and logs, the
	// report.
	Out  string
	Seed uint64
	// Progress receives a line every few seconds (nil: none).
	Progress io.Writer
}

// lease is switchboard's lease of claimed jobs and timers: a job or an
// expiry timer held by an instance killed with SIGKILL is taken over by
// another that long after it was claimed (outbox and timers defaults).
const lease = time.Minute

// withDefaults fills what is not set.
func (c Config) withDefaults() Config {
	if c.Instances == 0 {
		c.Instances = 1
	}
	if c.Database == "" {
		c.Database = "sqlite"
		if c.Instances > 1 {
			c.Database = "postgres"
		}
	}
	if c.Timeout == 0 {
		c.Timeout = time.Minute
	}
	if c.Think == 0 {
		c.Think = 3 * time.Second
	}
	if c.RestartAfter == 0 {
		c.RestartAfter = 15 * time.Second
	}
	if c.Platform == "" {
		c.Platform = "gorgias"
	}
	if c.OutageAt == 0 {
		c.OutageAt = c.Duration / 2
	}
	if c.ChannelOutageAt == 0 {
		c.ChannelOutageAt = c.OutageAt + c.Outage
	}
	if c.Deadline == 0 {
		c.Deadline = c.Duration + c.drainLimit() + 3*time.Minute
	}
	return c
}

// drainLimit bounds the time after Duration for users to finish what they
// started: a session that goes silent at the very end expires a timeout
// later, up to a lease later still when its timer was held by a killed
// instance, and platform calls retried after an outage back off up to
// about as long as the outage lasted.
func (c Config) drainLimit() time.Duration {
	return c.Timeout + lease + c.Outage + time.Minute
}

// check refuses configurations that cannot run.
func (c Config) check() error {
	switch {
	case c.Instances < 1:
		return fmt.Errorf("-instances %d: at least 1", c.Instances)
	case c.Database != "sqlite" && c.Database != "postgres":
		return fmt.Errorf("-database %q: sqlite or postgres", c.Database)
	case c.Database == "sqlite" && c.Instances > 1:
		return fmt.Errorf("-instances %d on SQLite: several instances need -database postgres", c.Instances)
	case c.Database == "postgres" && c.PG == "":
		return fmt.Errorf("-database postgres needs -pg URL (or SWITCHBOARD_TEST_POSTGRES)")
	case c.Users < 1:
		return fmt.Errorf("-users %d: at least 1", c.Users)
	case c.Duration <= 0:
		return fmt.Errorf("-duration %s: more than 0", c.Duration)
	case c.Timeout < time.Minute:
		return fmt.Errorf("-timeout %s: the spec allows 1m at least", c.Timeout)
	case c.Platform != "gorgias" && c.Platform != "chatwoot":
		return fmt.Errorf("-platform %q: gorgias or chatwoot", c.Platform)
	case c.ChannelOutage != "" && !slices.Contains(c.Channels, c.ChannelOutage):
		return fmt.Errorf("-channel-outage %q: not one of -channels %v", c.ChannelOutage, c.Channels)
	case c.LivechatShare < 0 || c.LivechatShare > 1 || c.ExpireShare < 0 || c.ExpireShare > 1:
		return fmt.Errorf("-livechat-share and -expire-share are chances, from 0 to 1")
	case c.Kill < 0 || c.Outage < 0 || c.OutageAt < 0:
		return fmt.Errorf("-kill, -outage and -outage-at cannot be negative")
	case c.Deadline < c.Duration+checkReserve+teardownReserve+time.Minute:
		return fmt.Errorf("-deadline %s: give the run the duration, a minute to set up, and %s to check and stop", c.Deadline, checkReserve+teardownReserve)
	}
	return nil
}
