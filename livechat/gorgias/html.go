package gorgias

import (
	"html"
	"strings"
)

// textToHTML renders a user's text as the body_html Gorgias shows: escaped,
// with line breaks.
func textToHTML(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\n", "<br>")
}
