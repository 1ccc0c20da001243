package teamssim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"

	"switchboard/internal/simkit"
)

// Conversation is a personal chat of a user with the bot.
type Conversation struct {
	ID     string `json:"id"`
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	// Removed: the user removed the bot (sends are 403).
	Removed  bool      `json:"removed"`
	Messages []Message `json:"messages"`
	// TypingAt is when the bot last sent a typing activity.
	TypingAt time.Time `json:"typing_at,omitzero"`
}

// Message is one message of a conversation, either way.
type Message struct {
	ID      string `json:"id"`
	FromBot bool   `json:"from_bot"`
	Text    string `json:"text,omitempty"`
	// Cards are the hero cards of a bot's message; Layout its
	// attachmentLayout.
	Cards  []Card `json:"cards,omitempty"`
	Layout string `json:"layout,omitempty"`
	// Images are the URLs of image attachments.
	Images []string  `json:"images,omitempty"`
	At     time.Time `json:"at"`
}

// Card is a hero card.
type Card struct {
	Title    string   `json:"title,omitempty"`
	Subtitle string   `json:"subtitle,omitempty"`
	Text     string   `json:"text,omitempty"`
	Images   []string `json:"images,omitempty"`
	Buttons  []Button `json:"buttons,omitempty"`
}

// Button is a card action.
type Button struct {
	Type        string          `json:"type"`
	Title       string          `json:"title"`
	Text        string          `json:"text,omitempty"`
	DisplayText string          `json:"displayText,omitempty"`
	Value       json.RawMessage `json:"value,omitempty"`
}

// cardActions are the card actions Teams supports.
var cardActions = []string{"imBack", "messageBack", "openUrl", "invoke", "signin"}

// maxMessage is the bot message's limit, in UTF-16 code units of text
// (about 100 KB).
const maxMessage = 100 * 1024 / 2

// connectorError answers as the Bot Connector does.
func connectorError(w http.ResponseWriter, status int, code, msg string) {
	simkit.WriteJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

// failConnector answers an injected fault.
func failConnector(w http.ResponseWriter, status int) {
	codes := map[int]string{http.StatusTooManyRequests: "Throttled", http.StatusServiceUnavailable: "ServiceUnavailable", http.StatusBadGateway: "ServiceError"}
	code := codes[status]
	if code == "" {
		code = "ServiceError"
	}
	connectorError(w, status, code, http.StatusText(status))
}

// outgoing is an activity the bot posts.
type outgoing struct {
	Type             string `json:"type"`
	Text             string `json:"text"`
	AttachmentLayout string `json:"attachmentLayout"`
	Attachments      []struct {
		ContentType string          `json:"contentType"`
		ContentURL  string          `json:"contentUrl"`
		Content     json.RawMessage `json:"content"`
	} `json:"attachments"`
}

// postActivity is the bot's message or typing in a conversation.
func (s *Sim) postActivity(w http.ResponseWriter, r *http.Request) {
	in := s.faults.Take(r.Method)
	if in.Outage {
		failConnector(w, http.StatusServiceUnavailable)
		return
	}
	if !s.botAuthorized(r) {
		simkit.WriteJSON(w, http.StatusUnauthorized, map[string]string{"message": "Authorization has been denied for this request."})
		return
	}
	in.Serve(w, failConnector, func(w http.ResponseWriter) {
		var a outgoing
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&a); err != nil {
			connectorError(w, http.StatusBadRequest, "BadSyntax", "The request body is not an activity: "+err.Error())
			return
		}
		m, code, msg := s.readActivity(a)
		if code != "" {
			status := http.StatusBadRequest
			if code == "MessageSizeTooBig" {
				status = http.StatusRequestEntityTooLarge
			}
			connectorError(w, status, code, msg)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		c := s.convs[r.PathValue("conv")]
		switch {
		case c == nil:
			connectorError(w, http.StatusNotFound, "ConversationNotFound", "Conversation not found.")
			return
		case c.Removed:
			connectorError(w, http.StatusForbidden, "BotNotInConversationRoster", "The bot is not part of the conversation roster.")
			return
		case !s.allow(c.ID):
			w.Header().Set("Retry-After", "1")
			connectorError(w, http.StatusTooManyRequests, "Throttled", "Too many requests in this conversation.")
			return
		}
		if a.Type == "typing" {
			c.TypingAt = s.cfg.Now()
			s.wake()
			simkit.WriteJSON(w, http.StatusCreated, map[string]any{})
			return
		}
		s.next++
		m.ID, m.FromBot, m.At = "1:"+strconv.FormatInt(s.next, 10), true, s.cfg.Now()
		c.Messages = append(c.Messages, m)
		c.TypingAt = time.Time{}
		s.wake()
		simkit.WriteJSON(w, http.StatusCreated, map[string]string{"id": m.ID})
	})
}

// readActivity checks a bot's activity as the Bot Connector does and
// reads it into a message; code names what is wrong.
func (s *Sim) readActivity(a outgoing) (m Message, code, msg string) {
	switch a.Type {
	case "typing":
		return m, "", ""
	case "message":
	default:
		return m, "BadArgument", "Unknown activity type " + strconv.Quote(a.Type) + "."
	}
	if len(utf16.Encode([]rune(a.Text))) > maxMessage {
		return m, "MessageSizeTooBig", "Message size too big."
	}
	if a.Text == "" && len(a.Attachments) == 0 {
		return m, "BadArgument", "The message has neither text nor attachments."
	}
	m.Text, m.Layout = a.Text, a.AttachmentLayout
	for _, att := range a.Attachments {
		switch {
		case att.ContentType == "application/vnd.microsoft.card.hero":
			var c Card
			if err := json.Unmarshal(att.Content, &c); err != nil {
				return m, "BadArgument", "The hero card does not read: " + err.Error()
			}
			var raw struct {
				Images []struct {
					URL string `json:"url"`
				} `json:"images"`
			}
			_ = json.Unmarshal(att.Content, &raw)
			c.Images = nil
			for _, img := range raw.Images {
				c.Images = append(c.Images, img.URL)
			}
			for _, b := range c.Buttons {
				if !slices.Contains(cardActions, b.Type) {
					return m, "BadArgument", "Card action type " + strconv.Quote(b.Type) + " is not supported in Teams."
				}
				if b.Title == "" {
					return m, "BadArgument", "A card action has no title."
				}
			}
			m.Cards = append(m.Cards, c)
		case len(att.ContentType) > 6 && att.ContentType[:6] == "image/" && att.ContentURL != "":
			m.Images = append(m.Images, att.ContentURL)
		default:
			return m, "BadArgument", "Attachment content type " + strconv.Quote(att.ContentType) + " is not supported by the simulator."
		}
	}
	return m, "", ""
}

// allow counts an operation in a conversation against the per-thread
// limit; s.mu is held.
func (s *Sim) allow(conv string) bool {
	if s.cfg.ThreadLimit < 0 {
		return true
	}
	now := s.cfg.Now()
	recent := slices.DeleteFunc(s.sent[conv], func(t time.Time) bool { return now.Sub(t) >= time.Second })
	if len(recent) >= s.cfg.ThreadLimit {
		s.sent[conv] = recent
		return false
	}
	s.sent[conv] = append(recent, now)
	return true
}

// getImage serves an inline image a user sent, to the bot's token only.
func (s *Sim) getImage(w http.ResponseWriter, r *http.Request) {
	if !s.botAuthorized(r) {
		simkit.WriteJSON(w, http.StatusUnauthorized, map[string]string{"message": "Authorization has been denied for this request."})
		return
	}
	s.mu.Lock()
	img, ok := s.images[r.PathValue("id")]
	s.mu.Unlock()
	if !ok {
		connectorError(w, http.StatusNotFound, "NotFound", "Attachment not found.")
		return
	}
	w.Header().Set("Content-Type", img.contentType)
	_, _ = w.Write(img.data)
}
