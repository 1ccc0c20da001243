package messengersim

import (
	"encoding/json"
	"slices"
	"time"
	"unicode/utf8"
)

// The Send API's limits (shared/spec/channels.md §2.3, §3.3).
const (
	maxText         = 2000
	maxTextIG       = 1000 // bytes
	maxQuickReplies = 13
	maxTitle        = 20
	maxPayload      = 1000
	maxTemplateText = 640
	maxButtons      = 3
	maxElements     = 10
	maxElementText  = 80
	window          = 24 * time.Hour
	humanAgent      = 7 * 24 * time.Hour
)

// sendRequest is a Send API request, field for field.
type sendRequest struct {
	Recipient struct {
		ID string `json:"id"`
	} `json:"recipient"`
	MessagingType string          `json:"messaging_type"`
	Tag           string          `json:"tag"`
	SenderAction  string          `json:"sender_action"`
	Message       *messageRequest `json:"message"`
}

type messageRequest struct {
	Text         string `json:"text"`
	QuickReplies []struct {
		ContentType string `json:"content_type"`
		Title       string `json:"title"`
		Payload     any    `json:"payload"`
	} `json:"quick_replies"`
	Attachment *struct {
		Type    string `json:"type"`
		Payload struct {
			URL          string `json:"url"`
			TemplateType string `json:"template_type"`
			Text         string `json:"text"`
			Buttons      []struct {
				Type    string `json:"type"`
				Title   string `json:"title"`
				Payload string `json:"payload"`
				URL     string `json:"url"`
			} `json:"buttons"`
			Elements []struct {
				Title    string `json:"title"`
				Subtitle string `json:"subtitle"`
				ImageURL string `json:"image_url"`
				Buttons  []struct {
					Type    string `json:"type"`
					Title   string `json:"title"`
					Payload string `json:"payload"`
				} `json:"buttons"`
			} `json:"elements"`
		} `json:"payload"`
	} `json:"attachment"`
	Metadata string `json:"metadata"`
}

// send serves POST /me/messages: checked as Meta does, in the order an
// app meets the errors (the request's shape, then the user, the window
// and the rate).
func (s *Sim) send(raw map[string]any) (any, *graphError) {
	var req sendRequest
	b, _ := json.Marshal(raw)
	if err := json.Unmarshal(b, &req); err != nil {
		return nil, errParam("Invalid parameter: %v", err)
	}
	msg, gerr := s.check(raw, req)
	if gerr != nil {
		return nil, s.refuse(req.Recipient.ID, gerr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[req.Recipient.ID]
	switch {
	case u == nil:
		return nil, s.refuseLocked(req.Recipient.ID, errNoUser())
	case u.blocked:
		return nil, s.refuseLocked(u.id, errUnavailable())
	case u.owner != "" && u.owner != s.cfg.AppID:
		return nil, s.refuseLocked(u.id, errNotOwner())
	}
	if err := s.inWindow(u, req); err != nil {
		return nil, s.refuseLocked(u.id, err)
	}
	if err := s.rate(); err != nil {
		return nil, s.refuseLocked(u.id, err)
	}
	if msg == nil { // a sender action
		return map[string]string{"recipient_id": u.id}, nil
	}
	msg.ID, msg.From, msg.At = mid(), "app", s.now()
	u.messages = append(u.messages, msg)
	s.notify()
	s.echo(u, msg, raw)
	s.receiptLater(u, msg)
	return map[string]string{"recipient_id": u.id, "message_id": msg.ID}, nil
}

// check validates a request's shape and returns the message it makes (nil
// for a sender action).
func (s *Sim) check(raw map[string]any, req sendRequest) (*Message, *graphError) {
	if req.Recipient.ID == "" {
		return nil, errParam("param recipient must be non-empty.")
	}
	if req.SenderAction != "" {
		if len(raw) != 2 {
			return nil, errParam("sender_action must be sent alone: only recipient and sender_action")
		}
		if !slices.Contains([]string{"typing_on", "typing_off", "mark_seen"}, req.SenderAction) {
			return nil, errParam("param sender_action must be one of {typing_on, typing_off, mark_seen}")
		}
		return nil, nil
	}
	switch req.MessagingType {
	case "RESPONSE", "UPDATE":
		if req.Tag != "" {
			return nil, errParam("tag is only taken with messaging_type MESSAGE_TAG")
		}
	case "MESSAGE_TAG":
		tags := []string{"HUMAN_AGENT", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE"}
		if s.cfg.Instagram {
			tags = tags[:1]
		}
		if !slices.Contains(tags, req.Tag) {
			return nil, errParam("param tag must be one of %v", tags)
		}
	default:
		return nil, errParam("param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}")
	}
	m := req.Message
	if m == nil {
		return nil, errParam("param message must be non-empty.")
	}
	if m.Text == "" && m.Attachment == nil {
		return nil, errParam("Message must contain text or attachment")
	}
	if m.Text != "" && m.Attachment != nil {
		return nil, errParam("Message cannot contain both text and attachment")
	}
	out := &Message{MessagingType: req.MessagingType, Tag: req.Tag, Kind: "text", Text: m.Text}
	if m.Text != "" {
		if s.cfg.Instagram && len(m.Text) > maxTextIG {
			return nil, errParam("Length of param message[text] must be less than or equal to %d bytes", maxTextIG)
		}
		if utf8.RuneCountInString(m.Text) > maxText {
			return nil, errParam("Length of param message[text] must be less than or equal to %d", maxText)
		}
	}
	if len(m.QuickReplies) > 0 {
		if len(m.QuickReplies) > maxQuickReplies {
			return nil, errParam("param message[quick_replies] must have at most %d elements", maxQuickReplies)
		}
		for _, q := range m.QuickReplies {
			p, _ := q.Payload.(string)
			switch {
			case s.cfg.Instagram && q.ContentType != "text":
				return nil, errParam("Instagram takes quick replies of content_type text only")
			case q.ContentType == "text" && (q.Title == "" || p == ""):
				return nil, errParam("a text quick reply needs a title and a payload")
			case utf8.RuneCountInString(q.Title) > maxTitle:
				return nil, errParam("Length of quick_replies[title] must be less than or equal to %d", maxTitle)
			case utf8.RuneCountInString(p) > maxPayload:
				return nil, errParam("Length of quick_replies[payload] must be less than or equal to %d", maxPayload)
			}
			out.QuickReplies = append(out.QuickReplies, Choice{Title: q.Title, Payload: p})
		}
		out.Kind = "quick_replies"
	}
	if a := m.Attachment; a != nil {
		if err := s.checkAttachment(out, a.Type, a.Payload.URL, a.Payload.TemplateType); err != nil {
			return nil, err
		}
		p := a.Payload
		switch p.TemplateType {
		case "button":
			if p.Text == "" || utf8.RuneCountInString(p.Text) > maxTemplateText {
				return nil, errParam("param payload[text] must be 1 to %d characters", maxTemplateText)
			}
			if len(p.Buttons) == 0 || len(p.Buttons) > maxButtons {
				return nil, errParam("param payload[buttons] must have 1 to %d elements", maxButtons)
			}
			out.Kind, out.Text = "buttons", p.Text
			for _, b := range p.Buttons {
				if err := checkButton(b.Type, b.Title, b.Payload, b.URL); err != nil {
					return nil, err
				}
				out.Buttons = append(out.Buttons, Choice{Title: b.Title, Payload: b.Payload})
			}
		case "generic":
			if len(p.Elements) == 0 || len(p.Elements) > maxElements {
				return nil, errParam("param payload[elements] must have 1 to %d elements", maxElements)
			}
			out.Kind, out.Text = "cards", ""
			for _, e := range p.Elements {
				if e.Title == "" || utf8.RuneCountInString(e.Title) > maxElementText || utf8.RuneCountInString(e.Subtitle) > maxElementText {
					return nil, errParam("an element's title (required) and subtitle must be at most %d characters", maxElementText)
				}
				if len(e.Buttons) > maxButtons {
					return nil, errParam("an element takes at most %d buttons", maxButtons)
				}
				el := Element{Title: e.Title, Subtitle: e.Subtitle, ImageURL: e.ImageURL}
				for _, b := range e.Buttons {
					if err := checkButton(b.Type, b.Title, b.Payload, "-"); err != nil {
						return nil, err
					}
					el.Buttons = append(el.Buttons, Choice{Title: b.Title, Payload: b.Payload})
				}
				out.Elements = append(out.Elements, el)
			}
		}
	}
	return out, nil
}

// checkAttachment checks an attachment's type; a file's URL makes the
// message.
func (s *Sim) checkAttachment(out *Message, typ, url, template string) *graphError {
	switch typ {
	case "image", "video", "audio", "file":
		if url == "" {
			return errParam("param message[attachment][payload][url] must be a URL")
		}
		out.Kind, out.URL = typ, url
	case "template":
		if template != "button" && template != "generic" {
			return errParam("param payload[template_type] must be button or generic")
		}
		if s.cfg.Instagram && template == "button" {
			return errParam("Instagram does not take the button template: use quick replies or the generic template")
		}
	default:
		return errParam("param message[attachment][type] must be one of {image, video, audio, file, template}")
	}
	return nil
}

// checkButton checks a postback or web_url button.
func checkButton(typ, title, payload, url string) *graphError {
	switch {
	case title == "" || utf8.RuneCountInString(title) > maxTitle:
		return errParam("a button's title must be 1 to %d characters", maxTitle)
	case typ == "postback" && (payload == "" || utf8.RuneCountInString(payload) > maxPayload):
		return errParam("a postback button's payload must be 1 to %d characters", maxPayload)
	case typ == "web_url" && url == "":
		return errParam("a web_url button needs a url")
	case typ != "postback" && typ != "web_url":
		return errParam("a button's type must be postback or web_url")
	}
	return nil
}

// inWindow applies the 24-hour window and the HUMAN_AGENT tag's 7 days.
// The caller holds s.mu.
func (s *Sim) inWindow(u *user, req sendRequest) *graphError {
	age := s.now().Sub(u.lastInbound)
	switch {
	case u.lastInbound.IsZero():
		return errWindow()
	case req.MessagingType != "MESSAGE_TAG":
		if age >= window {
			return errWindow()
		}
	case req.Tag == "HUMAN_AGENT":
		if !s.cfg.HumanAgent || age >= humanAgent {
			return errWindow()
		}
	}
	return nil
}

// rate applies the rate limit. The caller holds s.mu.
func (s *Sim) rate() *graphError {
	now := s.now()
	if s.sw.rateLimit > 0 {
		recent := 0
		for _, t := range s.sendTimes {
			if now.Sub(t) < time.Second {
				recent++
			}
		}
		if recent >= s.sw.rateLimit {
			return errRate()
		}
	}
	s.sendTimes = append(s.sendTimes, now)
	if len(s.sendTimes) > 1000 {
		s.sendTimes = s.sendTimes[500:]
	}
	return nil
}

// refuse records a refused send.
func (s *Sim) refuse(to string, e *graphError) *graphError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refuseLocked(to, e)
}

func (s *Sim) refuseLocked(to string, e *graphError) *graphError {
	s.refused = append(s.refused, Refused{To: to, Code: e.code, Subcode: e.subcode, Message: e.message})
	s.notify()
	return e
}
