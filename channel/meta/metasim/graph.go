package metasim

import (
	"regexp"
	"strings"
)

// version matches a Graph API version segment (v21.0).
var version = regexp.MustCompile(`^v[0-9]+(\.[0-9]+)?$`)

// GraphPath splits a Graph API path (without its leading slash) into its
// segments, without the optional version segment the Graph API takes
// first (/v21.0/{id}/messages and /{id}/messages are the same call).
func GraphPath(path string) []string {
	parts := strings.Split(path, "/")
	if version.MatchString(parts[0]) {
		parts = parts[1:]
	}
	return parts
}
