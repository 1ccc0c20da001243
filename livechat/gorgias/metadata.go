package gorgias

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"switchboard/livechat"
)

// metadataLines lists the user's metadata for agents, one "key: value" a
// line in key order. Gorgias shows agents a customer's name, email,
// channels, note and data, and a ticket's messages, but not the meta of
// either (https://developers.gorgias.com/reference/the-customer-object), so
// switchboard writes the metadata where they look.
func metadataLines(u livechat.UserInfo) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(userData(u))) {
		fmt.Fprintf(&b, "%s: %s\n", k, metadataValue(u.Meta[k]))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// userData is the user's metadata without the keys switchboard reserves.
func userData(u livechat.UserInfo) map[string]any {
	out := map[string]any{}
	for k, v := range u.Meta {
		if k != "switchboard" {
			out[k] = v
		}
	}
	return out
}

func metadataValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}
