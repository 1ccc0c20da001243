package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchboard/channel/whatsapp/whatsappsim"
)

// A simulated WhatsApp Cloud API, to try a bot on WhatsApp with no Meta
// account: its phone page writes as customers.
func init() {
	devCommands["whatsapp-sim"] = command{"a simulated WhatsApp Cloud API with a phone page (--addr, --webhook)", runWhatsAppSim}
}

// subscribeEvery is how often the simulator tries the --webhook handshake
// until switchboard answers it.
const subscribeEvery = 2 * time.Second

// runWhatsAppSim serves a simulated WhatsApp business number until Ctrl+C
// and prints what to paste into switchboard.
func runWhatsAppSim(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("dev whatsapp-sim", std)
	addr := fs.String("addr", "127.0.0.1:8093", "listen `address`")
	pnid := fs.String("phone-number-id", whatsappsim.DefaultPhoneNumberID, "the business phone number's `id`")
	display := fs.String("display-phone-number", whatsappsim.DefaultDisplayPhoneNumber, "the business `number` customers see")
	token := fs.String("access-token", whatsappsim.DefaultAccessToken, "the Bearer `token` the Graph API accepts")
	secret := fs.String("app-secret", whatsappsim.DefaultAppSecret, "the app `secret` that signs webhooks")
	verify := fs.String("verify-token", whatsappsim.DefaultVerifyToken, "the verify `token` of the webhook handshake")
	webhook := fs.String("webhook", "", "switchboard's webhook `URL` (…/v1/channels/ID/webhook) to verify and post to; or paste it in the page")
	retryFor := fs.Duration("retry-for", time.Minute, "how long a failing webhook delivery is retried (Meta: 7 days)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sim := whatsappsim.New(whatsappsim.Config{Addr: *addr, PhoneNumberID: *pnid, DisplayPhoneNumber: *display, AccessToken: *token,
		AppSecret: *secret, VerifyToken: *verify, RetryFor: *retryFor})
	if err := sim.Start(); err != nil {
		return err
	}
	defer sim.Close()
	channel, _ := json.Marshal(map[string]any{"bot_id": "BOT_ID", "type": "whatsapp", "whatsapp": map[string]string{
		"phone_number_id": *pnid, "access_token": *token, "app_secret": *secret, "verify_token": *verify, "api_base": sim.URL()}})
	out := std.out
	fmt.Fprintf(out, "WhatsApp simulator listening on %s\n\n", sim.URL())
	fmt.Fprintf(out, "  Phone page:       %s/\n", sim.URL())
	fmt.Fprintf(out, "  API base:         %s\n  Phone number ID:  %s\n  Access token:     %s\n  App secret:       %s\n  Verify token:     %s\n\n",
		sim.URL(), *pnid, *token, *secret, *verify)
	fmt.Fprintf(out, "Add the channel to your bot (POST /v1/admin/channels, or the bot's page in the admin):\n\n  %s\n\n", channel)
	fmt.Fprintln(out, "Then give the simulator the channel's webhook URL (/v1/channels/CHANNEL_ID/webhook): paste it as the")
	fmt.Fprintln(out, "Callback URL on the phone page, or start with --webhook. Write as a customer on the phone page.")
	if *webhook != "" {
		go subscribeWhenUp(ctx, sim, *webhook, std)
	}
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	<-ctx.Done()
	return nil
}

// subscribeWhenUp makes the webhook handshake until it passes: switchboard
// may start after the simulator.
func subscribeWhenUp(ctx context.Context, sim *whatsappsim.Sim, webhook string, std stdio) {
	for {
		err := sim.Subscribe(ctx, webhook)
		if err == nil {
			fmt.Fprintf(std.out, "Webhook verified: posting to %s\n", webhook)
			return
		}
		fmt.Fprintf(std.err, "%v; trying again in %s\n", err, subscribeEvery)
		select {
		case <-ctx.Done():
			return
		case <-time.After(subscribeEvery):
		}
	}
}
