package gorgiassim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"switchboard/internal/simkit"
)

// Rendering is how the simulator writes {{…}} variables into an
// integration's request. Gorgias documents no URL-encoding of template
// values, and a URL that reaches Python's requests only has what may never
// appear in a URL escaped (requote_uri: spaces, line breaks, non-ASCII), so
// values are pasted into URLs raw: a text with "&" adds query parameters,
// and one with "#" cuts the query string short. How null and booleans
// render is not documented either; the zero value renders them as Python
// does (True, False, None).
type Rendering struct {
	// JSONLiterals renders booleans as true/false and a missing or null
	// value as nothing, instead of True/False/None.
	JSONLiterals bool
}

// placeholder is one {{ path.to.value }}.
var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}`)

// lookup follows a dotted path in the event's context.
func lookup(ctx map[string]any, path string) any { return simkit.Lookup(ctx, path) }

// format renders one value as text.
func (rd Rendering) format(v any) string {
	switch x := v.(type) {
	case nil:
		if rd.JSONLiterals {
			return ""
		}
		return "None"
	case bool:
		s := "false"
		if x {
			s = "true"
		}
		if !rd.JSONLiterals {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		return s
	case string:
		return x
	case json.Number:
		return x.String()
	default:
		raw, _ := json.Marshal(x)
		return string(raw)
	}
}

// text renders a template; forURL requotes values (see Rendering).
func (rd Rendering) text(tmpl string, ctx map[string]any, forURL bool) string {
	return placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		v := rd.format(lookup(ctx, placeholder.FindStringSubmatch(m)[1]))
		if forURL {
			return requote(v)
		}
		return v
	})
}

// requote escapes what may not appear in a URL at all and keeps what URLs
// reserve, like requests.utils.requote_uri.
func requote(s string) string {
	const keep = "-._~!#$%&'()*+,/:;=?@[]"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// jsonBody renders a JSON form: every string is a template, and a string
// that is only one variable ("{{context}}", "{{message}}") becomes that
// value itself, object or not.
func (rd Rendering) jsonBody(v any, ctx map[string]any) any {
	switch x := v.(type) {
	case string:
		if m := placeholder.FindStringSubmatch(x); m != nil && m[0] == strings.TrimSpace(x) {
			if m[1] == "context" {
				return ctx
			}
			return lookup(ctx, m[1])
		}
		return rd.text(x, ctx, false)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = rd.jsonBody(e, ctx)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = rd.jsonBody(e, ctx)
		}
		return out
	default:
		return x
	}
}

// request renders an integration's request for one event.
func (rd Rendering) request(h HTTPHooks, ctx map[string]any) delivery {
	d := delivery{method: h.Method, url: rd.text(h.URL, ctx, true), header: http.Header{}}
	for k, v := range h.Headers {
		d.header.Set(k, rd.text(v, ctx, false))
	}
	if h.Method == http.MethodGet || h.Method == http.MethodHead || len(bytes.TrimSpace(h.Form)) == 0 {
		return d
	}
	var form any
	dec := json.NewDecoder(bytes.NewReader(h.Form))
	dec.UseNumber()
	_ = dec.Decode(&form)
	if h.RequestContentType == "application/x-www-form-urlencoded" {
		vals := url.Values{}
		if m, ok := form.(map[string]any); ok {
			for k, v := range m {
				s, _ := v.(string)
				vals.Set(k, rd.text(s, ctx, false))
			}
		}
		d.body = []byte(vals.Encode())
	} else {
		d.body, _ = json.Marshal(rd.jsonBody(form, ctx))
	}
	d.header.Set("Content-Type", h.RequestContentType)
	return d
}
