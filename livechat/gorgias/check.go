package gorgias

import (
	"context"
	"net/http"
	"strings"
	"time"

	"switchboard"
	"switchboard/internal/driverkit"
	"switchboard/livechat"
)

// Check verifies the credentials on save with one cheap authenticated read
// (GET /api/account), and says in plain words what failed: the domain, the
// credentials, the user's rights, or the network. It changes nothing.
func (c *Client) Check(ctx context.Context, r livechat.CheckRequest) (livechat.Settings, error) {
	g := r.Settings.Gorgias
	if g == nil {
		return r.Settings, switchboard.Errorf(switchboard.EINVALID, "livechat platform gorgias needs the gorgias settings: domain, username and api_key")
	}
	base, err := BaseURL(g.Domain)
	if err != nil {
		return r.Settings, err
	}
	a := account{base: base, username: strings.TrimSpace(g.Username), apiKey: strings.TrimSpace(g.APIKey)}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	var out map[string]any
	err = c.do(ctx, a, call{Op: "check credentials", Method: http.MethodGet, Path: "/account", Out: &out})
	if err == nil {
		return r.Settings, nil
	}
	return r.Settings, explainCheck(err, a)
}

// explainCheck turns a failed check into an error an operator can act on.
func explainCheck(err error, a account) error {
	words := driverkit.CheckWords{Product: "Gorgias", Place: "the Gorgias account", Fix: "check the domain"}
	return driverkit.ExplainCheck(err, a.base, words, func(api *APIError) error {
		switch api.Status {
		case http.StatusUnauthorized:
			return switchboard.Errorf(switchboard.EINVALID, "Gorgias at %s refused the username %q or the API key (401 Unauthorized): copy both from Settings > REST API in Gorgias", a.base, a.username)
		case http.StatusForbidden:
			return switchboard.Errorf(switchboard.EINVALID, "the Gorgias user %q may not use the REST API (403 Forbidden): use an admin's API key", a.username)
		case http.StatusNotFound:
			return switchboard.Errorf(switchboard.EINVALID, "there is no Gorgias account at %s (404 Not Found): check the domain", a.base)
		}
		return nil
	})
}
