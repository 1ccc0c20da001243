package main

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard/channel/messenger/messengersim"
)

// Simulated Messenger and Instagram, to try the channels with no Meta
// account.
func init() {
	devCommands["messenger-sim"] = command{"a simulated Messenger Platform (a Facebook Page) with a user console (--addr)", func(ctx context.Context, args []string, std stdio) error {
		return runMetaSim(ctx, args, std, false)
	}}
	devCommands["instagram-sim"] = command{"a simulated Instagram messaging account with a user console (--addr)", func(ctx context.Context, args []string, std stdio) error {
		return runMetaSim(ctx, args, std, true)
	}}
}

// runMetaSim serves a simulated page or Instagram account until Ctrl+C
// and prints the channel to create and how to point the simulator at it.
func runMetaSim(ctx context.Context, args []string, std stdio, instagram bool) error {
	typ, idField, addr := "messenger", "page_id", "127.0.0.1:8097"
	if instagram {
		typ, idField, addr = "instagram", "instagram_id", "127.0.0.1:8094"
	}
	fs := newFlagSet("dev "+typ+"-sim", std)
	listen := fs.String("addr", addr, "listen `address`")
	humanAgent := fs.Bool("human-agent", false, "approve the app for the HUMAN_AGENT tag (agents may answer up to 7 days)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sim := messengersim.New(messengersim.Config{Instagram: instagram, Addr: *listen, HumanAgent: *humanAgent})
	if err := sim.Start(); err != nil {
		return err
	}
	defer sim.Close()
	cfg := sim.Config()
	settings := map[string]any{idField: cfg.AccountID, "page_access_token": cfg.PageAccessToken, "app_secret": cfg.AppSecret, "verify_token": cfg.VerifyToken,
		"api_base": sim.URL() + "/v21.0", "human_agent_tag": *humanAgent, "handover": true}
	body, _ := json.Marshal(map[string]any{"bot_id": "BOT_ID", "type": typ, typ: settings})
	out := std.out
	fmt.Fprintf(out, "%s simulator listening on %s\n\n", map[bool]string{false: "Messenger", true: "Instagram"}[instagram], sim.URL())
	fmt.Fprintf(out, "  User console:  %s/\n\n", sim.URL())
	fmt.Fprintf(out, "Create the channel (POST /v1/admin/channels with the admin token):\n\n  %s\n\n", body)
	fmt.Fprintln(out, "Then paste the channel's webhook_url into the console's Callback URL: the simulator verifies it as Meta's dashboard does.")
	fmt.Fprintln(out, "Write as a user, tap quick replies and buttons, and act as Meta's inbox from the console.")
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	<-ctx.Done()
	return nil
}
