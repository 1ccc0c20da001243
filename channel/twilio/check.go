package twilio

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"switchboard"
	"switchboard/internal/driverkit"
)

// Check reads the account (GET /2010-04-01/Accounts/{sid}.json) with the
// channel's credentials: it proves the Account SID, the Auth Token and
// api_base without sending anything.
func (c *Conn) Check(ctx context.Context) (string, error) {
	resp, raw, err := c.call(ctx, http.MethodGet, ".json", nil)
	if err != nil {
		return "", switchboard.Errorf(switchboard.EUNAVAILABLE, "Twilio's API at %s cannot be reached (%v): check api_base, or try again later", c.s.APIBase, err)
	}
	var acc struct {
		Name   string `json:"friendly_name"`
		Status string `json:"status"`
		apiError
	}
	_ = json.Unmarshal(raw, &acc)
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		return "", switchboard.Errorf(switchboard.EINVALID, "Twilio refuses the Account SID and Auth Token (%d %s): copy both again from the console's Account Info", acc.Code, acc.Message)
	case resp.StatusCode == http.StatusNotFound:
		return "", switchboard.Errorf(switchboard.EINVALID, "Twilio has no account %s for this Auth Token: copy the Account SID again", c.s.AccountSID)
	case resp.StatusCode != http.StatusOK || acc.Status == "":
		return "", switchboard.Errorf(switchboard.EUNAVAILABLE, "%s answered HTTP %d, not as Twilio's API: check api_base (as %s): %s", c.s.APIBase, resp.StatusCode, DefaultAPIBase, driverkit.Shorten(string(raw)))
	case acc.Status != "active":
		return "", switchboard.Errorf(switchboard.EINVALID, "Twilio account %s (%s) is %s: it sends nothing until it is active again", c.s.AccountSID, acc.Name, acc.Status)
	}
	return fmt.Sprintf("The credentials work: account %s (%s), texting from %s.", acc.Name, acc.Status, c.s.From), nil
}
