package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"switchboard/livechat/chatwoot/chatwootsim"
	"switchboard/livechat/gorgias/gorgiassim"
)

// botSetup is what the harness made of one bot: its channels and their
// credentials.
type botSetup struct {
	harnessBot
	// Webapp is the chat page channel's id.
	Webapp string
	// APIKey and APISecret are the API channel's credentials.
	APIKey, APISecret string
	// Channels are its messaging channels' ids, by type.
	Channels map[string]string
}

// admin calls the admin API with the admin token.
type admin struct {
	base, token string
	client      *http.Client
}

// do sends one admin request and decodes a 2xx answer into out (a
// *[]byte gets it raw).
func (a *admin) do(ctx context.Context, method, path, contentType string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := a.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s %s", method, path, res.Status, bytes.TrimSpace(raw))
	}
	if b, ok := out.(*[]byte); ok {
		*b = raw
		return nil
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// doJSON sends a JSON body.
func (a *admin) doJSON(ctx context.Context, method, path string, in, out any) error {
	body, _ := json.Marshal(in)
	return a.do(ctx, method, path, "application/json", body, out)
}

// waitLimit is the queue bot's wait limit, the shortest allowed.
const waitLimit = time.Minute

// Desk agent of the harness.
const (
	deskEmail = "harness@example.com"
	deskName  = "Harness agent"
)

// setUp imports the bots, saves their livechat settings (the session
// timeout, the platforms' credentials, the queue bot's queue and the closed
// bot's hours; Chatwoot's inbox is made on save), adds Gorgias's HTTP
// integration with the receive URL, makes a chat page and an API channel
// per bot, and invites the desk agent, whose password it returns, into the
// queue bot's team. Everything goes through the balancer, as an
// administrator's script would.
func setUp(ctx context.Context, a *admin, p *platforms, sims channelSims, timeout time.Duration) ([]botSetup, string, error) {
	var out []botSetup
	for i, b := range bots {
		if err := a.do(ctx, http.MethodPost, "/v1/admin/bots", "application/json", botJSON(b), nil); err != nil {
			return nil, "", fmt.Errorf("import bot: %w", err)
		}
		settings := map[string]any{"platform": b.Platform, "timeout": timeout.String()}
		if b.Team != "" {
			// The wait limit ends unclaimed sessions; the inactivity
			// timeout, longer, never races it.
			settings["timeout"] = (3 * timeout).String()
			settings["queue"] = map[string]any{"announce": true, "position_message": queueAnnounce,
				"position_message_no_estimate": queueAnnounce, "wait_limit": waitLimit.String()}
		}
		if b.Closed {
			today := time.Now().UTC()
			settings["availability"] = map[string]any{"time_zone": "UTC", "when_unavailable": "refuse",
				"holidays": []string{today.Format(time.DateOnly), today.AddDate(0, 0, 1).Format(time.DateOnly)}}
		}
		switch b.Platform {
		case "gorgias":
			settings["gorgias"] = map[string]string{"domain": p.Gorgias.URL, "username": gorgiassim.DefaultUser.Email, "api_key": gorgiassim.DefaultUser.APIKey}
		case "chatwoot":
			settings["chatwoot"] = map[string]string{"url": p.Chatwoot.URL, "access_token": chatwootsim.DefaultUser.Token}
		}
		var saved struct {
			ReceiveURL string `json:"receive_url"`
		}
		if err := a.doJSON(ctx, http.MethodPut, "/v1/admin/bots/"+b.ID+"/livechat", settings, &saved); err != nil {
			return nil, "", fmt.Errorf("livechat settings: %w", err)
		}
		if b.Platform == "gorgias" {
			if saved.ReceiveURL == "" {
				return nil, "", fmt.Errorf("livechat settings of %s: no receive_url", b.ID)
			}
			if _, err := p.Gorgias.AddIntegration(gorgiassim.HTTPHooks{URL: saved.ReceiveURL}); err != nil {
				return nil, "", fmt.Errorf("gorgias integration: %w", err)
			}
		}
		s := botSetup{harnessBot: b}
		var web struct {
			Channel struct {
				ID string `json:"id"`
			} `json:"channel"`
		}
		if err := a.doJSON(ctx, http.MethodPost, "/v1/admin/channels", map[string]string{"bot_id": b.ID, "type": "webapp"}, &web); err != nil {
			return nil, "", fmt.Errorf("webapp channel: %w", err)
		}
		var api struct {
			Channel struct {
				APIKey string `json:"api_key"`
			} `json:"channel"`
			APISecret string `json:"api_secret"`
		}
		if err := a.doJSON(ctx, http.MethodPost, "/v1/admin/channels", map[string]string{"bot_id": b.ID, "type": "api"}, &api); err != nil {
			return nil, "", fmt.Errorf("API channel: %w", err)
		}
		s.Webapp, s.APIKey, s.APISecret = web.Channel.ID, api.Channel.APIKey, api.APISecret
		channels, err := setUpChannels(ctx, a, b.ID, sims, i)
		if err != nil {
			return nil, "", err
		}
		s.Channels = channels
		out = append(out, s)
	}
	var invited struct {
		Agent struct {
			ID string `json:"id"`
		} `json:"agent"`
		Password string `json:"password"`
	}
	if err := a.doJSON(ctx, http.MethodPost, "/v1/admin/agents", map[string]string{"email": deskEmail, "name": deskName}, &invited); err != nil {
		return nil, "", fmt.Errorf("desk agent: %w", err)
	}
	team := map[string]any{"name": "Harness queue", "agents": []string{invited.Agent.ID}}
	if err := a.doJSON(ctx, http.MethodPut, "/v1/admin/teams/"+queueTeam, team, nil); err != nil {
		return nil, "", fmt.Errorf("desk team: %w", err)
	}
	return out, invited.Password, nil
}

// setUpChannels creates bot number n's messaging channels, each pointing
// at its simulator, and subscribes the simulators to their webhooks; it
// returns the channels' ids by type.
func setUpChannels(ctx context.Context, a *admin, bot string, sims channelSims, n int) (map[string]string, error) {
	ids := map[string]string{}
	for name, list := range sims {
		sim := list[n]
		var created struct {
			Channel struct {
				ID         string `json:"id"`
				WebhookURL string `json:"webhook_url"`
			} `json:"channel"`
		}
		body := map[string]any{"bot_id": bot, "type": name, name: sim.Settings()}
		if err := a.doJSON(ctx, http.MethodPost, "/v1/admin/channels", body, &created); err != nil {
			return nil, fmt.Errorf("%s channel: %w", name, err)
		}
		if err := sim.Subscribe(ctx, created.Channel.WebhookURL); err != nil {
			return nil, fmt.Errorf("%s webhook: %w", name, err)
		}
		sim.Chaos()
		ids[name] = created.Channel.ID
	}
	return ids, nil
}

// waitBots waits until every instance runs every bot (an import reaches
// the other instances through the database's notifications).
func waitBots(ctx context.Context, c *cluster, setups []botSetup) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for _, in := range c.instances {
		for _, s := range setups {
			for {
				res, err := client.Get(in.URL + "/v1/webapp/" + s.Webapp + "/config")
				if err == nil {
					res.Body.Close()
					if res.StatusCode == http.StatusOK {
						break
					}
				}
				if time.Now().After(deadline) || ctx.Err() != nil {
					return fmt.Errorf("instance %d does not run bot %s", in.Num, s.ID)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
	return nil
}
