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
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	return drain(resp)
}

// drain reads what is left of an answer, as a browser does: the client
// reuses a connection only once its last answer was read to the end, and a
// tool that left a byte unread would open a connection per request.
func drain(resp *http.Response) error {
	_, err := io.Copy(io.Discard, resp.Body)
	return err
}
