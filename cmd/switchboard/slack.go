package main

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard/channel/slack/slacksim"
)

// A simulated Slack workspace with the app installed, to try the Slack
// channel with no workspace: its console writes as people and presses the
// bot's buttons.
func init() {
	devCommands["slack-sim"] = command{"a simulated Slack workspace and app with a console (--addr, --webhook)", runSlackSim}
}

// runSlackSim serves a simulated workspace until Ctrl+C and prints what to
// give switchboard.
func runSlackSim(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("dev slack-sim", std)
	addr := fs.String("addr", "127.0.0.1:8095", "listen `address`")
	token := fs.String("bot-token", slacksim.DefaultBotToken, "the bot `token` (xoxb-…) the Web API takes")
	secret := fs.String("signing-secret", slacksim.DefaultSigningSecret, "the signing `secret` of the deliveries")
	webhook := fs.String("webhook", "", "switchboard's webhook `URL` (…/v1/channels/ID/webhook), verified and set as the app's request URL; or paste it in the console")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sim := slacksim.New(slacksim.Config{Addr: *addr, BotToken: *token, SigningSecret: *secret})
	if err := sim.Start(); err != nil {
		return err
	}
	defer sim.Close()
	if *webhook != "" {
		if err := sim.Subscribe(ctx, *webhook); err != nil {
			return fmt.Errorf("set the request URL: %w", err)
		}
	}
	apiBase := sim.URL() + "/api"
	body, _ := json.Marshal(map[string]any{"bot_id": "YOUR_BOT", "type": "slack", "slack": map[string]string{"bot_token": *token, "signing_secret": *secret, "api_base": apiBase}})
	out := std.out
	fmt.Fprintf(out, "Slack simulator listening on %s\n\n", sim.URL())
	fmt.Fprintf(out, "  Console:         %s/\n  api_base:        %s\n  Bot token:       %s\n  Signing secret:  %s\n\n", sim.URL(), apiBase, *token, *secret)
	fmt.Fprintf(out, "Create the channel with the admin API (POST /v1/admin/channels):\n\n  %s\n\n", body)
	fmt.Fprintln(out, "Then paste the channel's webhook_url as the app's request URL in the console (Slack verifies it),")
	fmt.Fprintln(out, "or start with --webhook. Add a person in the console, write in their DM or #general, press the buttons.")
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	<-ctx.Done()
	return nil
}
