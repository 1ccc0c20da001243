package gorgias

import (
	"net/url"
	"strings"
)

// ReceivePath is where the HTTP integration calls switchboard.
const ReceivePath = "/v1/livechat/gorgias/receive"

// ReceiveURL is the URL to paste into the Gorgias HTTP integration. The
// {{…}} variables are Gorgias's, rendered by Gorgias for each event, and
// perhaps not URL-encoded: so the token comes first, the ids switchboard
// reads follow, and the only value anyone else may write (a ticket's
// external_id, set by an import or another app) comes last. A "#" or "&" in
// it cannot cut or change what comes before. The message's text is not in
// the URL: switchboard reads every message back from the API.
//
// The CSML Studio URL (text=…, then the token at the end) is still read,
// but a "#" in a message cuts its token off.
func ReceiveURL(publicURL, token string) string {
	return strings.TrimRight(publicURL, "/") + ReceivePath + "?token=" + url.QueryEscape(token) +
		"&ticket_id={{ticket.id}}&event_type={{event.type}}&event_id={{event.id}}" +
		"&message_id={{event.object_id}}&from_agent={{message.from_agent}}&external_id={{ticket.external_id}}"
}
