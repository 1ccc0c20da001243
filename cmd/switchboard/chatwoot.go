package main

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard/livechat/chatwoot/chatwootsim"
)

// A simulated Chatwoot instance, to try the integration with no Chatwoot
// account. Saving the bot's settings makes the inbox and its webhook.
func init() {
	devCommands["chatwoot-sim"] = command{"a simulated Chatwoot instance with an agent console (--addr)", runChatwootSim}
}

// runChatwootSim serves a simulated Chatwoot instance until Ctrl+C and
// prints what to paste into switchboard and how to answer as an agent.
func runChatwootSim(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("dev chatwoot-sim", std)
	addr := fs.String("addr", "127.0.0.1:8091", "listen `address`")
	token := fs.String("access-token", chatwootsim.DefaultUser.Token, "the administrator's access `token`")
	rate := fs.Int("rate-limit", 0, "API requests per minute per client address before 429 (0: none, as for localhost)")
	unsigned := fs.Bool("unsigned", false, "make inboxes without a webhook secret, as Chatwoot versions before signed webhooks")
	csat := fs.Bool("csat", false, "make inboxes with the CSAT survey on: resolving a conversation sends it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	user := chatwootsim.DefaultUser
	user.Token = *token
	user.Roles = map[int64]string{chatwootsim.DefaultAccount.ID: "administrator"}
	sim, err := chatwootsim.Start(*addr, chatwootsim.Config{Users: []chatwootsim.User{user}, RateLimit: *rate, Unsigned: *unsigned, CSATSurvey: *csat})
	if err != nil {
		return err
	}
	defer sim.Close()
	settings, _ := json.Marshal(map[string]any{"platform": "chatwoot", "chatwoot": map[string]string{"url": sim.URL, "access_token": user.Token}})
	out := std.out
	fmt.Fprintf(out, "Chatwoot simulator listening on %s\n\n", sim.URL)
	fmt.Fprintf(out, "  Agent console:  %s/\n", sim.URL)
	fmt.Fprintf(out, "  URL:            %s\n  Access token:   %s\n\n", sim.URL, user.Token)
	fmt.Fprintf(out, "Give your bot these livechat settings (the \"livechat\" of the bot in the configuration file):\n\n  %s\n\n", settings)
	fmt.Fprintln(out, "Saving them creates the bot's inbox here, with switchboard's webhook: nothing to paste back.")
	fmt.Fprintln(out, "Answer from the console: reply, sign-off canned response, private note, file, resolve.")
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	<-ctx.Done()
	return nil
}
