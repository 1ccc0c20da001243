package app

import (
	"switchboard/livechat"
	"switchboard/livechat/chatwoot"
	"switchboard/livechat/gorgias"
)

// ReceiveURLs build, per livechat platform, the URL the platform calls with
// its webhooks (the bot's token included): the administration's settings
// page and `switchboard livechat url` show the same URL. A platform that
// calls switchboard adds its builder here.
var ReceiveURLs = map[string]func(publicURL, token string) string{
	livechat.PlatformGorgias:  gorgias.ReceiveURL,
	livechat.PlatformChatwoot: chatwoot.ReceiveURL,
}

// receiveURL builds a platform's URL on this server, if the platform calls.
func (a *App) receiveURL(platform, token string) (string, bool) {
	build, ok := ReceiveURLs[platform]
	if !ok {
		return "", false
	}
	return build(a.URL(), token), true
}
