package main

import (
	"bytes"
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

// deskAgent is an agent signed in to the built-in desk.
type deskAgent struct {
	base   string
	client *http.Client
	csrf   string
	ledger *ledger
}

// signInDesk signs the harness's agent in.
func signInDesk(ctx context.Context, base, password string, l *ledger) (*deskAgent, error) {
	jar, _ := cookiejar.New(nil)
	d := &deskAgent{base: base, ledger: l, client: &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: pooled}}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	status, err := d.post(ctx, "/desk/api/login", map[string]string{"email": deskEmail, "password": password}, &me)
	if err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("desk sign-in: %d %w", status, err)
	}
	d.csrf = me.CSRF
	return d, nil
}

// post sends a JSON request and decodes a 200 answer.
func (d *deskAgent) post(ctx context.Context, path string, in, out any) (int, error) {
	body, _ := json.Marshal(in)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, d.base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if d.csrf != "" {
		req.Header.Set("X-CSRF-Token", d.csrf)
	}
	res, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return res.StatusCode, fmt.Errorf("POST %s: %s %s", path, res.Status, bytes.TrimSpace(raw))
	}
	if out != nil {
		return res.StatusCode, json.Unmarshal(raw, out)
	}
	return res.StatusCode, nil
}

// write replies (claiming the session) or signs off. A reply whose answer
// was lost (no answer, 502, 503: the instance died) may have been stored,
// and the desk's API has no idempotency key: so before writing it again,
// the agent reads the conversation, as a person at the desk would, and
// writes it again only when it is not there.
func (d *deskAgent) write(ctx context.Context, session, text string, signOff bool) error {
	path := "/desk/api/sessions/" + session + "/reply"
	if signOff {
		path = "/desk/api/sessions/" + session + "/signoff"
	}
	token := tokensOf(text)[0]
	return retry(ctx, d.ledger, "desk: reply sent again", func() (bool, error) {
		status, err := d.post(ctx, path, map[string]string{"text": text}, nil)
		if err == nil || (status >= 400 && status < 500) {
			return false, err
		}
		there, rerr := d.wrote(ctx, session, token)
		if rerr == nil && there {
			return false, nil
		}
		return true, err
	})
}

// wrote reports whether the session's transcript has an agent message
// with this token.
func (d *deskAgent) wrote(ctx context.Context, session, token string) (bool, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, d.base+"/desk/api/sessions/"+session, nil)
	res, err := d.client.Do(req)
	if err != nil {
		return false, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return false, fmt.Errorf("GET session: %s", res.Status)
	}
	var detail struct {
		Transcript []switchboard.Message `json:"transcript"`
	}
	if err := json.NewDecoder(res.Body).Decode(&detail); err != nil {
		return false, err
	}
	for _, m := range detail.Transcript {
		if m.Sender.Kind == switchboard.SenderAgent && strings.Contains(textOf(m.Payload), token) {
			return true, nil
		}
	}
	return false, nil
}
