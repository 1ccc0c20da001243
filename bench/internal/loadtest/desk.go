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
	Ready   func() // the stream is open
	Changed func() // "changed": the session list may have changed
	// Changes is "sessions": these sessions changed, in the list's entry
	// (listed) or only in their conversation (all: cannot tell which).
	Changes func(listed, conversations []string, all bool)
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
				IDs           []string `json:"ids"`
				Conversations []string `json:"conversations"`
				All           bool     `json:"all"`
			}
			if err := json.Unmarshal([]byte(data), &changes); err != nil {
				return fmt.Errorf("desk events: sessions %q: %w", data, err)
			}
			on.Changes(changes.IDs, changes.Conversations, changes.All)
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("desk events: the stream ended: %v", sc.Err())
}

// Conversation is what a desk page reads of the open conversation: its
// messages (all, or the new ones), the session's state and agent, and More
// when more new messages followed than one answer holds.
type Conversation struct {
	Messages []switchboard.Message
	State    string
	AgentID  string
	More     bool
}

// Transcript reads a session as the desk page shows the conversation it
// opens (GET /desk/api/sessions/{id}).
func (d *Desk) Transcript(session string) (Conversation, error) {
	var detail struct {
		Session struct {
			State   string `json:"state"`
			AgentID string `json:"agent_id"`
		} `json:"session"`
		Transcript []switchboard.Message `json:"transcript"`
	}
	if err := d.getJSON("/desk/api/sessions/"+session, &detail); err != nil {
		return Conversation{}, fmt.Errorf("session %s: %w", session, err)
	}
	return Conversation{Messages: detail.Transcript, State: detail.Session.State, AgentID: detail.Session.AgentID}, nil
}

// NewMessages reads the messages of a conversation after the last one a
// page has, as the desk page does for the conversation it has open (GET
// /desk/api/sessions/{id}/messages?after=).
func (d *Desk) NewMessages(session string, after int64) (Conversation, error) {
	var news struct {
		Session struct {
			State   string `json:"state"`
			AgentID string `json:"agent_id"`
		} `json:"session"`
		Messages []switchboard.Message `json:"messages"`
		More     bool                  `json:"more"`
	}
	if err := d.getJSON(fmt.Sprintf("/desk/api/sessions/%s/messages?after=%d", session, after), &news); err != nil {
		return Conversation{}, fmt.Errorf("session %s: %w", session, err)
	}
	return Conversation{Messages: news.Messages, State: news.Session.State, AgentID: news.Session.AgentID, More: news.More}, nil
}

// List reads the whole session list as the desk page does when it connects
// (GET /desk/api/sessions) and discards it.
func (d *Desk) List() error { return d.discard("/desk/api/sessions") }

// ListByID reads the entries of these sessions (at most 100) as the desk
// page does to merge changes into its list (GET /desk/api/sessions?ids=…)
// and discards them.
func (d *Desk) ListByID(ids []string) error {
	return d.discard("/desk/api/sessions?ids=" + strings.Join(ids, ","))
}

// discard reads path and discards the answer.
func (d *Desk) discard(path string) error {
	resp, err := d.client.Get(d.base + path)
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

// getJSON reads path and decodes its answer into out.
func (d *Desk) getJSON(path string, out any) error {
	resp, err := d.client.Get(d.base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return decodeOK(resp, out)
}

// Sessions returns the live sessions by user id.
func (d *Desk) Sessions() (map[string]string, error) {
	var list struct {
		Waiting, Active []struct {
			ID     string `json:"id"`
			Client struct {
				UserID string `json:"user_id"`
			} `json:"client"`
		}
	}
	if err := d.getJSON("/desk/api/sessions", &list); err != nil {
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
