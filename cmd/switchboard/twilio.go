package main

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard/channel/twilio/twiliosim"
)

// A simulated Twilio account with one SMS number, to try a bot by SMS with
// no Twilio account: its console page texts as customers.
func init() {
	devCommands["twilio-sim"] = command{"a simulated Twilio SMS number with a console page (--addr, --webhook)", runTwilioSim}
}

// runTwilioSim serves a simulated Twilio number until Ctrl+C and prints
// what to paste into switchboard.
func runTwilioSim(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("dev twilio-sim", std)
	addr := fs.String("addr", "127.0.0.1:8098", "listen `address`")
	account := fs.String("account-sid", twiliosim.DefaultAccountSID, "the Account `SID` the REST API accepts")
	token := fs.String("auth-token", twiliosim.DefaultAuthToken, "the Auth `Token`: the REST API's password and the webhooks' signing key")
	number := fs.String("number", twiliosim.DefaultNumber, "the SMS `number` customers text, in E.164")
	webhook := fs.String("webhook", "", "switchboard's webhook `URL` (…/v1/channels/ID/webhook) the number posts to; or paste it in the page")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sim := twiliosim.New(twiliosim.Config{Addr: *addr, AccountSID: *account, AuthToken: *token, Number: *number})
	if err := sim.Start(); err != nil {
		return err
	}
	defer sim.Close()
	if *webhook != "" {
		sim.SetWebhook(*webhook)
	}
	channel, _ := json.Marshal(map[string]any{"bot_id": "BOT_ID", "type": "twilio", "twilio": map[string]string{
		"account_sid": *account, "auth_token": *token, "from": *number, "api_base": sim.URL()}})
	out := std.out
	fmt.Fprintf(out, "Twilio simulator listening on %s\n\n", sim.URL())
	fmt.Fprintf(out, "  Console page:  %s/\n  API base:      %s\n  Account SID:   %s\n  Auth Token:    %s\n  Number:        %s\n\n", sim.URL(), sim.URL(), *account, *token, *number)
	fmt.Fprintf(out, "Add the channel to your bot (POST /v1/admin/channels):\n\n  %s\n\n", channel)
	fmt.Fprintln(out, "Then give the number the channel's webhook URL (/v1/channels/CHANNEL_ID/webhook): paste it on the")
	fmt.Fprintln(out, "console page, or start with --webhook. Text as a customer on the console page.")
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	<-ctx.Done()
	return nil
}
