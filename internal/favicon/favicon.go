// Package favicon serves switchboard's icon, one SVG for every page (the
// desk, the administration, the chat page), so browsers show it in the tab
// and do not log a 404 for /favicon.ico.
package favicon

import (
	_ "embed"
	"net/http"
)

//go:embed favicon.svg
var svg []byte

// Paths are where the icon is served: the pages link /favicon.svg, and
// browsers ask for /favicon.ico on their own (modern browsers read an SVG
// there too).
var Paths = []string{"/favicon.svg", "/favicon.ico"}

// Handler answers GET with the icon, cached for a day.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		_, _ = w.Write(svg)
	})
}
