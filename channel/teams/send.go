package teams

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"switchboard/channel"
	"switchboard/internal/driverkit"
)

// Send posts one activity to a conversation and returns its id ("" for
// typing). A 401 is tried once more with a new token.
func (c *Conn) Send(ctx context.Context, to string, n channel.Native) (string, error) {
	o, ok := n.Body.(Outbound)
	if !ok {
		return "", channel.Permanent(fmt.Errorf("teams: %s: not an activity", n.Kind))
	}
	if o.ServiceURL == "" {
		return "", channel.Permanent(fmt.Errorf("teams: %s: no serviceUrl is known for conversation %s: it must write to the bot first", n.Kind, to))
	}
	base, err := c.trusted(o.ServiceURL)
	if err != nil {
		return "", channel.Permanent(fmt.Errorf("teams: %s: %w", n.Kind, err))
	}
	act := maps.Clone(o.Activity)
	act["from"] = obj{"id": "28:" + c.s.AppID}
	act["conversation"] = obj{"id": to}
	var out struct {
		ID string `json:"id"`
	}
	call := driverkit.Call{Op: "send " + n.Kind, Method: http.MethodPost, Path: "/v3/conversations/" + url.PathEscape(to) + "/activities", Body: act, Out: &out}
	for attempt := 0; ; attempt++ {
		tok, err := c.c.token(ctx, c.s)
		if err != nil {
			return "", err
		}
		err = c.c.api.Do(ctx, base, bearer(tok), call)
		if driverkit.StatusOf(err) == http.StatusUnauthorized && attempt == 0 {
			c.c.dropToken(c.s) // revoked or rotated: one more try with a new one
			continue
		}
		if err != nil {
			return "", err
		}
		break
	}
	if n.Kind == "typing" {
		return "", nil
	}
	return out.ID, nil
}

// bearer sets a request's bearer token.
func bearer(tok string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

// trusted checks an address the channel sends the bot's token to (a
// serviceUrl, an image's contentUrl), from a verified activity: an https
// URL, or one on the origin of the configured token_url or
// openid_metadata_url when those are plain http (a simulator). It returns
// the URL without a trailing slash.
func (c *Conn) trusted(raw string) (string, error) {
	u, err := plainURL(raw)
	if err != nil {
		return "", fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if u.Scheme != "https" {
		ok := false
		for _, s := range []string{c.s.TokenURL, c.s.OpenIDMetadataURL} {
			if v, err := url.Parse(s); err == nil && v.Scheme == u.Scheme && v.Host == u.Host {
				ok = true
			}
		}
		if !ok {
			return "", fmt.Errorf("%q is not https: the bot's token is only sent over https (or to the simulator configured as token_url)", raw)
		}
	}
	return strings.TrimRight(raw, "/"), nil
}

// Reopen: Teams has no window to reopen.
func (c *Conn) Reopen(context.Context, string) (string, bool, error) { return "", false, nil }

// Reopener: none.
func (c *Conn) Reopener() string { return "" }

// maxMedia is the largest image downloaded (Teams' inline images are
// small; files come with a downloadUrl instead).
const maxMedia = 50 << 20

// Media downloads an inline image a user sent: its id is its contentUrl,
// encoded, fetched with the bot's token.
func (c *Conn) Media(ctx context.Context, id string) (string, io.ReadCloser, error) {
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", nil, fmt.Errorf("teams: media %q is not a media id", id)
	}
	link, err := c.trusted(string(raw))
	if err != nil {
		return "", nil, fmt.Errorf("teams: media: %w", err)
	}
	tok, err := c.c.token(ctx, c.s)
	if err != nil {
		return "", nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return "", nil, fmt.Errorf("teams: media: %w", err)
	}
	bearer(tok)(req)
	resp, err := c.c.HTTP.Do(req)
	if err != nil {
		return "", nil, fmt.Errorf("teams: download media: %w", driverkit.NetworkCause(err))
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return "", nil, fmt.Errorf("teams: download media: HTTP %d", resp.StatusCode)
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	return ct, struct {
		io.Reader
		io.Closer
	}{io.LimitReader(resp.Body, maxMedia), resp.Body}, nil
}

// Check asks the token endpoint for the bot's token: the App ID and
// password are right when it gives one.
func (c *Conn) Check(ctx context.Context) (string, error) {
	c.c.dropToken(c.s)
	if _, err := c.c.token(ctx, c.s); err != nil {
		return "", err
	}
	return "app " + c.s.AppID + ": the token endpoint granted a token", nil
}
