package chatwoot

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"switchboard/livechat"
)

// maxPages bounds how far back a conversation is read (20 messages a page).
const maxPages = 1000

// messages reads a conversation's messages page by page from the newest,
// until a page holds one that known says was seen before (or the
// conversation's start), and returns every message read, oldest first.
// Chatwoot answers the latest 20 messages, then 20 before a given id: every
// version reads the same way.
func (c *Client) messages(ctx context.Context, a account, conv int64, known func(Message) bool) ([]Message, error) {
	var all []Message
	seen := map[int64]bool{}
	q := url.Values{}
	for range maxPages {
		var p list[Message]
		if err := c.do(ctx, a, call{Op: "list messages", Method: http.MethodGet, Path: a.path("/conversations/%d/messages", conv), Query: q, Out: &p}); err != nil {
			return nil, err
		}
		oldest, fresh, stop := int64(0), false, false
		for _, m := range p.Payload {
			if seen[m.ID] {
				continue
			}
			seen[m.ID], fresh = true, true
			all = append(all, m)
			if oldest == 0 || m.ID < oldest {
				oldest = m.ID
			}
			stop = stop || known != nil && known(m)
		}
		if stop || !fresh {
			break
		}
		q.Set("before", idOf(oldest))
	}
	slices.SortFunc(all, func(x, y Message) int { return cmpID(x.ID, y.ID) })
	return all, nil
}

func cmpID(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// newMessage is a message switchboard posts: the user's (incoming) or a
// private note, always with a source_id of its own.
type newMessage struct {
	Content     string `json:"content"`
	MessageType string `json:"message_type"`
	Private     bool   `json:"private"`
	ContentType string `json:"content_type"`
	SourceID    string `json:"source_id"`
	// file and data, when set, make the message an upload (see
	// multipartMessage).
	file *livechat.Attachment
	data []byte
}

// post posts a message to a conversation; with check it first looks for a
// message with the same source_id (made by an earlier attempt whose answer
// was lost) and posts nothing if there is one.
func (c *Client) post(ctx context.Context, a account, conv int64, m newMessage, op string, check bool) error {
	if check {
		found := false
		_, err := c.messages(ctx, a, conv, func(x Message) bool {
			found = found || x.SourceID == m.SourceID
			return found
		})
		if err != nil || found {
			return err
		}
	}
	m.ContentType = "text"
	var body any = m
	if m.file != nil {
		body = multipartMessage(m)
	}
	return c.do(ctx, a, call{Op: op, Method: http.MethodPost, Path: a.path("/conversations/%d/messages", conv), Body: body})
}

// note is a private note: agents see it, the contact never does.
func note(text, ref string) newMessage {
	return newMessage{Content: text, MessageType: string(Outgoing), Private: true, SourceID: ref}
}
