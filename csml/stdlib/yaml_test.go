package stdlib

import (
	"strings"
	"testing"

	"switchboard/csml/interp"
)

// TestYAMLAnchorsAliasesTags: to_json() reads anchors, aliases and tags,
// and keeps serde_yaml's scalars (yes stays a string, keys are strings).
func TestYAMLAnchorsAliasesTags(t *testing.T) {
	for src, want := range map[string]string{
		"base: &b {host: db, port: 5432}\ncopy: *b\n":                   `{"base":{"host":"db","port":5432},"copy":{"host":"db","port":5432}}`,
		"- &x 1\n- *x\n- &s [a, yes]\n- *s\n":                           `[1,1,["a","yes"],["a","yes"]]`,
		"a: !!str 12\nb: !!int \"7\"\nc: !!float 1\nd: !!bool 'true'\n": `{"a":"12","b":7,"c":1.0,"d":true}`,
		"e: !!null x\nf: !custom 3\ng: !custom \"3\"\n":                 `{"e":null,"f":3,"g":"3"}`,
		"defaults: &d {x: 1}\nitem:\n  <<: *d\n  y: 2\n":                `{"defaults":{"x":1},"item":{"<<":{"x":1},"y":2}}`,
		"1: one\ntrue: yes\n~: n\n":                                     `{"1":"one","true":"yes","Null":"n"}`,
		"text: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n":       `{"text":"line one\nline two\n","folded":"a b"}`,
		"--- \n{\"json\": [1, 2.5, null, \"s\"]}\n...\n":                `{"json":[1,2.5,null,"s"]}`,
		"": `null`,
	} {
		v, _, err := readYAML(src)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if got := string(interp.JSON(v)); got != want {
			t.Errorf("%q: %s, want %s", src, got, want)
		}
	}
	for src, want := range map[string]string{
		"a: 1\n---\nb: 2\n": "more than one document",
		"a: *nowhere\n":     "unknown anchor",
		"a: !!int x\n":      `"x" is not a valid !!int`,
		"? [a]\n: 1\n":      "a key must be a scalar",
		"{ broken":          "invalid YAML",
		strings.Repeat("[", 300) + strings.Repeat("]", 300): "invalid YAML",
	} {
		if _, _, err := readYAML(src); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}
