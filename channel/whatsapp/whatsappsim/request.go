package whatsappsim

import "encoding/json"

// The send API's request body, as Meta documents it; pointers tell a
// missing field from an empty one.
type sendRequest struct {
	MessagingProduct *string `json:"messaging_product"`
	RecipientType    string  `json:"recipient_type"`
	To               *string `json:"to"`
	Type             *string `json:"type"`
	Context          *struct {
		MessageID string `json:"message_id"`
	} `json:"context"`
	// Status "read" with MessageID marks a customer's message read, with
	// an optional typing indicator.
	Status          string `json:"status"`
	MessageID       string `json:"message_id"`
	TypingIndicator *struct {
		Type string `json:"type"`
	} `json:"typing_indicator"`

	Text *struct {
		Body       *string `json:"body"`
		PreviewURL bool    `json:"preview_url"`
	} `json:"text"`
	Interactive *interactive    `json:"interactive"`
	Image       *mediaObject    `json:"image"`
	Video       *mediaObject    `json:"video"`
	Audio       *mediaObject    `json:"audio"`
	Document    *mediaObject    `json:"document"`
	Sticker     *mediaObject    `json:"sticker"`
	Location    *location       `json:"location"`
	Template    *template       `json:"template"`
	Reaction    *reaction       `json:"reaction"`
	Contacts    json.RawMessage `json:"contacts"`
}

type textObject struct {
	Text *string `json:"text"`
}

type interactive struct {
	Type   *string      `json:"type"`
	Header *header      `json:"header"`
	Body   *textObject  `json:"body"`
	Footer *textObject  `json:"footer"`
	Action *interAction `json:"action"`
}

type header struct {
	Type     string       `json:"type"`
	Text     *string      `json:"text"`
	Image    *mediaObject `json:"image"`
	Video    *mediaObject `json:"video"`
	Document *mediaObject `json:"document"`
}

type interAction struct {
	// Buttons are reply buttons; Button and Sections a list.
	Buttons []struct {
		Type  string `json:"type"`
		Reply *struct {
			ID    *string `json:"id"`
			Title *string `json:"title"`
		} `json:"reply"`
	} `json:"buttons"`
	Button   *string `json:"button"`
	Sections []struct {
		Title *string `json:"title"`
		Rows  []struct {
			ID          *string `json:"id"`
			Title       *string `json:"title"`
			Description *string `json:"description"`
		} `json:"rows"`
	} `json:"sections"`
	// Name and Parameters: a call-to-action URL button.
	Name       string `json:"name"`
	Parameters *struct {
		DisplayText *string `json:"display_text"`
		URL         *string `json:"url"`
	} `json:"parameters"`
}

type mediaObject struct {
	ID       string  `json:"id"`
	Link     string  `json:"link"`
	Caption  *string `json:"caption"`
	Filename string  `json:"filename"`
}

type location struct {
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
	Name      string   `json:"name"`
	Address   string   `json:"address"`
}

type template struct {
	Name     *string `json:"name"`
	Language *struct {
		Code   *string `json:"code"`
		Policy string  `json:"policy"`
	} `json:"language"`
	Components []struct {
		Type       string `json:"type"`
		SubType    string `json:"sub_type"`
		Index      any    `json:"index"`
		Parameters []struct {
			Type    string `json:"type"`
			Text    string `json:"text"`
			Payload string `json:"payload"`
		} `json:"parameters"`
	} `json:"components"`
}

type reaction struct {
	MessageID *string `json:"message_id"`
	Emoji     *string `json:"emoji"`
}
