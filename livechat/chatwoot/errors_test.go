package chatwoot

import (
	"testing"
)

func TestErrorBodiesAreReadWhateverTheirShape(t *testing.T) {
	for body, want := range map[string]string{
		`{"error":"Invalid Access Token"}`:                                                      "Invalid Access Token",
		`{"message":"Email has already been taken","attributes":["email"]}`:                     "Email has already been taken",
		`{"description":"Bad request","errors":[{"field":"inbox_id","message":"is required"}]}`: "Bad request; inbox_id is required",
		`{"errors":["Too many messages"]}`:                                                      "Too many messages",
		`<html><body><h1>502 Bad Gateway</h1></body></html>`:                                    "502 Bad Gateway",
		"Retry later\n": "Retry later",
		``:              "",
	} {
		if got := parseErrorBody([]byte(body)); got != want {
			t.Errorf("body %s: got %q, want %q", body, got, want)
		}
	}
}
