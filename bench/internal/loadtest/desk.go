package loadtest

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"time"
)

// Desk is an agent signed in to the built-in desk through its JSON API.
type Desk struct {
	base   string
	client *http.Client
	header http.Header
}

// SignIn signs the load tools' agent in.
func SignIn(base string) (*Desk, error) {
	jar, _ := cookiejar.New(nil)
	d := &Desk{base: base, header: http.Header{}, client: &http.Client{
		Jar: jar, Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 512},
	}}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if err := postJSON(d.client, base+"/desk/api/login", d.header, map[string]string{"email": AgentEmail, "password": AgentPassword}, &me); err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	d.header.Set("X-CSRF-Token", me.CSRF)
	return d, nil
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
