package openapitest

import (
	"strings"
	"testing"
)

const doc = `{"openapi": "3.1.0",
 "paths": {
  "/v1/things": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
    "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
      "default": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
  "/v1/things/{id}": {"delete": {"responses": {"204": {"description": "gone"}}}},
  "/v1/things/special": {"delete": {"responses": {"204": {"description": "gone"}}}}},
 "components": {"schemas": {
  "Thing": {"type": "object", "additionalProperties": false, "required": ["name"], "properties": {
    "name": {"type": "string", "maxLength": 5}, "n": {"type": "integer", "minimum": 0},
    "at": {"type": "string", "format": "date-time"}, "kind": {"enum": ["a", "b"]},
    "tags": {"type": "array", "items": {"type": "string"}},
    "parent": {"anyOf": [{"$ref": "#/components/schemas/Thing"}, {"type": "null"}]}}},
  "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object"}}}}}}`

func check(t *testing.T, exs ...Exchange) string {
	t.Helper()
	d, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(d.Check(exs, "/v1/"), "\n")
}

func post(req, res string, status int) Exchange {
	return Exchange{Method: "POST", Path: "/v1/things", RequestType: "application/json", RequestBody: []byte(req),
		Status: status, ResponseType: "application/json", ResponseBody: []byte(res)}
}

var deletes = []Exchange{
	{Method: "DELETE", Path: "/v1/things/x", Status: 204},
	{Method: "DELETE", Path: "/v1/things/special", Status: 204},
}

func TestConformingExchangesPass(t *testing.T) {
	good := `{"name": "a", "n": 2, "at": "2030-01-02T03:04:05.6Z", "kind": "b", "tags": ["x"], "parent": {"name": "p", "parent": null}}`
	exs := append([]Exchange{post(good, good, 201), post(`{"name": 7}`, `{"error": {}}`, 400)}, deletes...)
	if p := check(t, exs...); p != "" {
		t.Fatalf("problems:\n%s", p)
	}
}

func TestEveryKindOfMismatchIsReported(t *testing.T) {
	for _, c := range []struct {
		ex   Exchange
		says string
	}{
		{post(`{"name": "a"}`, `{"name": "a", "extra": 1}`, 201), `property "extra" is not documented`},
		{post(`{"name": "a"}`, `{}`, 201), `required property "name" is missing`},
		{post(`{"name": "a"}`, `{"name": "toolong"}`, 201), "longer than 5"},
		{post(`{"name": "a"}`, `{"name": "a", "n": 1.5}`, 201), "not of type integer"},
		{post(`{"name": "a"}`, `{"name": "a", "n": -1}`, 201), "below the minimum"},
		{post(`{"name": "a"}`, `{"name": "a", "at": "yesterday"}`, 201), "not a date-time"},
		{post(`{"name": "a"}`, `{"name": "a", "kind": "c"}`, 201), "not one of"},
		{post(`{"name": "a"}`, `{"name": "a", "tags": [1]}`, 201), "$.tags[0]"},
		{post(`{"name": "a"}`, `{"name": "a", "parent": 3}`, 201), "matches none of anyOf"},
		{post(`{"name": 1}`, `{"name": "a"}`, 201), "request: $.name"},
		{post(`{"name": "a"}`, `not json`, 400), "not JSON"},
		{post(`{"name": "a"}`, `{"name": "a"}`, 200), "status not documented"},
		{Exchange{Method: "GET", Path: "/v1/nothing", Status: 200, ResponseType: "application/json", ResponseBody: []byte(`{}`)}, "not documented"},
		{Exchange{Method: "GET", Path: "/v1/nothing", Status: 404, ResponseType: "text/plain", ResponseBody: []byte(`no`)}, "want application/json"},
	} {
		p := check(t, append([]Exchange{c.ex}, deletes...)...)
		if !strings.Contains(p, c.says) {
			t.Errorf("%s %s → %d %s: problems %q, want one saying %q", c.ex.Method, c.ex.Path, c.ex.Status, c.ex.ResponseBody, p, c.says)
		}
	}
}

func TestUnexercisedOperationsAreReported(t *testing.T) {
	p := check(t, deletes[0])
	if !strings.Contains(p, "POST /v1/things: documented but never exercised") || !strings.Contains(p, "DELETE /v1/things/special: documented") {
		t.Fatalf("problems:\n%s", p)
	}
}

func TestAnswersDocumentedAsMaybeEmpty(t *testing.T) {
	d, err := Parse([]byte(`{"openapi": "3.1.0", "paths": {"/v1/maybe": {"get": {"responses": {"200": {"x-may-be-empty": true,
	  "content": {"application/json": {"schema": {"type": "object", "required": ["a"]}}}}}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	get := func(ctype, body string) Exchange {
		return Exchange{Method: "GET", Path: "/v1/maybe", Status: 200, ResponseType: ctype, ResponseBody: []byte(body)}
	}
	if p := d.Check([]Exchange{get("", ""), get("application/json", `{"a": 1}`)}, "/v1/"); len(p) > 0 {
		t.Errorf("an empty answer or a conforming one: %q", p)
	}
	if p := d.Check([]Exchange{get("application/json", `{}`)}, "/v1/"); len(p) == 0 {
		t.Error("a non-empty answer is still checked")
	}
}
