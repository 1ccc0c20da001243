// Package apidoc holds the OpenAPI document of switchboard's HTTP APIs (the
// Chat API under /v1/api/ and the admin API under /v1/admin/), served at
// /v1/openapi.json. The API tests check every request and answer they make
// against it (internal/openapitest), so it cannot drift from the handlers.
package apidoc

import (
	_ "embed"
	"net/http"
)

// JSON is the OpenAPI 3.1 document.
//
//go:embed openapi.json
var JSON []byte

// Handler serves the document. Any origin may read it: it is public.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(JSON)
	})
}
