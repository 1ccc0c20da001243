package gorgias

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"switchboard/internal/driverkit"
)

// APIError is an answer of the Gorgias API other than a success: what
// switchboard was doing (Op), the status, and what Gorgias said (Msg, and
// its per-field complaints of a 400 in Fields).
type APIError = driverkit.APIError

// parseErrorBody reads what Gorgias says about an error, whatever its shape:
// {"error":{"msg":…,"data":{field:[…]}}}, {"error":"…"}, {"message":…}, or
// text (an HTML page from a proxy is cut short).
func parseErrorBody(body []byte) (msg string, fields map[string]string) {
	var v map[string]any
	if json.Unmarshal(body, &v) != nil {
		return driverkit.Shorten(strings.TrimSpace(driverkit.PageText(string(body)))), nil
	}
	switch e := v["error"].(type) {
	case string:
		msg = e
	case map[string]any:
		msg = str(e["msg"])
		if msg == "" {
			msg = str(e["message"])
		}
		if data, ok := e["data"].(map[string]any); ok {
			fields = map[string]string{}
			for k, d := range data {
				fields[k] = driverkit.Shorten(flatten(d))
			}
		}
	}
	if msg == "" {
		msg = str(v["message"])
	}
	return driverkit.Shorten(msg), fields
}

// flatten renders a field complaint (a string, a list, or nested objects).
func flatten(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		parts := make([]string, 0, len(x))
		for _, p := range x {
			parts = append(parts, flatten(p))
		}
		return strings.Join(parts, " ")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(x))
		for _, k := range keys {
			parts = append(parts, k+": "+flatten(x[k]))
		}
		return strings.Join(parts, "; ")
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
