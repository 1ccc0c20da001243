package engine

import (
	"encoding/json"
	"fmt"

	"switchboard"
	"switchboard/csml"
)

// A `goto step@flow in bot` switches the conversation to another bot, as
// the CSML engine's multibot does (csml_engine: manage_switch_bot,
// switch_bot): the channel lists the bots it may reach (Channel.Multibot,
// the reference's request field multibot); the switch adds a switch_bot
// message, and the other bot runs at once, in the same turn and
// transaction, from its flow and step with a flow_trigger event. The
// conversation, and so its livechat session, stays the client's; it runs
// in the other bot (Conversation.RunningBot) until it ends, with the
// memories of that bot (kept under the client's key with the bot's id).

// maxBotSwitches bounds the switches of one event, so that two bots sending
// the user to each other cannot loop.
const maxBotSwitches = 10

// switchTarget finds the bot that a run of from switches to, and adds to
// part the message of the switch, or the error that refuses it (then the
// conversation ends, as the run did).
func (t *turn) switchTarget(from *Bot, to *csml.BotSwitch, switches int, part *botPart) (*Bot, error) {
	var allowed switchboard.MultiBots
	ch, err := t.tx.Channel(t.ctx, t.key.ChannelID)
	switch {
	case err == nil:
		allowed = ch.Multibot
	case switchboard.ErrorCode(err) != switchboard.ENOTFOUND:
		return nil, fmt.Errorf("load channel: %w", err)
	}
	var target *switchboard.MultiBot
	for i, b := range allowed {
		if b.ID == to.Bot || b.Name != "" && b.Name == to.Bot {
			target = &allowed[i]
			break
		}
	}
	var bot *Bot
	switch {
	case target == nil:
		// The reference's words.
		part.added = append(part.added, errorMessage(fmt.Sprintf("Switching to Bot: (%s) is not allowed", to.Bot)))
	case switches >= maxBotSwitches:
		part.added = append(part.added, errorMessage(fmt.Sprintf("Switching to Bot: (%s) refused: one event switched bots %d times", to.Bot, maxBotSwitches)))
	default:
		var ok bool
		if bot, ok = t.e.bots.Get(target.ID); !ok {
			part.added = append(part.added, errorMessage(fmt.Sprintf("Switching to Bot: (%s) failed: bot %q is not loaded", to.Bot, target.ID)))
			break
		}
		client := t.key
		client.BotID = from.Version.Bot.ID
		content, _ := json.Marshal(map[string]any{"bot_id": target.ID, "client": client}) // strings only
		part.added = append(part.added, csml.Message{ContentType: "switch_bot", Content: content})
	}
	return bot, nil
}

// switchStart is where the other bot starts: the goto's flow (its default
// flow when the goto names none) and step. A flow the bot does not have
// starts its default flow, with the reference's error message.
func switchStart(next *Bot, to *csml.BotSwitch, part *botPart) (flow, step string) {
	flow, step = next.Program.DefaultFlow(), to.Step
	if step == "" {
		step = "start"
	}
	if to.Flow != "" {
		f, ok := next.Program.FlowByName(to.Flow)
		if !ok {
			part.added = append(part.added, errorMessage(fmt.Sprintf("flow: [%s] not found in bot: [%s], switching to start@default_flow", to.Flow, next.Version.Bot.Name)))
			return flow, "start"
		}
		flow = f
	}
	return flow, step
}

// flowTrigger is the event the other bot runs on, as in the reference.
func flowTrigger(flow, step string) csml.Event {
	content, _ := json.Marshal(map[string]string{"flow_id": flow, "step_id": step}) // strings only
	return csml.Event{ContentType: "flow_trigger", ContentValue: string(content), Content: content}
}

// errorMessage is a message of content type error, as the reference sends
// its engine's errors.
func errorMessage(text string) csml.Message {
	content, _ := json.Marshal(map[string]string{"error": text}) // a string only
	return csml.Message{ContentType: "error", Content: content}
}
