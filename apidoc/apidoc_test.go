package apidoc_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard/apidoc"
	"switchboard/internal/openapitest"
)

// TestEveryReferenceResolves walks the document: every $ref names a schema,
// and every operation documents its errors.
func TestEveryReferenceResolves(t *testing.T) {
	if _, err := openapitest.Parse(apidoc.JSON); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(apidoc.JSON, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				if _, ok := doc.Components.Schemas[strings.TrimPrefix(r, "#/components/schemas/")]; !ok {
					t.Errorf("%s: $ref %s resolves to nothing", at, r)
				}
			}
			for k, e := range x {
				walk(e, at+"."+k)
			}
		case []any:
			for _, e := range x {
				walk(e, at)
			}
		}
	}
	var all any
	_ = json.Unmarshal(apidoc.JSON, &all)
	walk(all, "$")
	for path, ops := range doc.Paths {
		for method, op := range ops {
			responses, _ := op["responses"].(map[string]any)
			if _, ok := responses["default"]; !ok {
				t.Errorf("%s %s documents no error answer", method, path)
			}
		}
	}
}

func TestServedAsJSON(t *testing.T) {
	rec := httptest.NewRecorder()
	apidoc.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/v1/openapi.json", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") || !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("→ %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}
