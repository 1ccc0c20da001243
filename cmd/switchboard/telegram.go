package main

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard/channel/telegram/telegramsim"
)

// A simulated Telegram Bot API, to try the Telegram channel with no bot
// from @BotFather. Creating the channel in switchboard sets its webhook.
func init() {
	devCommands["telegram-sim"] = command{"a simulated Telegram Bot API with a phone-like console (--addr)", runTelegramSim}
}

// runTelegramSim serves a simulated Bot API until Ctrl+C and prints what to
// give switchboard.
func runTelegramSim(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("dev telegram-sim", std)
	addr := fs.String("addr", "127.0.0.1:8096", "listen `address`")
	token := fs.String("token", telegramsim.DefaultToken, "the bot `token` the API takes")
	strict := fs.Bool("https-only", false, "take only HTTPS webhooks on ports 443, 80, 88 and 8443, as Telegram does (by default a local http switchboard is taken too)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sim := telegramsim.New(telegramsim.Config{Addr: *addr, Token: *token, InsecureWebhooks: !*strict})
	if err := sim.Start(); err != nil {
		return err
	}
	defer sim.Close()
	body, _ := json.Marshal(map[string]any{"bot_id": "YOUR_BOT", "type": "telegram", "telegram": map[string]string{"bot_token": *token, "api_base": sim.URL()}})
	out := std.out
	fmt.Fprintf(out, "Telegram simulator listening on %s\n\n", sim.URL())
	fmt.Fprintf(out, "  Console:    %s/\n", sim.URL())
	fmt.Fprintf(out, "  api_base:   %s\n  Bot token:  %s\n\n", sim.URL(), *token)
	fmt.Fprintf(out, "Create the channel with the admin API (POST /v1/admin/channels):\n\n  %s\n\n", body)
	fmt.Fprintln(out, "switchboard calls setWebhook here itself: nothing to paste back.")
	fmt.Fprintln(out, "In the console, start the bot as a user, write, and press the inline buttons.")
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	<-ctx.Done()
	return nil
}
