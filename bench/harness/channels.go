package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchboard/internal/simkit"
)

// Channel customers: users on a messaging channel (WhatsApp, Telegram,
// Messenger, SMS…) who write and press buttons in the channel's
// simulator, as a person does in the app, and whose received messages
// are read back from the simulator. The harness runs one simulator per
// channel type and bot, in this process, each a real HTTP server that
// switchboard's instances call (its api_base), and creates the channel
// through the admin API pointing at it.
//
// A channel type is one adapter file (channel_<type>.go) that registers a
// channelType: how to start its simulator, and a channelSim, what the
// customers and the faults need of it. Everything else (the customers'
// script, the ledger, the checks) is shared: see channelclient.go.

// channelType is a messaging channel type the harness's customers can be
// on.
type channelType struct {
	// Name is the channel's type in the admin API ("whatsapp").
	Name string
	// Reordered says the simulator may deliver one customer's messages
	// out of the order they were written (see channelSim.Chaos): the
	// checks then expect the order switchboard processed them in.
	Reordered bool
	// GivesUp says the platform gives up on a webhook call within
	// seconds when nothing answers it (Twilio): what its customers write
	// while no instance is up is lost at the platform, so a run whose kill
	// leaves no instance up (one instance) has no customers on it.
	GivesUp bool
	// Platform, when set, is the livechat platform of the sessions of
	// the channel's customers whatever their bot's settings name: the
	// channel's own platform holds them (Chatwoot's agent-bot inbox,
	// "chatwoot-inbox"), and its simulator is a heldSim.
	Platform string
	// Start starts the simulator of bot number n (0, 1…): one per bot,
	// as each channel is its own business number, bot or page.
	Start func(n int, seed uint64) (channelSim, error)
}

// channelSim is one simulator as the harness drives it.
type channelSim interface {
	// Settings are the channel's settings in the admin API (the object
	// under the type's name), pointing at the simulator.
	Settings() map[string]any
	// Subscribe points the simulator's webhooks at the channel's webhook
	// URL, as the platform's dashboard does (a no-op where creating the
	// channel did it, as Telegram's setWebhook).
	Subscribe(ctx context.Context, webhook string) error
	// UserID is harness user n's id on the platform; Client the
	// customer's user_id in switchboard, as the driver writes it.
	UserID(n int) string
	Client(user string) string
	// Write is the customer user writing text; Press pressing the button
	// titled title on the last message that shows it (a reply button, an
	// inline button, a quick reply, or typing its number on SMS).
	Write(ctx context.Context, user, text string) error
	Press(ctx context.Context, user, title string) error
	// Received is every message the business sent to user, in the order
	// the platform accepted them.
	Received(user string) []platformMsg
	// SetOutage makes the platform's API answer every request 5xx (on) or
	// work again.
	SetOutage(on bool)
	// Chaos turns on the delivery faults the simulator runs with for the
	// whole run (duplicated webhooks; reordered ones where Reordered).
	Chaos()
	// Deliveries are the webhook calls the simulator made, for the
	// report.
	Deliveries() []simkit.Delivery
	Close()
}

// heldSim is the simulator of a channel whose platform holds the
// sessions itself (channelType.Platform): its agents write to the
// customer there, never through switchboard.
type heldSim interface {
	// AgentWrite is the platform's agent writing to user in their
	// session (signOff: with the sign-off that asks switchboard for the
	// end button); Resolve the agent closing the conversation.
	AgentWrite(ctx context.Context, user, text string, signOff bool) error
	Resolve(ctx context.Context, user string) error
	// Audit reads user's conversation at the end: what the bot said in it
	// while the agents had it, and whether the bot has it back.
	Audit(user string) (talkedOver []string, handedBack bool)
}

// platformMsg is a message as a customer sees it in the app: its text and
// the titles of its buttons.
type platformMsg struct {
	Text    string
	Buttons []string
}

// channelTypes are the channel types the harness knows, by name.
var channelTypes = map[string]channelType{}

// registerChannel adds a channel type (from its adapter file's init).
func registerChannel(t channelType) { channelTypes[t.Name] = t }

// channelNames are the known channel types, sorted.
func channelNames() []string {
	var out []string
	for name := range channelTypes {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// parseChannels reads a comma-separated list of channel types ("all" for
// every one, "" for none).
func parseChannels(list string) ([]string, error) {
	switch list {
	case "":
		return nil, nil
	case "all":
		return channelNames(), nil
	}
	var out []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if _, ok := channelTypes[name]; !ok {
			return nil, fmt.Errorf("channel %q: one of %s", name, strings.Join(channelNames(), ", "))
		}
		out = append(out, name)
	}
	return out, nil
}

// survivable returns the channel types whose customers can live through
// the run's faults, and the ones left out.
func (c Config) survivable() (kept, out []string) {
	for _, name := range c.Channels {
		if c.Kill > 0 && c.Instances == 1 && channelTypes[name].GivesUp {
			out = append(out, name)
		} else {
			kept = append(kept, name)
		}
	}
	return kept, out
}

// channelSims are the simulators of a run: by channel type, one per bot
// in the order of bots.
type channelSims map[string][]channelSim

// startChannels starts a simulator per channel type and bot.
func startChannels(names []string, seed uint64) (channelSims, error) {
	out := channelSims{}
	for _, name := range names {
		for i := range bots {
			s, err := channelTypes[name].Start(i, seed+uint64(i))
			if err != nil {
				out.close()
				return nil, fmt.Errorf("%s simulator: %w", name, err)
			}
			out[name] = append(out[name], s)
		}
	}
	return out, nil
}

// setOutage cuts a channel type's platform off (every bot's), or restores
// it.
func (cs channelSims) setOutage(name string, on bool) {
	for _, s := range cs[name] {
		s.SetOutage(on)
	}
}

// webhookCount is what a channel type's simulators posted: the calls
// made, those posted a second time by the chaos, and those that found no
// instance to answer them at first (retried by the platform, or not).
type webhookCount struct {
	Calls, Twice, Failed int
}

// webhooks counts each channel type's webhook calls.
func (cs channelSims) webhooks() map[string]webhookCount {
	out := map[string]webhookCount{}
	for name, sims := range cs {
		var c webhookCount
		for _, s := range sims {
			for _, d := range s.Deliveries() {
				c.Calls++
				if d.Duplicate {
					c.Twice++
				}
				if d.Attempts > 1 || !d.OK() {
					c.Failed++
				}
			}
		}
		out[name] = c
	}
	return out
}

// close stops every simulator.
func (cs channelSims) close() {
	for _, sims := range cs {
		for _, s := range sims {
			s.Close()
		}
	}
}

// duplicateShare is the chance that a simulator posts a webhook call
// twice, on every channel; reorderGroup the size of the groups of calls a
// simulator whose type is Reordered posts in reverse order.
const (
	duplicateShare = 0.1
	reorderGroup   = 2
)

// chaos are the delivery switches of a channel type.
func chaos(reordered bool) simkit.Chaos {
	c := simkit.Chaos{Duplicate: duplicateShare}
	if reordered {
		c.Reorder = reorderGroup
	}
	return c
}

// pressOn returns the last message of ms that shows a button titled
// title, and its index among that message's buttons.
func pressOn(ms []platformMsg, title string) (int, int, error) {
	for i, m := range slices.Backward(ms) {
		if j := slices.Index(m.Buttons, title); j >= 0 {
			return i, j, nil
		}
	}
	return 0, 0, fmt.Errorf("no button %q was sent", title)
}
