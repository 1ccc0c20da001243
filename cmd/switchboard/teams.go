package main

import (
	"context"
	"encoding/json"
	"fmt"

	"switchboard/channel/teams/teamssim"
)

// A simulated Microsoft Teams for one bot, to try a bot on Teams with no
// Azure account: its console page writes as users and presses the cards'
// buttons.
func init() {
	devCommands["teams-sim"] = command{"a simulated Microsoft Teams (Bot Framework) with a console page (--addr, --endpoint)", runTeamsSim}
}

// runTeamsSim serves a simulated Teams until Ctrl+C and prints what to
// paste into switchboard.
func runTeamsSim(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("dev teams-sim", std)
	addr := fs.String("addr", "127.0.0.1:8099", "listen `address`")
	appID := fs.String("app-id", teamssim.DefaultAppID, "the bot's Microsoft App `ID`")
	password := fs.String("app-password", teamssim.DefaultAppPassword, "the bot's client `secret`")
	endpoint := fs.String("endpoint", "", "switchboard's webhook `URL` (…/v1/channels/ID/webhook), the bot's messaging endpoint; or paste it in the page")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sim := teamssim.New(teamssim.Config{Addr: *addr, AppID: *appID, AppPassword: *password})
	if err := sim.Start(); err != nil {
		return err
	}
	defer sim.Close()
	if *endpoint != "" {
		sim.SetEndpoint(*endpoint)
	}
	channel, _ := json.Marshal(map[string]any{"bot_id": "BOT_ID", "type": "teams", "teams": sim.Settings()})
	out := std.out
	fmt.Fprintf(out, "Teams simulator listening on %s\n\n", sim.URL())
	fmt.Fprintf(out, "  Console page:  %s/\n  App ID:        %s\n  App password:  %s\n  Token URL:     %s\n  Metadata URL:  %s\n\n", sim.URL(), *appID, *password, sim.TokenURL(), sim.MetadataURL())
	fmt.Fprintf(out, "Add the channel to your bot (POST /v1/admin/channels):\n\n  %s\n\n", channel)
	fmt.Fprintln(out, "Then set the channel's webhook URL (/v1/channels/CHANNEL_ID/webhook) as the bot's messaging")
	fmt.Fprintln(out, "endpoint: paste it on the console page, or start with --endpoint. Install the bot for a user")
	fmt.Fprintln(out, "and write as them on the console page.")
	fmt.Fprintln(out, "\nPress Ctrl+C to stop.")
	<-ctx.Done()
	return nil
}
