package driverkit

import (
	"html"
	"regexp"
	"strings"
)

// htmlTag matches one tag: its closing slash, its name and its attributes.
var htmlTag = regexp.MustCompile(`(?s)<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!--.*?-->`)

// hrefAttr reads a link's target.
var hrefAttr = regexp.MustCompile(`(?i)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)

// blockTags end a line of text.
var blockTags = map[string]bool{
	"br": true, "p": true, "div": true, "li": true, "tr": true, "blockquote": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "ul": true, "ol": true, "table": true,
}

// HTMLText renders an agent's HTML message as plain text for the chat: line
// breaks where blocks end, link targets kept after their text, scripts and
// styles dropped, entities decoded, blank runs collapsed.
func HTMLText(s string) string {
	var b strings.Builder
	var href string
	linkStart := 0
	skip := "" // inside <script> or <style>
	last := 0
	for _, m := range htmlTag.FindAllStringSubmatchIndex(s, -1) {
		if skip == "" {
			b.WriteString(html.UnescapeString(s[last:m[0]]))
		}
		last = m[1]
		if m[4] < 0 {
			continue // a comment
		}
		closing := m[3] > m[2]
		name := strings.ToLower(s[m[4]:m[5]])
		switch {
		case skip != "":
			if closing && name == skip {
				skip = ""
			}
		case name == "script" || name == "style":
			if !closing {
				skip = name
			}
		case name == "a" && !closing:
			href, linkStart = "", b.Len()
			if h := hrefAttr.FindStringSubmatch(s[m[6]:m[7]]); h != nil {
				href = html.UnescapeString(h[1] + h[2] + h[3])
			}
		case name == "a":
			if href != "" && !strings.HasPrefix(href, "#") && !strings.Contains(b.String()[linkStart:], href) {
				b.WriteString(" (" + href + ")")
			}
			href = ""
		case name == "br":
			b.WriteString("\n")
		case blockTags[name]:
			// A block starts and ends on its own line.
			if out := b.String(); out != "" && !strings.HasSuffix(out, "\n") {
				b.WriteString("\n")
			}
		}
	}
	if skip == "" {
		b.WriteString(html.UnescapeString(s[last:]))
	}
	return tidyLines(b.String())
}

// PageText reads the text of an answer that may be an HTML page (a proxy's
// error page): its text without the tags.
func PageText(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	return HTMLText(s)
}

// tidyLines trims every line, collapses spaces, and keeps at most one blank
// line in a row.
func tidyLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = strings.Join(strings.Fields(strings.ReplaceAll(l, "\u00a0", " ")), " ")
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
