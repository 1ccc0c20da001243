// Package openapitest checks recorded HTTP exchanges against an OpenAPI 3.1
// document: every answer must match its documented schema (errors included),
// every request the server accepted must match its documented body, and every
// documented operation must have been exercised with a success. It knows the
// part of JSON Schema the document uses: type, enum, properties, required,
// additionalProperties, items, anyOf, $ref, minLength, maxLength, minimum,
// maximum, and the formats date-time and uri.
package openapitest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Exchange is one recorded request and its answer.
type Exchange struct {
	Method, Path, Query string
	RequestType         string
	RequestBody         []byte
	Status              int
	ResponseType        string
	ResponseBody        []byte
}

// Recorder is an http.RoundTripper that records every exchange it carries.
type Recorder struct {
	Next      http.RoundTripper // nil means http.DefaultTransport
	mu        sync.Mutex
	exchanges []Exchange
}

// RoundTrip sends the request and records it with its answer.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := Exchange{Method: req.Method, Path: req.URL.Path, Query: req.URL.RawQuery, RequestType: req.Header.Get("Content-Type")}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		ex.RequestBody = body
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	res, err := next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	ex.Status, ex.ResponseType, ex.ResponseBody = res.StatusCode, res.Header.Get("Content-Type"), body
	r.mu.Lock()
	r.exchanges = append(r.exchanges, ex)
	r.mu.Unlock()
	return res, nil
}

// Exchanges returns what was recorded so far.
func (r *Recorder) Exchanges() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Exchange(nil), r.exchanges...)
}

// Doc is a parsed OpenAPI document.
type Doc struct {
	schemas map[string]any
	ops     []operation
}

type operation struct {
	method, template string
	re               *regexp.Regexp
	params           int
	spec             map[string]any
}

// Parse reads an OpenAPI document.
func Parse(data []byte) (*Doc, error) {
	var raw struct {
		OpenAPI    string                    `json:"openapi"`
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	if !strings.HasPrefix(raw.OpenAPI, "3.") {
		return nil, fmt.Errorf("openapi: version %q is not 3.x", raw.OpenAPI)
	}
	d := &Doc{schemas: raw.Components.Schemas}
	for tmpl, methods := range raw.Paths {
		re := pathPattern(tmpl)
		for method, spec := range methods {
			m, ok := spec.(map[string]any)
			if !ok {
				continue
			}
			d.ops = append(d.ops, operation{method: strings.ToUpper(method), template: tmpl, re: re, params: strings.Count(tmpl, "{"), spec: m})
		}
	}
	// Literal paths win over templates: /bots/validate before /bots/{id}.
	sort.Slice(d.ops, func(i, j int) bool {
		if d.ops[i].params != d.ops[j].params {
			return d.ops[i].params < d.ops[j].params
		}
		return d.ops[i].template+d.ops[i].method < d.ops[j].template+d.ops[j].method
	})
	return d, nil
}

// pathPattern matches the paths of a template: {name} is one segment.
func pathPattern(tmpl string) *regexp.Regexp {
	segs := strings.Split(tmpl, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = `[^/]+`
		} else {
			segs[i] = regexp.QuoteMeta(s)
		}
	}
	return regexp.MustCompile("^" + strings.Join(segs, "/") + "$")
}

// find returns the operation of a request, or nil.
func (d *Doc) find(method, path string) *operation {
	for i := range d.ops {
		if d.ops[i].method == method && d.ops[i].re.MatchString(path) {
			return &d.ops[i]
		}
	}
	return nil
}

// Check returns the problems of the exchanges under prefix, and names the
// documented operations under prefix that none exercised with a success.
func (d *Doc) Check(exchanges []Exchange, prefix string) []string {
	var problems []string
	succeeded := map[string]bool{}
	for _, ex := range exchanges {
		if !strings.HasPrefix(ex.Path, prefix) {
			continue
		}
		where := fmt.Sprintf("%s %s → %d", ex.Method, ex.Path, ex.Status)
		op := d.find(ex.Method, ex.Path)
		if op == nil {
			if ex.Status < 400 {
				problems = append(problems, where+": not documented")
				continue
			}
			problems = append(problems, d.checkBody(where, ex.ResponseType, ex.ResponseBody, ref("Error"))...)
			continue
		}
		ok := ex.Status >= 200 && ex.Status < 300
		if ok {
			succeeded[op.method+" "+op.template] = true
			problems = append(problems, d.checkRequest(where, op, ex)...)
		}
		problems = append(problems, d.checkResponse(where, op, ex)...)
	}
	for _, op := range d.ops {
		if strings.HasPrefix(op.template, prefix) && !succeeded[op.method+" "+op.template] {
			problems = append(problems, fmt.Sprintf("%s %s: documented but never exercised with a success", op.method, op.template))
		}
	}
	return problems
}

func ref(name string) any { return map[string]any{"$ref": "#/components/schemas/" + name} }

// checkRequest checks an accepted request: its required query parameters
// and its JSON body.
func (d *Doc) checkRequest(where string, op *operation, ex Exchange) []string {
	var problems []string
	if params, _ := op.spec["parameters"].([]any); params != nil {
		for _, p := range params {
			pm, _ := p.(map[string]any)
			if pm["in"] == "query" && pm["required"] == true && !strings.Contains("&"+ex.Query, "&"+pm["name"].(string)+"=") {
				problems = append(problems, fmt.Sprintf("%s: required query parameter %s missing", where, pm["name"]))
			}
		}
	}
	rb, _ := op.spec["requestBody"].(map[string]any)
	if rb == nil {
		if len(bytes.TrimSpace(ex.RequestBody)) > 0 {
			problems = append(problems, where+": a body was accepted where none is documented")
		}
		return problems
	}
	mt, _, _ := mime.ParseMediaType(ex.RequestType)
	content, _ := rb["content"].(map[string]any)
	media, ok := content[mt].(map[string]any)
	if !ok {
		return append(problems, fmt.Sprintf("%s: request Content-Type %q is not documented", where, ex.RequestType))
	}
	if mt != "application/json" {
		return problems
	}
	return append(problems, d.checkBody(where+" request", ex.RequestType, ex.RequestBody, media["schema"])...)
}

// checkResponse checks an answer against its status's schema, or default.
func (d *Doc) checkResponse(where string, op *operation, ex Exchange) []string {
	responses, _ := op.spec["responses"].(map[string]any)
	r, ok := responses[fmt.Sprint(ex.Status)].(map[string]any)
	if !ok {
		if ex.Status < 400 {
			return []string{where + ": status not documented"}
		}
		r, _ = responses["default"].(map[string]any)
	}
	content, _ := r["content"].(map[string]any)
	if content == nil {
		if len(ex.ResponseBody) > 0 {
			return []string{where + ": a body where none is documented"}
		}
		return nil
	}
	if empty, _ := r["x-may-be-empty"].(bool); empty && len(ex.ResponseBody) == 0 {
		return nil // documented: "JSON, or nothing" (the CSML engine's answers)
	}
	if mt, _, _ := mime.ParseMediaType(ex.ResponseType); mt != "application/json" && mt != "" {
		// A documented file type (a CSV export) is answered as it is.
		if _, ok := content[mt]; ok {
			return nil
		}
	}
	media, _ := content["application/json"].(map[string]any)
	return d.checkBody(where+" response", ex.ResponseType, ex.ResponseBody, media["schema"])
}

// checkBody checks a JSON body against a schema.
func (d *Doc) checkBody(where, ctype string, body []byte, schema any) []string {
	if mt, _, _ := mime.ParseMediaType(ctype); mt != "application/json" {
		return []string{fmt.Sprintf("%s: Content-Type %q, want application/json", where, ctype)}
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{fmt.Sprintf("%s: not JSON: %v", where, err)}
	}
	var problems []string
	for _, p := range d.validate(schema, v, "$") {
		problems = append(problems, where+": "+p)
	}
	return problems
}

// Main runs a package's tests, then checks what rec recorded under each
// prefix against the document; a mismatch fails the run. With -run, only the
// exchanges are checked, as the operations were not all exercised.
func Main(m *testing.M, doc []byte, rec *Recorder, prefixes ...string) {
	flag.Parse()
	code := m.Run()
	d, err := Parse(doc)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for _, prefix := range prefixes {
		var problems []string
		for _, p := range d.Check(rec.Exchanges(), prefix) {
			if flag.Lookup("test.run").Value.String() == "" || !strings.Contains(p, "never exercised") {
				problems = append(problems, p)
			}
		}
		if len(problems) > 0 {
			fmt.Printf("%s does not match the OpenAPI document:\n  %s\n", prefix, strings.Join(problems, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}
