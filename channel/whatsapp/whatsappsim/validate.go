package whatsappsim

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Meta's limits on what a message may hold (characters, not bytes).
const (
	maxTextBody        = 4096
	maxInteractiveBody = 1024
	maxFooter          = 60
	maxHeaderText      = 60
	maxButtons         = 3
	maxButtonTitle     = 20
	maxButtonID        = 256
	maxListRows        = 10
	maxSections        = 10
	maxListButton      = 20
	maxSectionTitle    = 24
	maxRowID           = 200
	maxRowTitle        = 24
	maxRowDescription  = 72
	maxCaption         = 1024
	maxCTAText         = 20
)

// messageTypes are the type values the send API takes.
var messageTypes = []string{"audio", "contacts", "document", "image", "interactive", "location", "reaction", "sticker", "template", "text", "video"}

func length(s string) int { return utf8.RuneCountInString(s) }

// between checks that a field of n characters has lo to hi of them.
func between(field, s string, lo, hi int) *GraphError {
	if n := length(s); n < lo || n > hi {
		return errValue(fmt.Sprintf("%s length invalid: %d characters. Min length: %d, Max length: %d.", field, n, lo, hi))
	}
	return nil
}

// required checks that a field is present.
func required[T any](field string, v *T) *GraphError {
	if v == nil {
		return errMissing(fmt.Sprintf("The parameter %s is required.", field))
	}
	return nil
}

// first returns the first error of checks made in order.
func first(errs ...*GraphError) *GraphError {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// validate turns a send request into the message a customer would get,
// or Meta's error for it. Media ids are checked by the caller.
func validate(req *sendRequest, m *Sent) *GraphError {
	if req.Context != nil {
		m.ReplyTo = req.Context.MessageID
	}
	switch m.Type {
	case "text":
		if e := first(required("text", req.Text)); e != nil {
			return e
		}
		if e := required("text['body']", req.Text.Body); e != nil {
			return e
		}
		m.Text = *req.Text.Body
		return between("text['body']", m.Text, 1, maxTextBody)
	case "interactive":
		if req.Interactive == nil {
			return errMissing("The parameter interactive is required.")
		}
		return validateInteractive(req.Interactive, m)
	case "image", "video", "audio", "document", "sticker":
		return validateMedia(m.Type, map[string]*mediaObject{"image": req.Image, "video": req.Video, "audio": req.Audio, "document": req.Document, "sticker": req.Sticker}[m.Type], m)
	case "location":
		l := req.Location
		if l == nil || l.Latitude == nil || l.Longitude == nil {
			return errMissing("The parameters location['latitude'] and location['longitude'] are required.")
		}
		if *l.Latitude < -90 || *l.Latitude > 90 || *l.Longitude < -180 || *l.Longitude > 180 {
			return errValue("location['latitude'] must be between -90 and 90, location['longitude'] between -180 and 180.")
		}
		m.Latitude, m.Longitude, m.Text = *l.Latitude, *l.Longitude, strings.TrimSpace(l.Name+" "+l.Address)
	case "reaction":
		if req.Reaction == nil || req.Reaction.MessageID == nil || req.Reaction.Emoji == nil {
			return errMissing("The parameters reaction['message_id'] and reaction['emoji'] are required.")
		}
		m.ReplyTo, m.Emoji = *req.Reaction.MessageID, *req.Reaction.Emoji
	case "contacts":
		if len(req.Contacts) == 0 || req.Contacts[0] != '[' {
			return errMissing("The parameter contacts is required (an array of contacts).")
		}
	case "template":
		return validateTemplateShape(req.Template, m)
	}
	return nil
}

// validateInteractive applies Meta's rules for reply buttons, lists and
// call-to-action URL buttons.
func validateInteractive(in *interactive, m *Sent) *GraphError {
	if in.Type == nil {
		return errMissing("The parameter interactive['type'] is required.")
	}
	m.Interactive = *in.Type
	switch m.Interactive {
	case "button", "list", "cta_url":
	default:
		return errParam(fmt.Sprintf("Param interactive['type'] must be one of {BUTTON, CTA_URL, LIST} - got %q.", m.Interactive))
	}
	if in.Body == nil || in.Body.Text == nil {
		return errMissing("The parameter interactive['body']['text'] is required.")
	}
	m.Text = *in.Body.Text
	if e := between("interactive['body']['text']", m.Text, 1, maxInteractiveBody); e != nil {
		return e
	}
	if in.Footer != nil {
		if in.Footer.Text == nil {
			return errMissing("The parameter interactive['footer']['text'] is required.")
		}
		m.Footer = *in.Footer.Text
		if e := between("interactive['footer']['text']", m.Footer, 1, maxFooter); e != nil {
			return e
		}
	}
	if e := validateHeader(in.Header, m); e != nil {
		return e
	}
	if in.Action == nil {
		return errMissing("The parameter interactive['action'] is required.")
	}
	switch m.Interactive {
	case "button":
		return validateButtons(in.Action, m)
	case "list":
		return validateList(in.Action, m)
	}
	return validateCTA(in.Action, m)
}

// validateHeader: a text header of up to 60 characters, or (not on lists)
// an image, video or document.
func validateHeader(h *header, m *Sent) *GraphError {
	if h == nil {
		return nil
	}
	switch h.Type {
	case "text":
		if h.Text == nil {
			return errMissing("The parameter interactive['header']['text'] is required.")
		}
		m.Header = *h.Text
		return between("interactive['header']['text']", m.Header, 1, maxHeaderText)
	case "image", "video", "document":
		if m.Interactive == "list" {
			return errValue("A list message's header must be of type text.")
		}
		obj := map[string]*mediaObject{"image": h.Image, "video": h.Video, "document": h.Document}[h.Type]
		if obj == nil || (obj.ID == "") == (obj.Link == "") {
			return errMissing(fmt.Sprintf("The parameter interactive['header']['%s'] needs exactly one of id or link.", h.Type))
		}
		m.Media = &Media{ID: obj.ID, Link: obj.Link, Filename: obj.Filename}
		return nil
	case "":
		return errMissing("The parameter interactive['header']['type'] is required.")
	}
	return errParam(fmt.Sprintf("Param interactive['header']['type'] must be one of {DOCUMENT, IMAGE, TEXT, VIDEO} - got %q.", h.Type))
}

// validateButtons: 1 to 3 reply buttons, ids of up to 256 characters
// without leading or trailing spaces, titles of up to 20, both unique.
func validateButtons(a *interAction, m *Sent) *GraphError {
	if n := len(a.Buttons); n < 1 || n > maxButtons {
		return errValue(fmt.Sprintf("Number of buttons invalid: %d. The action must have between 1 and %d buttons.", n, maxButtons))
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	for i, b := range a.Buttons {
		at := fmt.Sprintf("interactive['action']['buttons'][%d]", i)
		if b.Type != "reply" {
			return errParam(fmt.Sprintf("Param %s['type'] must be one of {REPLY} - got %q.", at, b.Type))
		}
		if b.Reply == nil || b.Reply.ID == nil || b.Reply.Title == nil {
			return errMissing(fmt.Sprintf("The parameters %s['reply']['id'] and ['title'] are required.", at))
		}
		id, title := *b.Reply.ID, *b.Reply.Title
		if e := first(between(at+"['reply']['id']", id, 1, maxButtonID), between("Button title", title, 1, maxButtonTitle)); e != nil {
			return e
		}
		if strings.TrimSpace(id) != id {
			return errValue(fmt.Sprintf("%s['reply']['id'] may not start or end with spaces.", at))
		}
		if ids[id] {
			return errValue(fmt.Sprintf("Button ids must be unique: %q is repeated.", id))
		}
		if titles[title] {
			return errValue(fmt.Sprintf("Button titles must be unique: %q is repeated.", title))
		}
		ids[id], titles[title] = true, true
		m.Buttons = append(m.Buttons, Option{ID: id, Title: title})
	}
	return nil
}

// validateList: a button of up to 20 characters, 1 to 10 sections (titled
// when more than one), 1 to 10 rows in all with unique ids.
func validateList(a *interAction, m *Sent) *GraphError {
	if a.Button == nil {
		return errMissing("The parameter interactive['action']['button'] is required.")
	}
	m.ListButton = *a.Button
	if e := between("interactive['action']['button']", m.ListButton, 1, maxListButton); e != nil {
		return e
	}
	if n := len(a.Sections); n < 1 || n > maxSections {
		return errValue(fmt.Sprintf("Number of sections invalid: %d. The action must have between 1 and %d sections.", n, maxSections))
	}
	ids := map[string]bool{}
	for i, sec := range a.Sections {
		at := fmt.Sprintf("interactive['action']['sections'][%d]", i)
		if sec.Title == nil && len(a.Sections) > 1 {
			return errMissing(fmt.Sprintf("The parameter %s['title'] is required when there is more than one section.", at))
		}
		if sec.Title != nil {
			if e := between(at+"['title']", *sec.Title, 1, maxSectionTitle); e != nil {
				return e
			}
		}
		if len(sec.Rows) == 0 {
			return errValue(fmt.Sprintf("%s['rows'] must have at least one row.", at))
		}
		for j, row := range sec.Rows {
			rat := fmt.Sprintf("%s['rows'][%d]", at, j)
			if row.ID == nil || row.Title == nil {
				return errMissing(fmt.Sprintf("The parameters %s['id'] and ['title'] are required.", rat))
			}
			o := Option{ID: *row.ID, Title: *row.Title}
			if row.Description != nil {
				o.Description = *row.Description
			}
			if e := first(between(rat+"['id']", o.ID, 1, maxRowID), between(rat+"['title']", o.Title, 1, maxRowTitle),
				between(rat+"['description']", o.Description, 0, maxRowDescription)); e != nil {
				return e
			}
			if ids[o.ID] {
				return errValue(fmt.Sprintf("Row ids must be unique: %q is repeated.", o.ID))
			}
			ids[o.ID] = true
			m.ListRows = append(m.ListRows, o)
		}
	}
	if n := len(m.ListRows); n > maxListRows {
		return errValue(fmt.Sprintf("Total row count exceed max allowed count: %d. A list may have at most %d rows in all.", n, maxListRows))
	}
	return nil
}

// validateCTA: a call-to-action URL button with a display text of up to 20
// characters and an http(s) URL.
func validateCTA(a *interAction, m *Sent) *GraphError {
	p := a.Parameters
	if a.Name != "cta_url" || p == nil || p.DisplayText == nil || p.URL == nil {
		return errMissing("A cta_url message needs action name \"cta_url\" and parameters display_text and url.")
	}
	if e := between("interactive['action']['parameters']['display_text']", *p.DisplayText, 1, maxCTAText); e != nil {
		return e
	}
	if u, err := url.Parse(*p.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errValue(fmt.Sprintf("interactive['action']['parameters']['url'] must be an http or https URL, got %q.", *p.URL))
	}
	m.Buttons, m.URL = []Option{{Title: *p.DisplayText}}, *p.URL
	return nil
}

// validateMedia: exactly one of id and link; a caption (not on audio or
// stickers) of up to 1024 characters.
func validateMedia(kind string, obj *mediaObject, m *Sent) *GraphError {
	if obj == nil {
		return errMissing(fmt.Sprintf("The parameter %s is required.", kind))
	}
	if (obj.ID == "") == (obj.Link == "") {
		return errParam(fmt.Sprintf("%s needs exactly one of id and link.", kind))
	}
	if obj.Link != "" {
		if u, err := url.Parse(obj.Link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errParam(fmt.Sprintf("%s['link'] must be an http or https URL, got %q.", kind, obj.Link))
		}
	}
	m.Media = &Media{ID: obj.ID, Link: obj.Link, Filename: obj.Filename}
	if obj.Caption != nil {
		if kind == "audio" || kind == "sticker" {
			return errParam(fmt.Sprintf("Param %s['caption'] is not allowed on %s messages.", kind, kind))
		}
		m.Media.Caption, m.Text = *obj.Caption, *obj.Caption
		return between(kind+"['caption']", m.Text, 0, maxCaption)
	}
	return nil
}

// validateTemplateShape checks a template's name and language; whether the
// template exists is the caller's.
func validateTemplateShape(t *template, m *Sent) *GraphError {
	if t == nil || t.Name == nil || t.Language == nil || t.Language.Code == nil {
		return errMissing("The parameters template['name'] and template['language']['code'] are required.")
	}
	m.Template = &Template{Name: *t.Name, Language: *t.Language.Code, payloads: map[int]string{}}
	for _, c := range t.Components {
		switch c.Type {
		case "body":
			for _, p := range c.Parameters {
				m.Template.Params = append(m.Template.Params, p.Text)
			}
		case "button":
			i, err := strconv.Atoi(fmt.Sprint(c.Index))
			if c.SubType != "quick_reply" || err != nil || i < 0 {
				continue
			}
			for _, p := range c.Parameters {
				if p.Type == "payload" {
					m.Template.payloads[i] = p.Payload
				}
			}
		}
	}
	return nil
}
