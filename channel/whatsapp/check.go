package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"switchboard"
	"switchboard/internal/driverkit"
)

// Check reads the business number (GET /{phone-number-id}) with the
// channel's token: it proves the token, the number's id and api_base
// without sending anything, and says in words what is wrong otherwise.
func (c *Conn) Check(ctx context.Context) (string, error) {
	var number struct {
		Display  string `json:"display_phone_number"`
		Verified string `json:"verified_name"`
	}
	err := driverkit.JSONCall{
		Platform: "whatsapp", API: "the WhatsApp Cloud API", Fix: "check the channel's api_base", Base: c.s.APIBase,
		Op: "check", Method: http.MethodGet, URL: c.s.APIBase + "/" + url.PathEscape(c.s.PhoneNumberID) + "?fields=display_phone_number,verified_name",
		Out:      &number,
		Auth:     func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+c.s.AccessToken) },
		Classify: c.checkFailed,
	}.Do(ctx, c.c.HTTP)
	if err != nil {
		var se *switchboard.Error
		if errors.As(err, &se) {
			return "", se
		}
		return "", switchboard.Errorf(switchboard.EUNAVAILABLE, "the Graph API at %s cannot be reached (%v): check api_base and the server's network", c.s.APIBase, err)
	}
	if number.Display == "" {
		return "", switchboard.Errorf(switchboard.EINVALID, "the Graph API at %s answered without a phone number for %s: check api_base (with its version, as %s)", c.s.APIBase, c.s.PhoneNumberID, DefaultAPIBase)
	}
	return fmt.Sprintf("The token works: phone number %s (%s).", number.Display, number.Verified), nil
}

// checkFailed says what a refused check means.
func (c *Conn) checkFailed(resp *http.Response, raw []byte) error {
	var env struct {
		Error apiError `json:"error"`
	}
	_ = json.Unmarshal(raw, &env)
	switch e := env.Error; {
	case e.Code == 190 || resp.StatusCode == http.StatusUnauthorized:
		return switchboard.Errorf(switchboard.EINVALID, "the Graph API refuses the access token (%s): paste a valid system user token with whatsapp_business_messaging", e.Message)
	case e.Code == 100 || e.Code == 803 || resp.StatusCode == http.StatusNotFound:
		return switchboard.Errorf(switchboard.EINVALID, "phone_number_id %s is not a number this token can read (%s): copy the Phone number ID from WhatsApp > API Setup", c.s.PhoneNumberID, e.Message)
	case e.Code == 10 || e.Code == 200 || resp.StatusCode == http.StatusForbidden:
		return switchboard.Errorf(switchboard.EINVALID, "the access token lacks a permission (%s): give its system user whatsapp_business_management and whatsapp_business_messaging", e.Message)
	case e.Message != "":
		return switchboard.Errorf(switchboard.EUNAVAILABLE, "the Graph API answered HTTP %d (#%d) %s: try again later", resp.StatusCode, e.Code, e.Message)
	}
	return switchboard.Errorf(switchboard.EINVALID, "%s answered HTTP %d, not as the Graph API: check api_base (as %s)", c.s.APIBase, resp.StatusCode, DefaultAPIBase)
}
