package badinput_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// attack is one hostile request.
type attack struct {
	what   string // what it tries, for the report
	method string
	path   string // escaped, with its query
	body   string
	ctype  string
	auth   auth
	// header, when set, replaces the credentials by these headers.
	header http.Header
}

// huge is a string far over every limit of an identifier or a field.
var huge = strings.Repeat("a", 100_000)

// pathValues are hostile path parameters, escaped.
var pathValues = []string{
	"%00", "a%00b", "%FF", "%C0%AF", "%E2%80%8B", "%E2%80%AE", "%EF%BB%BF", "%0A", "%1B%5B31m",
	url.PathEscape(huge), "%2F", "..", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%20", "%25", "nope",
	url.PathEscape("<script>alert(1)</script>"), url.PathEscape("' OR '1'='1"),
}

// queryValues are hostile query values, escaped.
var queryValues = []string{
	"", "%00", "%FF", "%E2%80%8B", "-1", "0", "99999999999999999999", "1e3", "abc", "1.5",
	url.QueryEscape(huge), url.QueryEscape("' OR '1'='1"),
}

// fieldValues are hostile JSON literals for one field; some are not valid
// JSON on purpose (raw invalid UTF-8, an unfinished string).
var fieldValues = []string{
	`null`, `0`, `-1`, `1.5`, `1e308`, `-1e308`, `99999999999999999999999`, `true`, `""`, `[]`, `{}`, `[[[[[[[[[[]]]]]]]]]]`,
	`"\u0000"`, `"a\u0000b"`, `"\ud800"`, `"\u202e\u200b\ufeff"`, "\"\xff\xfe\"", `"\n\r\t"`,
	`"<script>alert(1)</script>"`, `"../../../etc/passwd"`, `"' OR '1'='1"`, `"` + huge + `"`,
	`{"$ref":"#"}`, `["` + huge + `"]`, `"unterminated`,
}

// bodies are malformed and hostile whole bodies; sample is a valid one.
func bodies(sample string) []struct{ what, body, ctype string } {
	deep := strings.Repeat("[", 20_000) + strings.Repeat("]", 20_000)
	return []struct{ what, body, ctype string }{
		{"empty body", "", "application/json"},
		{"unfinished object", "{", "application/json"},
		{"array", "[]", "application/json"},
		{"null", "null", "application/json"},
		{"a string", `"x"`, "application/json"},
		{"a huge number", "1e999", "application/json"},
		{"deep nesting", deep, "application/json"},
		{"2 MB string", `{"x":"` + strings.Repeat("a", 2<<20) + `"}`, "application/json"},
		{"NUL bytes", "{\x00}", "application/json"},
		{"invalid UTF-8", "{\"x\":\"\xff\"}", "application/json"},
		{"byte order mark", "\xef\xbb\xbf" + sample, "application/json"},
		{"unknown field", strings.TrimSuffix(sample, "}") + `,"unknown_field_x":1}`, "application/json"},
		{"trailing data", sample + `{}`, "application/json"},
		{"duplicate keys", strings.TrimSuffix(sample, "}") + "," + strings.TrimPrefix(sample, "{"), "application/json"},
		{"text/plain", sample, "text/plain"},
		{"form", "a=b&c=%00", "application/x-www-form-urlencoded"},
		{"zip that is not one", "PK\x03\x04garbage", "application/zip"},
		{"bad media type", sample, "application/json; charset=\"unterminated;;="},
	}
}

// attacks makes every hostile request of an operation. valid fills a path
// parameter with a value that exists, so that queries and bodies reach
// their checks.
func attacks(o op, valid func(param string) string) []attack {
	var out []attack
	fill := func(hostile string, value string) string {
		p := o.path
		for {
			i := strings.Index(p, "{")
			if i < 0 {
				return p
			}
			j := strings.Index(p[i:], "}")
			name := p[i+1 : i+j]
			v := valid(name)
			if name == hostile {
				v = value
			}
			p = p[:i] + v + p[i+j+1:]
		}
	}
	add := func(a attack) {
		a.method, a.auth = o.method, o.auth
		if a.ctype == "" && a.body != "" {
			a.ctype = "application/json"
		}
		out = append(out, a)
	}
	// Hostile path parameters.
	for _, name := range params(o.path) {
		for _, v := range pathValues {
			add(attack{what: "path {" + name + "} = " + short(v), path: fill(name, v)})
		}
	}
	path := fill("", "")
	// Hostile queries.
	for _, name := range o.query {
		for _, v := range queryValues {
			add(attack{what: "query " + name + " = " + short(v), path: path + "?" + name + "=" + v})
		}
		add(attack{what: "query " + name + " twice", path: path + "?" + name + "=1&" + name + "=%00"})
	}
	if len(o.query) > 0 {
		add(attack{what: "unknown query", path: path + "?zzz=%00&" + strings.Repeat("k=v&", 2000)})
	}
	// Hostile bodies, then one hostile field at a time.
	if o.body != nil {
		base := map[string]any{}
		if o.base != "" {
			_ = json.Unmarshal([]byte(o.base), &base) // the bases are valid JSON objects
		} else if s, ok := sample(o.body).(map[string]any); ok {
			base = s
		}
		sampleBody, _ := json.Marshal(base)
		for _, b := range bodies(string(sampleBody)) {
			add(attack{what: "body: " + b.what, path: path, body: b.body, ctype: b.ctype})
		}
		for _, f := range fields(o.body, "", 0) {
			for _, v := range fieldValues {
				add(attack{what: "field " + f + " = " + short(v), path: path, body: with(base, f, v)})
			}
		}
	}
	// Bad credentials, on the route with a valid body when it takes one.
	body := ""
	if o.body != nil {
		body = o.base
		if body == "" {
			data, _ := json.Marshal(sample(o.body))
			body = string(data)
		}
	}
	for _, h := range badCredentials(o.auth) {
		add(attack{what: "credentials " + h.what, path: path, body: body, header: h.header})
	}
	return out
}

// params lists a template's parameters.
func params(tmpl string) []string {
	var out []string
	for _, seg := range strings.Split(tmpl, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, seg[1:len(seg)-1])
		}
	}
	return out
}

// badCredentials are wrong credentials of each kind.
func badCredentials(a auth) []struct {
	what   string
	header http.Header
} {
	type cred = struct {
		what   string
		header http.Header
	}
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	switch a {
	case admin:
		return []cred{
			{"none", h()},
			{"wrong token", h("Authorization", "Bearer wrong")},
			{"basic", h("Authorization", "Basic YWRtaW46YWRtaW4=")},
			{"invalid UTF-8 token", h("Authorization", "Bearer \xff\xfe")},
			{"huge token", h("Authorization", "Bearer "+huge)},
		}
	case public, signed:
		return []cred{
			{"none", h()},
			{"unknown key", h("X-Api-Key", "nope")},
			{"invalid UTF-8 key", h("X-Api-Key", "\xff\xfe")},
			{"huge key", h("X-Api-Key", huge)},
			{"key with an empty time", h("X-Api-Key", "nope|", "X-Api-Signature", "sha256=00")},
			{"key with a bad time", h("X-Api-Key", "nope|99999999999999999999", "X-Api-Signature", "sha256="+strings.Repeat("0", 64))},
			{"signature without time", h("X-Api-Key", "nope", "X-Api-Signature", "sha256=zz")},
		}
	case signIn:
		return []cred{
			{"none", h()},
			{"forged cookie", h("Cookie", "switchboard_desk=forged", "X-CSRF-Token", "x")},
			{"huge cookie", h("Cookie", "switchboard_desk="+huge)},
		}
	}
	return nil
}

// short names a hostile value in a report.
func short(v string) string {
	if len(v) > 40 {
		return v[:20] + "…(" + strconv.Itoa(len(v)) + " bytes)"
	}
	return v
}
