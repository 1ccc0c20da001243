package whatsappsim

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// templateDef is an approved message template: its language and body,
// with {{1}}, {{2}}… placeholders.
type templateDef struct {
	language, body string
	// quickReplies are the titles of its quick reply buttons.
	quickReplies []string
}

var placeholder = regexp.MustCompile(`\{\{([0-9]+)\}\}`)

// AddTemplate approves a template for the number, as Meta's review would
// (hello_world in en_US is there from the start, as on every new
// account). body holds {{1}}, {{2}}… for the parameters; quickReplies
// are the titles of its quick reply buttons, whose tap comes back as a
// "button" message with the payload the send gave (else the title).
func (s *Sim) AddTemplate(name, language, body string, quickReplies ...string) {
	s.mu.Lock()
	s.templates[name+"/"+language] = templateDef{language: language, body: body, quickReplies: quickReplies}
	s.mu.Unlock()
}

// renderTemplate checks a template message against the approved ones and
// writes its text. The caller holds s.mu.
func (s *Sim) renderTemplate(m *Sent) *GraphError {
	t := m.Template
	def, ok := s.templates[t.Name+"/"+t.Language]
	if !ok {
		return &GraphError{HTTPStatus: http.StatusNotFound, Code: 132001, Title: "Template name does not exist in the translation",
			Message: "(#132001) Template name does not exist in the translation", Details: fmt.Sprintf("template name (%s) does not exist in %s", t.Name, t.Language)}
	}
	want := len(placeholder.FindAllString(def.body, -1))
	if len(t.Params) != want {
		return &GraphError{HTTPStatus: http.StatusBadRequest, Code: 132000, Title: "Number of parameters does not match the expected number of params",
			Message: "(#132000) Number of parameters does not match the expected number of params", Details: fmt.Sprintf("body: number of localizable_params (%d) does not match the expected number of params (%d)", len(t.Params), want)}
	}
	for i, title := range def.quickReplies {
		id, ok := t.payloads[i]
		if !ok {
			id = title
		}
		m.Buttons = append(m.Buttons, Option{ID: id, Title: title})
	}
	m.Text = placeholder.ReplaceAllStringFunc(def.body, func(p string) string {
		var n int
		fmt.Sscanf(strings.Trim(p, "{}"), "%d", &n)
		if n >= 1 && n <= len(t.Params) {
			return t.Params[n-1]
		}
		return p
	})
	return nil
}
