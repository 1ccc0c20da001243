package stdlib

import (
	"html"
	"strings"
	"unicode/utf8"
)

const upperHex = "0123456789ABCDEF"

// encodeComponent percent-encodes every byte but ASCII letters, digits and
// -._~ (the urlencoding crate the reference uses).
func encodeComponent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeComponent decodes %XX sequences (others are kept); the result must
// be valid UTF-8.
func decodeComponent(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, hi<<4|lo)
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b), utf8.Valid(b)
}

// decodeHTML decodes HTML entities.
func decodeHTML(s string) string { return html.UnescapeString(s) }

// encodeURI is the reference's string.encode_uri(): the query and the
// fragment after the first '?' are read as form pairs and each value is
// percent-encoded again (commas kept); keys are written decoded. A string
// without '?' is unchanged.
func encodeURI(s string) string { return rewriteURI(s, encodeComponent) }

// decodeURI is decode_uri(): the same walk, values percent-decoded.
func decodeURI(s string) string {
	return rewriteURI(s, func(v string) string {
		d, _ := decodeComponent(v)
		return strings.ToValidUTF8(d, "\uFFFD")
	})
}

func rewriteURI(s string, value func(string) string) string {
	base, rest, ok := strings.Cut(s, "?")
	if !ok {
		return s
	}
	query, fragment, hasFragment := strings.Cut(rest, "#")
	var b strings.Builder
	b.WriteString(base)
	if q := rewritePairs(query, value); q != "" {
		b.WriteString("?" + q)
	}
	if hasFragment {
		b.WriteString("#" + rewritePairs(fragment, value))
	}
	return b.String()
}

// rewritePairs decodes "k=v&k2=v2" as a form and writes it back with each
// comma-separated part of the values passed through value.
func rewritePairs(form string, value func(string) string) string {
	var out []string
	for _, pair := range strings.Split(form, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		parts := strings.Split(formDecode(v), ",")
		for i, p := range parts {
			parts[i] = value(p)
		}
		enc := strings.Join(parts, ",")
		if enc == "" {
			out = append(out, formDecode(k))
		} else {
			out = append(out, formDecode(k)+"="+enc)
		}
	}
	return strings.Join(out, "&")
}

// formDecode decodes a form component: '+' is a space, %XX a byte; the
// result is made valid UTF-8.
func formDecode(s string) string {
	d, _ := decodeComponent(strings.ReplaceAll(s, "+", " "))
	return strings.ToValidUTF8(d, "\uFFFD")
}
