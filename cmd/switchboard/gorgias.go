package main

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard/livechat/gorgias/gorgiassim"
)

// A simulated Gorgias account, to try the integration with no Gorgias
// account. (The URL to paste into Gorgias is app.ReceiveURLs'.)
func init() {
	devCommands["gorgias-sim"] = command{"a simulated Gorgias account with an agent console (--addr)", runGorgiasSim}
}

// runGorgiasSim serves a simulated Gorgias account until Ctrl+C and prints
// what to paste into switchboard and how to answer as an agent.
func runGorgiasSim(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("dev gorgias-sim", std)
	addr := fs.String("addr", "127.0.0.1:8090", "listen `address`")
	username := fs.String("username", gorgiassim.DefaultUser.Email, "the agent's `email`: the API username")
	apiKey := fs.String("api-key", gorgiassim.DefaultUser.APIKey, "the REST API `key`")
	receive := fs.String("receive-url", "", "`URL` of an HTTP integration to create at start (the output of `switchboard livechat url BOT`)")
	rate := fs.Int("rate-limit", 40, "requests per 20 s per account before 429 (-1: no limit)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	user := gorgiassim.DefaultUser
	user.Email, user.APIKey = *username, *apiKey
	sim, err := gorgiassim.Start(*addr, gorgiassim.Config{Users: []gorgiassim.User{user}, RateLimit: *rate})
	if err != nil {
		return err
	}
	defer sim.Close()
	if *receive != "" {
		if _, err := sim.AddIntegration(gorgiassim.HTTPHooks{URL: *receive}); err != nil {
			return err
		}
	}
	settings, _ := json.Marshal(map[string]any{"platform": "gorgias", "gorgias": map[string]string{"domain": sim.URL, "username": user.Email, "api_key": user.APIKey}})
	out := std.out
	fmt.Fprintf(out, "Gorgias simulator listening on %s\n\n", sim.URL)
	fmt.Fprintf(out, "  Agent console:  %s/\n", sim.URL)
	fmt.Fprintf(out, "  Domain:         %s\n  Username:       %s\n  API key:        %s\n\n", sim.URL, user.Email, user.APIKey)
	fmt.Fprintf(out, "Give your bot these livechat settings (the \"livechat\" of the bot in the configuration file):\n\n  %s\n\n", settings)
	if *receive == "" {
		fmt.Fprintln(out, "Then paste the URL that `switchboard livechat url BOT --public-url URL` prints into the")
		fmt.Fprintln(out, "console's HTTP integration box (or start this with --receive-url URL).")
	} else {
		fmt.Fprintf(out, "HTTP integration on ticket-message-created: %s\n", *receive)
	}
	fmt.Fprintln(out, "Answer from the console: reply, internal note, sign-off macro, close.")
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	<-ctx.Done()
	return nil
}
