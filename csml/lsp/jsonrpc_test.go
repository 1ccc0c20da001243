package lsp

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// A body that is not JSON is answered with a parse error and the session
// goes on; a frame whose length is missing, not a number or too large ends
// it with an error, before anything is read into memory.
func TestFraming(t *testing.T) {
	var out bytes.Buffer
	in := "Content-Length: 5\r\n\r\n{nope" + "Content-Length: 100\r\n\r\n" + `{"jsonrpc":"2.0","id":1,"method":"shutdown"}`
	if err := Serve(context.Background(), strings.NewReader(in), &out, Options{}); err == nil || !strings.Contains(err.Error(), "read body") {
		t.Errorf("a body cut short: %v", err)
	}
	if !strings.Contains(out.String(), `"code":-32700`) {
		t.Errorf("no parse error answered: %s", out.String())
	}
	for _, header := range []string{"Content-Length: 99999999999\r\n\r\n", "Content-Length: x\r\n\r\n", "Content-Type: a\r\n\r\n"} {
		err := Serve(context.Background(), strings.NewReader(header+"{}"), &bytes.Buffer{}, Options{})
		if err == nil || !strings.Contains(err.Error(), "Content-Length") {
			t.Errorf("%q: %v", header, err)
		}
	}
}
