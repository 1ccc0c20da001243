package botfile

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"switchboard"
	"switchboard/internal/netpolicy"
)

// modulesOf checks the modules of bot.json: each has a unique name usable
// in `import ... from modules/<name>`, and its flow inline or a URL.
func modulesOf(in []studioModule, what string) ([]switchboard.Module, error) {
	var out []switchboard.Module
	seen := map[string]bool{}
	for i, m := range in {
		if m.Name == "" || strings.ContainsAny(m.Name, "/ \t\n") {
			return nil, fmt.Errorf("load bot: %s: module %d has name %q: give each module a name without spaces or '/', as flows import from modules/<name>", what, i+1, m.Name)
		}
		if seen[m.Name] {
			return nil, fmt.Errorf("load bot: %s lists module %q twice", what, m.Name)
		}
		seen[m.Name] = true
		mod := switchboard.Module{Name: m.Name, URL: m.URL, Auth: m.Auth, Version: m.Version}
		switch {
		case m.Flow != nil && m.Flow.Content != nil:
			mod.Flow = &switchboard.Flow{ID: m.Name, Name: m.Name, Content: *m.Flow.Content, Commands: []string{}}
		case m.URL != "":
			if u, err := url.Parse(m.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return nil, fmt.Errorf("load bot: %s: module %q has url %q: use an http:// or https:// URL", what, m.Name, m.URL)
			}
		default:
			return nil, fmt.Errorf("load bot: %s: module %q has neither \"url\" nor \"flow\": give the URL of its CSML source", what, m.Name)
		}
		out = append(out, mod)
	}
	return out, nil
}

// ModuleFetcher downloads the modules that a bot gives by URL, when the bot
// is imported: the CSML engine's search_for_modules (a GET, with HTTP basic
// authentication when the module has auth; the body is the flow's source).
// It goes through the outbound address policy (public addresses only unless
// allowed), bounds the time and the size of each download, and never runs
// when a bot runs.
type ModuleFetcher struct {
	client   *http.Client
	maxBytes int64
}

// moduleTimeout bounds one module download; its size is bounded as one
// file of a bot is (DefaultLimits.FileBytes).
const moduleTimeout = 10 * time.Second

// NewModuleFetcher returns a fetcher that may reach public addresses and
// those allow lists.
func NewModuleFetcher(allow []netpolicy.Rule) *ModuleFetcher {
	p := netpolicy.Policy{Allow: allow}
	return &ModuleFetcher{client: &http.Client{Transport: p.Transport(moduleTimeout), Timeout: moduleTimeout}, maxBytes: DefaultLimits.FileBytes}
}

// Fetch fills in the flow of every module of b given by URL only, and
// forgets the credentials. An error names the module and the reason, and
// leaves b's modules as they were.
func (f *ModuleFetcher) Fetch(ctx context.Context, b *switchboard.Bot) error {
	mods := make([]switchboard.Module, len(b.Modules))
	for i, m := range b.Modules {
		if m.Flow == nil {
			src, err := f.get(ctx, m)
			if err != nil {
				return fmt.Errorf("bot %s: module %q from %s: %w", b.ID, m.Name, m.URL, err)
			}
			m.Flow = &switchboard.Flow{ID: m.Name, Name: m.Name, Content: src, Commands: []string{}}
		}
		m.Auth = ""
		mods[i] = m
	}
	if len(mods) > 0 {
		b.Modules = mods
	}
	return nil
}

func (f *ModuleFetcher) get(ctx context.Context, m switchboard.Module) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL, nil)
	if err != nil {
		return "", err
	}
	if m.Auth != "" {
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(m.Auth)))
	}
	resp, err := f.client.Do(req)
	if err != nil {
		if errors.Is(err, netpolicy.ErrRefused) {
			return "", fmt.Errorf("the address is not public: allow it in bot_http_allow, or give the flow inline: %w", netpolicy.ErrRefused)
		}
		return "", fmt.Errorf("download failed: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("the server answered %s: check the url and auth", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return "", fmt.Errorf("download failed: %w", err)
	}
	if int64(len(data)) > f.maxBytes {
		return "", fmt.Errorf("the module is larger than %d bytes", f.maxBytes)
	}
	return string(data), nil
}
