package chatwoot

import (
	"encoding/json"
	"strings"

	"switchboard/internal/driverkit"
)

// APIError is an answer of the Chatwoot API other than a success: what
// switchboard was doing (Op), the status, and what Chatwoot said.
type APIError = driverkit.APIError

// parseErrorBody reads what Chatwoot says about an error, whatever its
// shape: {"error":"…"}, {"message":"…","attributes":[…]} (a validation),
// {"description":"…","errors":[{"field","message"}]}, {"errors":["…"]}, or
// text (an HTML page from a proxy is cut short).
func parseErrorBody(body []byte) string {
	var v struct {
		Error       any    `json:"error"`
		Message     string `json:"message"`
		Description string `json:"description"`
		Errors      []any  `json:"errors"`
	}
	if json.Unmarshal(body, &v) != nil {
		return driverkit.Shorten(driverkit.PageText(string(body)))
	}
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	if s, ok := v.Error.(string); ok {
		add(s)
	}
	add(v.Message)
	add(v.Description)
	for _, e := range v.Errors {
		switch x := e.(type) {
		case string:
			add(x)
		case map[string]any:
			field, _ := x["field"].(string)
			msg, _ := x["message"].(string)
			add(strings.TrimSpace(field + " " + msg))
		}
	}
	return driverkit.Shorten(strings.Join(parts, "; "))
}
