// Command harness is switchboard's load and fault harness (issue 7): it
// starts the system as users run it, loads it with simulated users and
// agents, kills an instance and cuts a platform off meanwhile, and checks
// at the end that nothing was lost, repeated or reordered, that every
// session ended once for its reason, that nobody who asked for a person was
// left without a message, and that the bot never spoke during a session.
//
// What it runs, all on loopback:
//
//   - the switchboard binary (built from ./cmd/switchboard, or -binary):
//     one instance on SQLite, or several on one PostgreSQL database (a
//     fresh schema, dropped at the end), each a process of its own with the
//     shared secret keys and admin token, JSON logs in the run folder;
//   - a load balancer in front of them (balancer.go), which is also the
//     public URL the platforms call back;
//   - the Gorgias and Chatwoot simulators, in this process;
//   - three bots set up through the admin API, handing over to the desk,
//     to Gorgias and to Chatwoot, with a 1-minute session timeout; and two
//     more on the desk: one routes its handoffs to a team whose queue
//     announces positions and ends sessions nobody claimed within a
//     1-minute wait limit, one is outside its business hours and refuses
//     (the bot gets LIVECHAT_SESSION_UNAVAILABLE);
//   - a simulator per messaging channel type (-channels: WhatsApp,
//     Telegram, Messenger, Instagram, SMS through Twilio) and bot, in this
//     process, each channel created through the admin API pointing at its
//     simulator (channels.go; an adapter file per type);
//   - users spread evenly over the chat page's WebSocket, the Chat API
//     (with signed callbacks to this process) and the channels (writing
//     and pressing buttons in the simulator, reading what it shows them),
//     and on each over the bots. Each chats
//     with the bot, and now and then clicks "talk to a person", exchanges
//     messages with its agent (through the desk's API or the simulators),
//     then either the agent signs off and the user clicks the end button,
//     or both go silent until the session expires (on the queue bot: the
//     agent never answers and the wait limit ends it); then the user talks
//     to the bot again. Every message carries a unique token (u17-m42).
//
// Faults: -kill kills instance 1 with SIGKILL that long after the load
// started and starts it again -restart-after later, with the same
// arguments; -outage cuts -platform off (its API answers 503, its webhooks
// are held) for that long, -outage-at after the start, and
// -channel-outage a channel type's API (5xx) for as long, from
// -channel-outage-at. The channels' simulators post a share of their
// webhooks twice all run long; WhatsApp's batch them and swap pairs.
//
// After -duration users start nothing new and finish what they started;
// the harness waits for the work in flight (a lease at least after a kill),
// reads every user's history, every session and every platform
// conversation, checks them against what users and agents did, prints the
// report (also written to report.txt in the run folder) and exits 1 if any
// check failed.
//
//	go run ./bench/harness -instances 3 -users 420 -duration 4m -kill 90s -restart-after 15s -outage 30s -outage-at 150s -platform gorgias -channel-outage whatsapp
//
// The short run CI does is TestShortRun (go test ./bench/harness); the
// method and a long run's figures are in docs/benchmarks.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	var cfg Config
	flag.StringVar(&cfg.Binary, "binary", "", "switchboard binary to run (default: build ./cmd/switchboard into the run folder)")
	flag.IntVar(&cfg.Instances, "instances", 1, "switchboard instances: 1 runs on SQLite, more on PostgreSQL")
	flag.StringVar(&cfg.Database, "database", "", "sqlite or postgres (default: sqlite for one instance, postgres for more)")
	flag.StringVar(&cfg.PG, "pg", pgDefault(), "PostgreSQL `URL`; the run gets a schema of its own there, dropped at the end")
	flag.IntVar(&cfg.Users, "users", 60, "simulated users")
	channels := flag.String("channels", "all", "messaging channel types with customers, comma-separated: "+strings.Join(channelNames(), ", ")+", all or none")
	flag.Float64Var(&cfg.LivechatShare, "livechat-share", 0.5, "chance that a user asks for a person after its bot turns")
	flag.Float64Var(&cfg.ExpireShare, "expire-share", 0.3, "chance that a session is left to expire (else the agent signs off)")
	flag.DurationVar(&cfg.Duration, "duration", 2*time.Minute, "how long users start new turns and sessions")
	flag.DurationVar(&cfg.Think, "think", 3*time.Second, "mean time between two messages of one user or agent")
	flag.DurationVar(&cfg.Timeout, "timeout", time.Minute, "the bots' livechat session timeout (1m at least)")
	flag.DurationVar(&cfg.Kill, "kill", 0, "when to kill instance 1 with SIGKILL, after the load started (0: never)")
	flag.DurationVar(&cfg.RestartAfter, "restart-after", 15*time.Second, "how long the killed instance stays down")
	flag.DurationVar(&cfg.Outage, "outage", 0, "how long -platform is cut off (0: never)")
	flag.DurationVar(&cfg.OutageAt, "outage-at", 0, "when the outage starts, after the load started (default: half the duration)")
	flag.StringVar(&cfg.Platform, "platform", "gorgias", "the platform the outage cuts off: gorgias or chatwoot")
	flag.StringVar(&cfg.ChannelOutage, "channel-outage", "", "a channel type whose API answers 5xx for -outage (empty: none)")
	flag.DurationVar(&cfg.ChannelOutageAt, "channel-outage-at", 0, "when the channel's outage starts, after the load started (default: when the platform's ends)")
	flag.DurationVar(&cfg.Deadline, "deadline", 0, "hard limit of the whole run (default: duration + drain limit + 3m)")
	flag.StringVar(&cfg.Out, "out", "", "run folder: binary, data, logs, report (default: a new temporary folder)")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "seed of the users' choices")
	flag.Parse()
	if *channels != "none" {
		var err error
		if cfg.Channels, err = parseChannels(*channels); err != nil {
			fmt.Fprintln(os.Stderr, "harness: -channels:", err)
			os.Exit(2)
		}
	}
	cfg.Progress = os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := Run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "harness:", err)
		os.Exit(2)
	}
	rep.Write(os.Stdout)
	if rep.Failed() {
		os.Exit(1)
	}
}

// pgDefault is the test database of the repository's CI.
func pgDefault() string {
	if dsn := os.Getenv("SWITCHBOARD_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}
