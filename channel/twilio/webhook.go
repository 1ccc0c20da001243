package twilio

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"switchboard"
	"switchboard/channel"
)

// statuses maps Twilio's message statuses to the Sent ones; queued,
// accepted, scheduled and sending say nothing new (the send's answer
// already did).
var statuses = map[string]string{
	"sent": switchboard.SentAccepted, "delivered": switchboard.SentDelivered, "read": switchboard.SentRead,
	"undelivered": switchboard.SentFailed, "failed": switchboard.SentFailed, "canceled": switchboard.SentFailed,
}

// errorTexts explain the delivery errors of status callbacks that agents
// meet most.
var errorTexts = map[string]string{
	"30003": "unreachable handset", "30004": "message blocked (the customer blocked the number, or texted STOP)",
	"30005": "unknown destination handset", "30006": "landline or unreachable carrier",
	"30007": "filtered by the carrier", "30008": "unknown error", "21610": "the customer texted STOP",
}

// Parse turns a form Twilio posted into one item: a status callback (it
// has MessageStatus) or a customer's message, a text and one item per
// media file.
func (c *Conn) Parse(body []byte) ([]channel.Item, error) {
	f, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("twilio: the body is not a form: %w", err)
	}
	sid := f.Get("MessageSid")
	if sid == "" {
		sid = f.Get("SmsSid")
	}
	if sid == "" {
		return nil, fmt.Errorf("twilio: the form has no MessageSid")
	}
	if acc := f.Get("AccountSid"); acc != "" && acc != c.s.AccountSID {
		return nil, fmt.Errorf("twilio: the form is for account %s, not the channel's", acc)
	}
	if st := f.Get("MessageStatus"); st != "" && st != "received" {
		status, ok := statuses[st]
		if !ok {
			return nil, nil
		}
		it := channel.Item{Kind: channel.ItemStatus, UserID: userID(f.Get("To")), ID: sid, Status: status}
		if code := f.Get("ErrorCode"); code != "" && status == switchboard.SentFailed {
			it.Error = "Twilio error " + code
			if t := errorTexts[code]; t != "" {
				it.Error += ": " + t
			}
		}
		return []channel.Item{it}, nil
	}
	return messageItems(f, sid), nil
}

// messageItems are a customer's text and media files: the text (when there
// is one) has the MessageSid as its id, each file the MessageSid and its
// index.
func messageItems(f url.Values, sid string) []channel.Item {
	from := userID(f.Get("From"))
	meta := map[string]string{"phone": f.Get("From")}
	for k, name := range map[string]string{"FromCountry": "country", "FromState": "state", "FromCity": "city"} {
		if v := f.Get(k); v != "" {
			meta[name] = v
		}
	}
	rawMeta, _ := json.Marshal(meta)
	var out []channel.Item
	if text := f.Get("Body"); text != "" {
		content, _ := json.Marshal(map[string]string{"text": text})
		out = append(out, channel.Item{Kind: channel.ItemMessage, UserID: from, ID: sid, Payload: switchboard.Payload{ContentType: "text", Content: content}, Metadata: rawMeta,
			Consent: consent(f.Get("OptOutType"), text)})
	}
	n, _ := strconv.Atoi(f.Get("NumMedia"))
	for i := range min(n, 10) {
		u, ct := f.Get("MediaUrl"+strconv.Itoa(i)), f.Get("MediaContentType"+strconv.Itoa(i))
		if u == "" {
			continue
		}
		id := sid
		if len(out) > 0 {
			id = sid + ":" + strconv.Itoa(i)
		}
		content, _ := json.Marshal(map[string]string{"mime_type": ct})
		out = append(out, channel.Item{Kind: channel.ItemMessage, UserID: from, ID: id, Payload: switchboard.Payload{ContentType: mediaKind(ct), Content: content}, MediaID: sid + "-" + path.Base(u), Metadata: rawMeta})
	}
	return out
}

// Twilio's default opt-out keywords: a message that is one of them, as a
// whole (any case, spaces around), unsubscribes the customer, subscribes
// them again, or asks for help.
var (
	StopWords  = []string{"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
	StartWords = []string{"START", "YES", "UNSTOP"}
	HelpWords  = []string{"HELP", "INFO"}
)

// consent reads a customer's text as STOP or START: Twilio's OptOutType
// when it says (Advanced Opt-Out, with keywords of its own), else the
// default keywords.
func consent(optOutType, text string) string {
	switch strings.ToUpper(optOutType) {
	case "STOP":
		return channel.ConsentStop
	case "START":
		return channel.ConsentStart
	}
	w := strings.ToUpper(strings.TrimSpace(text))
	switch {
	case slices.Contains(StopWords, w):
		return channel.ConsentStop
	case slices.Contains(StartWords, w):
		return channel.ConsentStart
	}
	return ""
}

// userID is a customer's id: their number without the "+", as WhatsApp
// names its users, so that an SMS customer and a WhatsApp one look alike.
func userID(number string) string { return strings.TrimPrefix(number, "+") }

// number is the E.164 number of a customer's id.
func number(userID string) string {
	if strings.HasPrefix(userID, "+") || strings.Contains(userID, ":") {
		return userID
	}
	return "+" + userID
}

// mediaKind is the component of a media type.
func mediaKind(ct string) string {
	for _, k := range []string{"image", "video", "audio"} {
		if strings.HasPrefix(ct, k+"/") {
			return k
		}
	}
	return "file"
}
