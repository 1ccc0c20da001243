package meta

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"switchboard"
	"switchboard/internal/driverkit"
)

// Check is the check of a channel's credentials (channel.Checker) on a
// Graph API: it reads one object, the channel's own account, with the
// channel's token, and says in words what is wrong.
type Check struct {
	Platform, API string // "whatsapp", "the WhatsApp Cloud API"
	// Base is the channel's api_base; DefaultBase the one to suggest.
	Base, DefaultBase string
	Token             string
	// IDName names the id's setting ("phone_number_id"), IDWhat what it
	// is ("a number"), IDFix where to copy it from.
	IDName, ID, IDWhat, IDFix string
	// TokenFix says which token to paste; Permissions what it needs.
	TokenFix, Permissions string
	// Fields are the object's fields to read.
	Fields string
}

// Do reads the object's fields into out.
func (c Check) Do(ctx context.Context, client *Client, out any) error {
	err := driverkit.JSONCall{
		Platform: c.Platform, API: c.API, Fix: "check the channel's api_base", Base: c.Base,
		Op: "check", Method: http.MethodGet, URL: c.Base + "/" + url.PathEscape(c.ID) + "?fields=" + url.QueryEscape(c.Fields),
		Out:      out,
		Auth:     func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+c.Token) },
		Classify: c.failed,
	}.Do(ctx, client.HTTP)
	if err != nil {
		var se *switchboard.Error
		if errors.As(err, &se) {
			return se
		}
		return switchboard.Errorf(switchboard.EUNAVAILABLE, "the Graph API at %s cannot be reached (%v): check api_base and the server's network", c.Base, err)
	}
	return nil
}

// failed says what a refused check means, from the Graph error's code.
func (c Check) failed(resp *http.Response, raw []byte) error {
	var env struct {
		Error struct {
			Message string `json:"message"`
			Code    int    `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(raw, &env)
	switch e := env.Error; {
	case e.Code == 190 || resp.StatusCode == http.StatusUnauthorized:
		return switchboard.Errorf(switchboard.EINVALID, "the Graph API refuses the access token (%s): paste %s", e.Message, c.TokenFix)
	case e.Code == 100 || e.Code == 803 || resp.StatusCode == http.StatusNotFound:
		return switchboard.Errorf(switchboard.EINVALID, "%s %s is not %s this token can read (%s): %s", c.IDName, c.ID, c.IDWhat, e.Message, c.IDFix)
	case e.Code == 10 || e.Code == 200 || resp.StatusCode == http.StatusForbidden:
		return switchboard.Errorf(switchboard.EINVALID, "the access token lacks a permission (%s): %s", e.Message, c.Permissions)
	case e.Message != "":
		return switchboard.Errorf(switchboard.EUNAVAILABLE, "the Graph API answered HTTP %d (#%d) %s: try again later", resp.StatusCode, e.Code, e.Message)
	}
	return switchboard.Errorf(switchboard.EINVALID, "%s answered HTTP %d, not as the Graph API: check api_base (as %s)", c.Base, resp.StatusCode, c.DefaultBase)
}
