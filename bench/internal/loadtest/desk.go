package loadtest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"time"

	"switchboard"
)

// Desk is an agent signed in to the built-in desk through its JSON API.
type Desk struct {
	base   string
	client *http.Client
	stream *http.Client // the event stream: no timeout
	header http.Header
}

// SignIn signs the load tools' agent in.
func SignIn(base string) (*Desk, error) { return SignInAs(base, AgentEmail) }

// SignInAs signs an agent with the load tools' password in.
func SignInAs(base, email string) (*Desk, error) {
	jar, _ := cookiejar.New(nil)
	d := &Desk{base: base, header: http.Header{}, client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 512},
	}, stream: &http.Client{Jar: jar}}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if err := postJSON(d.client, base+"/desk/api/login", d.header, map[string]string{"email": email, "password": AgentPassword}, &me); err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	d.header.Set("X-CSRF-Token", me.CSRF)
	return d, nil
}

// DeskEvents are what a desk page does on the events of the desk's live
// stream.
type DeskEvents struct {
	Ready   func()                            // the stream is open
	Changed func()                            // "changed": the session list may have changed
	Changes func(sessions []string, all bool) // "sessions": these sessions changed (all: cannot tell which)
}

// Watch reads the desk's live stream (GET /desk/api/events, what the desk
// page listens to) until ctx ends, calling on's functions for its events.
func (d *Desk) Watch(ctx context.Context, on DeskEvents) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.base+"/desk/api/events", nil)
	if err != nil {
		return err
	}
	resp, err := d.stream.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("desk events: %s", resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	var event string
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "event: "); ok {
			event = name
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		switch event {
		case "ready":
			on.Ready()
		case "changed":
			on.Changed()
		case "sessions":
			var changes struct {
				IDs []string `json:"ids"`
				All bool     `json:"all"`
			}
			if err := json.Unmarshal([]byte(data), &changes); err != nil {
				return fmt.Errorf("desk events: sessions %q: %w", data, err)
			}
			on.Changes(changes.IDs, changes.All)
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("desk events: the stream ended: %v", sc.Err())
}

// Transcript reads a session as the desk page shows the open conversation
// (GET /desk/api/sessions/{id}) and returns its messages.
func (d *Desk) Transcript(session string) ([]switchboard.Message, error) {
	resp, err := d.client.Get(d.base + "/desk/api/sessions/" + session)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var detail struct {
		Transcript []switchboard.Message `json:"transcript"`
	}
	if err := decodeOK(resp, &detail); err != nil {
		return nil, fmt.Errorf("session %s: %w", session, err)
	}
	return detail.Transcript, nil
}

// List reads the session list as the desk page does on every change (GET
// /desk/api/sessions) and discards it.
func (d *Desk) List() error {
	resp, err := d.client.Get(d.base + "/desk/api/sessions")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return decodeOK(resp, nil)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Sessions returns the live sessions by user id.
func (d *Desk) Sessions() (map[string]string, error) {
	resp, err := d.client.Get(d.base + "/desk/api/sessions")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var list struct {
		Waiting, Active []struct {
			ID     string `json:"id"`
			Client struct {
				UserID string `json:"user_id"`
			} `json:"client"`
		}
	}
	if err := decodeOK(resp, &list); err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	out := map[string]string{}
	for _, s := range append(list.Waiting, list.Active...) {
		out[s.Client.UserID] = s.ID
	}
	return out, nil
}

// Claim takes a session.
func (d *Desk) Claim(session string) error {
	return postJSON(d.client, d.base+"/desk/api/sessions/"+session+"/claim", d.header, struct{}{}, nil)
}

// Reply sends an agent message.
func (d *Desk) Reply(session, text string) error {
	return postJSON(d.client, d.base+"/desk/api/sessions/"+session+"/reply", d.header, map[string]string{"text": text}, nil)
}
