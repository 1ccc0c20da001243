package gorgias

import (
	"net/url"
	"strings"
)

// ReceivePath is where the HTTP integration calls switchboard.
const ReceivePath = "/v1/livechat/gorgias/receive"

// ReceiveURL is the URL to paste into the Gorgias HTTP integration: exactly
// the CSML Studio one, on switchboard's own host, plus the bot's token. The
// {{…}} variables are Gorgias's, rendered by Gorgias for each event.
func ReceiveURL(publicURL, token string) string {
	return strings.TrimRight(publicURL, "/") + ReceivePath +
		"?external_id={{ticket.external_id}}&ticket_id={{ticket.id}}&event_type={{event.type}}" +
		"&event_id={{event.id}}&message_id={{event.object_id}}&text={{message.body_text}}" +
		"&from_agent={{message.from_agent}}&token=" + url.QueryEscape(token)
}
