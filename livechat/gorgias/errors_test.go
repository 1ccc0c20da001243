package gorgias

import (
	"strings"
	"testing"
)

func TestErrorBodiesAreReadWhateverTheirShape(t *testing.T) {
	cases := map[string]string{
		`{"error":{"msg":"Failed to create ticket","data":{"sender":["Missing data for required field."],"messages":{"0":{"channel":["Missing data for required field."]}}}}}`: "Failed to create ticket — messages: 0: channel: Missing data for required field.; sender: Missing data for required field.",
		`{"error":"Invalid credentials"}`:                    "Invalid credentials",
		`{"message":"Too many"}`:                             "Too many",
		`{"error":{"message":"Nope","data":null}}`:           "Nope",
		`<html><body><h1>502 Bad Gateway</h1></body></html>`: "502 Bad Gateway",
		``:     "",
		`null`: "",
		`[1]`:  "[1]",
	}
	for body, want := range cases {
		e := &APIError{Platform: "gorgias", Op: "create ticket", Status: 400}
		e.Msg, e.Fields = parseErrorBody([]byte(body))
		got := strings.TrimPrefix(e.Error(), "gorgias: create ticket: 400 Bad Request")
		got = strings.TrimPrefix(got, ": ")
		if got != want {
			t.Errorf("body %s:\n got %q\nwant %q", body, got, want)
		}
	}
	long := strings.Repeat("é", 400)
	if msg, _ := parseErrorBody([]byte(`{"error":"` + long + `"}`)); len(msg) > 310 || !strings.HasSuffix(msg, "…") {
		t.Errorf("a long message is kept whole: %d bytes", len(msg))
	}
}
