package loadtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// decodeOK decodes a 2xx JSON answer or returns its status and body.
func decodeOK(resp *http.Response, out any) error {
	if resp.StatusCode >= 300 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return fmt.Errorf("%s: %s", resp.Status, body)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
