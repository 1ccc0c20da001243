package chatwoot

import (
	"net/url"
	"strings"

	"switchboard"
)

// ReceivePath is where the dedicated inbox's webhook calls switchboard.
const ReceivePath = "/v1/livechat/chatwoot/receive"

// ReceiveURL is the webhook URL of a bot's inbox: switchboard's receive
// path with the bot's token. Check sets it on the inbox; nobody pastes it.
func ReceiveURL(publicURL, token string) string {
	return strings.TrimRight(publicURL, "/") + ReceivePath + "?token=" + url.QueryEscape(token)
}

// BaseURL turns the url setting into the instance's base URL: its scheme,
// host and any path prefix it is installed under. A dashboard URL
// ("https://app.chatwoot.com/app/accounts/1/dashboard") or an API URL
// (".../api/v1") is cut back to the instance.
func BaseURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", switchboard.Errorf(switchboard.EINVALID, "the Chatwoot url %q is not an http(s) URL: give your instance's address, such as https://app.chatwoot.com", raw)
	}
	path := strings.TrimRight(u.Path, "/")
	for _, cut := range []string{"/app/", "/api/"} {
		if i := strings.Index(path+"/", cut); i >= 0 {
			path = path[:i]
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + path, nil
}
