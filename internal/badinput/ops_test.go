package badinput_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"switchboard/apidoc"
)

// op is one route to attack.
type op struct {
	method, path string // path is a template: {name} is a parameter
	query        []string
	// body is the JSON schema of the request's JSON body; nil when the
	// route reads none.
	body map[string]any
	// base is a valid body to change one field at a time, so that a change
	// reaches the check of its own field; empty means one made from body.
	base string
	auth auth
}

// auth is the credentials a route wants.
type auth int

const (
	none   auth = iota
	admin       // the admin token
	public      // an API key
	signed      // an API key with its signature
	signIn      // an agent's sign-in (cookie and CSRF token)
)

// Valid bodies of the documented schemas whose made-up sample would be
// refused at its first field.
var bases = map[string]string{
	"EventRequest": `{"client":{"user_id":"fuzz"},"payload":{"content_type":"text","content":{"text":"hi"}}}`,
	"Invitation":   `{"email":"fuzz@example.com","name":"Fuzz"}`,
	"NewChannel":   `{"bot_id":"livechat-demo","type":"webapp"}`,
	"SignIn":       `{"email":"nobody@example.com","password":"not the password"}`,
}

// botBody is a bot as JSON, the body of an import.
const botBody = `{"id":"fuzz-bot","name":"Fuzz","default_flow":"start","flows":[{"name":"start","content":"start:\n  say \"hi\"\n  goto end","commands":["/start"]}]}`

var botSchema = map[string]any{"type": "object", "properties": map[string]any{
	"id": str, "name": str, "default_flow": str, "env": map[string]any{"type": "object"},
	"flows": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
		"name": str, "content": str, "commands": map[string]any{"type": "array", "items": str},
	}}},
}}

var str = map[string]any{"type": "string"}

// unlisted are the routes outside the OpenAPI document: the chat page and
// the webapp's API, the desk's, and the platforms' webhooks. The desk's
// sign-out and its event stream are left out: one ends the suite's
// sign-in, the other is meant to stay open.
var unlisted = []op{
	{method: "GET", path: "/chat/{channel}", query: []string{"embed"}},
	{method: "GET", path: "/v1/webapp/{channel}/config"},
	{method: "GET", path: "/v1/webapp/{channel}/theme.css"},
	{method: "GET", path: "/v1/webapp/{channel}/logo"},
	{method: "POST", path: "/v1/webapp/{channel}/visitors"},
	{method: "GET", path: "/v1/webapp/{channel}/ws", query: []string{"user_id", "token", "after"}},
	{method: "POST", path: "/v1/webapp/{channel}/attachments", query: []string{"user_id", "token"}},
	{method: "GET", path: "/webapp/static/{file}"},
	{method: "GET", path: "/webapp/widget.js"},
	{method: "POST", path: "/desk/api/login", body: object("email", "password"), base: bases["SignIn"]},
	{method: "GET", path: "/desk/api/me", auth: signIn},
	{method: "GET", path: "/desk/api/languages/{code}"},
	{method: "GET", path: "/desk/api/preferences", auth: signIn},
	{method: "PUT", path: "/desk/api/preferences", body: object("language"), auth: signIn},
	{method: "GET", path: "/desk/api/sessions", query: []string{"q"}, auth: signIn},
	{method: "GET", path: "/desk/api/sessions/{id}", auth: signIn},
	{method: "POST", path: "/desk/api/sessions/{id}/claim", auth: signIn},
	{method: "POST", path: "/desk/api/sessions/{id}/reply", body: object("text"), auth: signIn},
	{method: "POST", path: "/desk/api/sessions/{id}/signoff", body: object("text"), auth: signIn},
	{method: "POST", path: "/desk/api/sessions/{id}/close", auth: signIn},
	{method: "POST", path: "/desk/api/sessions/{id}/attachments", auth: signIn},
	{method: "GET", path: "/desk/api/saved-replies", auth: signIn},
	{method: "POST", path: "/desk/api/saved-replies", body: object("title", "text"), auth: signIn},
	{method: "DELETE", path: "/desk/api/saved-replies/{id}", auth: signIn},
	{method: "GET", path: "/desk/api/presence", auth: signIn},
	{method: "PUT", path: "/desk/api/presence", body: object("status"), auth: signIn},
	{method: "GET", path: "/v1/livechat/gorgias/receive", query: []string{"token"}},
	{method: "POST", path: "/v1/livechat/gorgias/receive", query: []string{"token"}, body: object("event", "ticket_id", "message_id")},
	{method: "POST", path: "/v1/livechat/chatwoot/receive", query: []string{"token"}, body: object("event", "id", "content")},
}

// object is the schema of an object of string fields.
func object(fields ...string) map[string]any {
	props := map[string]any{}
	for _, f := range fields {
		props[f] = str
	}
	return map[string]any{"type": "object", "properties": props}
}

// document reads the operations of the OpenAPI document, with their
// schemas' references resolved.
func document(t *testing.T) []op {
	t.Helper()
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(apidoc.JSON, &doc); err != nil {
		t.Fatal(err)
	}
	var ops []op
	for path, methods := range doc.Paths {
		for method, raw := range methods {
			var spec struct {
				Parameters []struct {
					In   string `json:"in"`
					Name string `json:"name"`
				} `json:"parameters"`
				RequestBody struct {
					Content map[string]struct {
						Schema map[string]any `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
				Security []map[string]any `json:"security"`
			}
			if err := json.Unmarshal(raw, &spec); err != nil {
				continue // not an operation (path-level fields)
			}
			o := op{method: strings.ToUpper(method), path: path, auth: authOf(spec.Security)}
			for _, p := range spec.Parameters {
				if p.In == "query" {
					o.query = append(o.query, p.Name)
				}
			}
			if c, ok := spec.RequestBody.Content["application/json"]; ok {
				if name, ok := strings.CutPrefix(fmt.Sprint(c.Schema["$ref"]), "#/components/schemas/"); ok {
					o.base = bases[name]
				}
				o.body = resolve(c.Schema, doc.Components.Schemas, 0).(map[string]any)
				if _, zip := spec.RequestBody.Content["application/zip"]; zip {
					o.body, o.base = botSchema, botBody
				}
			}
			ops = append(ops, o)
		}
	}
	if len(ops) == 0 {
		t.Fatal("the OpenAPI document has no operations")
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	return ops
}

// authOf reads an operation's security: the admin token when it takes it,
// else an API key alone when it takes one, else a signature, else a
// sign-in, else nothing.
func authOf(security []map[string]any) auth {
	best := none
	for _, req := range security {
		switch _, key := req["ApiKey"]; {
		case req["AdminToken"] != nil:
			return admin
		case key && len(req) == 1:
			best = public
		case key && best != public:
			best = signed
		case req["AdminSession"] != nil && best == none:
			best = signIn
		}
	}
	return best
}

// resolve replaces the $refs of a schema by what they name.
func resolve(schema any, schemas map[string]any, depth int) any {
	m, ok := schema.(map[string]any)
	if !ok || depth > 8 {
		return schema
	}
	if ref, ok := m["$ref"].(string); ok {
		return resolve(schemas[strings.TrimPrefix(ref, "#/components/schemas/")], schemas, depth+1)
	}
	out := map[string]any{}
	for k, v := range m {
		switch k {
		case "properties":
			props := map[string]any{}
			for name, p := range v.(map[string]any) {
				props[name] = resolve(p, schemas, depth+1)
			}
			out[k] = props
		case "items":
			out[k] = resolve(v, schemas, depth+1)
		default:
			out[k] = v
		}
	}
	return out
}

// sample makes a value of a schema: its required properties for objects.
func sample(schema any) any {
	m, _ := schema.(map[string]any)
	if enum, ok := m["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	typ := m["type"]
	if list, ok := typ.([]any); ok && len(list) > 0 {
		typ = list[0]
	}
	switch typ {
	case "object":
		out := map[string]any{}
		props, _ := m["properties"].(map[string]any)
		required, _ := m["required"].([]any)
		for _, r := range required {
			out[r.(string)] = sample(props[r.(string)])
		}
		return out
	case "array":
		return []any{sample(m["items"])}
	case "integer", "number":
		return 1
	case "boolean":
		return true
	}
	return "x"
}

// fields lists the paths of the properties of a schema ("client.user_id"),
// two levels deep.
func fields(schema map[string]any, prefix string, depth int) []string {
	props, _ := schema["properties"].(map[string]any)
	var out []string
	for name, p := range props {
		out = append(out, prefix+name)
		if pm, ok := p.(map[string]any); ok && depth < 2 {
			out = append(out, fields(pm, prefix+name+".", depth+1)...)
		}
	}
	sort.Strings(out)
	return out
}

// placeholder marks the field that a body changes, replaced by the raw
// literal once the rest is written.
const placeholder = "\u2063badinput-placeholder\u2063"

// with writes doc with the field at path set to lit, a literal kept as
// written (it may not be valid JSON: that is the point).
func with(doc map[string]any, path string, lit string) string {
	data, _ := json.Marshal(set(doc, path)) // maps of JSON values always marshal
	quoted, _ := json.Marshal(placeholder)
	return strings.Replace(string(data), string(quoted), lit, 1)
}

// set returns a copy of doc with the placeholder at path.
func set(doc map[string]any, path string) map[string]any {
	out := map[string]any{}
	for k, x := range doc {
		out[k] = x
	}
	name, rest, nested := strings.Cut(path, ".")
	if !nested {
		out[name] = placeholder
		return out
	}
	inner, _ := out[name].(map[string]any)
	if inner == nil {
		inner = map[string]any{}
	}
	out[name] = set(inner, rest)
	return out
}
