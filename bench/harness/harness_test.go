package main

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"switchboard/store/postgres/pgtest"
)

// TestShortRun is the harness's short run, the one CI runs: three
// instances on PostgreSQL (one on SQLite without SWITCHBOARD_TEST_POSTGRES,
// and then no SMS, Teams or Chatwoot inbox customers: see
// channelType.GivesUp), fifty users on the chat page, the Chat API and
// every messaging channel (five each) over the desk, Gorgias and Chatwoot
// (and a Chatwoot inbox's own agents for its contacts), one instance
// killed with SIGKILL and started again, Gorgias cut off for 15 seconds
// then WhatsApp's Graph API for 15 more, the channels' webhooks duplicated
// (and WhatsApp's batched and reordered), sessions left to expire after their
// 1-minute timeout or to time out unclaimed in a team's queue, handoffs
// refused outside business hours; every invariant must hold. It takes about two
// minutes, most of it waiting for the killed instance's leases (one
// minute) and the expiries.
func TestShortRun(t *testing.T) {
	if testing.Short() {
		t.Skip("the harness's short run takes minutes")
	}
	cfg := Config{
		Instances: 3, Users: 50, Channels: channelNames(), LivechatShare: 0.6, ExpireShare: 0.4,
		Duration: 60 * time.Second, Think: 2 * time.Second,
		Kill: 15 * time.Second, RestartAfter: 10 * time.Second,
		Outage: 15 * time.Second, OutageAt: 25 * time.Second, Platform: "gorgias", ChannelOutage: "whatsapp",
		Deadline: 8 * time.Minute, Out: t.TempDir(), Seed: 7,
	}
	if cfg.PG = os.Getenv(pgtest.Env); cfg.PG == "" {
		t.Log(pgtest.Env + " is not set: one instance on SQLite instead of three on PostgreSQL")
		cfg.Instances = 1
	}
	if testing.Verbose() {
		cfg.Progress = os.Stderr
	}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.Write(&out)
	t.Log("\n" + out.String())
	if rep.Failed() {
		t.Fatalf("an invariant failed: see the report above and the instances' logs in %s", rep.Out)
	}
}
