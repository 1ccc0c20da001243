package openapitest

import (
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// validate checks a decoded JSON value against a schema and returns every
// mismatch with its place ($.messages[0].payload).
func (d *Doc) validate(schema any, v any, at string) []string {
	s, ok := schema.(map[string]any)
	if !ok {
		return nil // true, or no schema: anything goes
	}
	if r, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(r, "#/components/schemas/")
		target, ok := d.schemas[name]
		if !ok {
			return []string{fmt.Sprintf("%s: $ref %s is not in the document", at, r)}
		}
		return d.validate(target, v, at)
	}
	if any, ok := s["anyOf"].([]any); ok {
		var first []string
		for _, alt := range any {
			p := d.validate(alt, v, at)
			if len(p) == 0 {
				return nil
			}
			if first == nil {
				first = p
			}
		}
		return append([]string{fmt.Sprintf("%s: matches none of anyOf", at)}, first...)
	}
	if t, ok := s["type"]; ok && !hasType(t, v) {
		return []string{fmt.Sprintf("%s: %s is not of type %v", at, kind(v), t)}
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || reflect.DeepEqual(e, v)
		}
		if !found {
			return []string{fmt.Sprintf("%s: %v is not one of %v", at, v, enum)}
		}
	}
	var problems []string
	switch x := v.(type) {
	case map[string]any:
		problems = d.validateObject(s, x, at)
	case []any:
		for i, item := range x {
			problems = append(problems, d.validate(s["items"], item, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case string:
		problems = validateString(s, x, at)
	case float64:
		if min, ok := s["minimum"].(float64); ok && x < min {
			problems = append(problems, fmt.Sprintf("%s: %v is below the minimum %v", at, x, min))
		}
		if max, ok := s["maximum"].(float64); ok && x > max {
			problems = append(problems, fmt.Sprintf("%s: %v is above the maximum %v", at, x, max))
		}
	}
	return problems
}

// validateObject checks required, documented and undocumented properties.
func (d *Doc) validateObject(s map[string]any, x map[string]any, at string) []string {
	var problems []string
	props, _ := s["properties"].(map[string]any)
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if _, ok := x[r.(string)]; !ok {
				problems = append(problems, fmt.Sprintf("%s: required property %q is missing", at, r))
			}
		}
	}
	keys := make([]string, 0, len(x))
	for k := range x {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if ps, ok := props[k]; ok {
			problems = append(problems, d.validate(ps, x[k], at+"."+k)...)
			continue
		}
		switch extra := s["additionalProperties"].(type) {
		case bool:
			if !extra {
				problems = append(problems, fmt.Sprintf("%s: property %q is not documented", at, k))
			}
		case map[string]any:
			problems = append(problems, d.validate(extra, x[k], at+"."+k)...)
		}
	}
	return problems
}

func validateString(s map[string]any, x, at string) []string {
	var problems []string
	n := float64(utf8.RuneCountInString(x))
	if min, ok := s["minLength"].(float64); ok && n < min {
		problems = append(problems, fmt.Sprintf("%s: %q is shorter than %v", at, x, min))
	}
	if max, ok := s["maxLength"].(float64); ok && n > max {
		problems = append(problems, fmt.Sprintf("%s: a string of %v characters is longer than %v", at, n, max))
	}
	switch s["format"] {
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %q is not a date-time", at, x))
		}
	case "uri":
		if u, err := url.Parse(x); err != nil || !u.IsAbs() {
			problems = append(problems, fmt.Sprintf("%s: %q is not an absolute URI", at, x))
		}
	}
	return problems
}

// hasType reports whether v is of the schema type t (a name or a list).
func hasType(t any, v any) bool {
	switch t := t.(type) {
	case string:
		k := kind(v)
		return k == t || t == "number" && k == "integer"
	case []any:
		for _, one := range t {
			if hasType(one, v) {
				return true
			}
		}
	}
	return false
}

// kind is the JSON Schema type of a decoded value.
func kind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
