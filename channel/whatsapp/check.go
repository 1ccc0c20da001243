package whatsapp

import (
	"context"
	"fmt"

	"switchboard"
	"switchboard/channel/meta"
)

// Check reads the business number (GET /{phone-number-id}) with the
// channel's token: it proves the token, the number's id and api_base
// without sending anything, and says in words what is wrong otherwise.
func (c *Conn) Check(ctx context.Context) (string, error) {
	var number struct {
		Display  string `json:"display_phone_number"`
		Verified string `json:"verified_name"`
	}
	err := meta.Check{
		Platform: "whatsapp", API: "the WhatsApp Cloud API", Base: c.s.APIBase, DefaultBase: DefaultAPIBase, Token: c.s.AccessToken,
		IDName: "phone_number_id", ID: c.s.PhoneNumberID, IDWhat: "a number", IDFix: "copy the Phone number ID from WhatsApp > API Setup",
		TokenFix: "a valid system user token with whatsapp_business_messaging", Permissions: "give its system user whatsapp_business_management and whatsapp_business_messaging",
		Fields: "display_phone_number,verified_name",
	}.Do(ctx, c.c, &number)
	if err != nil {
		return "", err
	}
	if number.Display == "" {
		return "", switchboard.Errorf(switchboard.EINVALID, "the Graph API at %s answered without a phone number for %s: check api_base (with its version, as %s)", c.s.APIBase, c.s.PhoneNumberID, DefaultAPIBase)
	}
	return fmt.Sprintf("The token works: phone number %s (%s).", number.Display, number.Verified), nil
}
