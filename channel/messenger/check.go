package messenger

import (
	"context"
	"fmt"

	"switchboard/channel/meta"
)

// Check reads the Page or Instagram account (GET /{id}?fields=name) with
// the channel's token: it proves the token, the account's id and api_base
// without sending anything, and says in words what is wrong otherwise.
func (c *Conn) Check(ctx context.Context) (string, error) {
	var account struct {
		Name string `json:"name"`
	}
	noun, what, perms := "Page", "a Page", "give it pages_messaging (and pages_manage_metadata for the webhooks)"
	if c.v.textBytes {
		noun, what, perms = "Instagram account", "an Instagram account", "give it instagram_basic and instagram_manage_messages"
	}
	err := meta.Check{
		Platform: string(c.v.typ), API: "the Graph API", Base: c.s.APIBase, DefaultBase: DefaultAPIBase, Token: c.s.PageAccessToken,
		IDName: c.v.idField, ID: *c.s.account(c.v), IDWhat: what, IDFix: "copy " + c.v.idHelp,
		TokenFix: "the Page's access token", Permissions: perms, Fields: "name",
	}.Do(ctx, c.c, &account)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("The token works: %s %s (%s).", noun, *c.s.account(c.v), account.Name), nil
}
