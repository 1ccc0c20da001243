package stdlib

import (
	"testing"
	"time"

	"switchboard/csml/interp"
)

// FuzzReaders feeds arbitrary text to the library's own parsers and
// writers (YAML, XML, dates, URIs): none may panic, and what YAML reads
// must write back.
func FuzzReaders(f *testing.F) {
	for _, s := range []string{
		"a: 1\nb:\n  - x\n  - y: [1, {c: d}]\n", "--- |\n  text\n", "<a x=\"1\"><b>2</b><b>3</b></a>",
		"%Y-%m-%d %H:%M:%S%.3f %z", "https://x.io/?a=b,c&d#e=f g", "{\"a\": [1, 2.5, null]}",
	} {
		f.Add(s, "%Y %m %d")
	}
	f.Fuzz(func(t *testing.T, s, layout string) {
		if v, _, err := readYAML(s); err == nil {
			_ = toYAML(v)
		}
		if v, err := readXML(s); err == nil {
			_, _ = toXML(v)
		}
		if f, ok := strptime(s, layout); ok {
			_, _ = f.date()
		}
		_ = strftime(time.Unix(1e9, 0).UTC(), layout)
		_ = encodeURI(s)
		_ = decodeURI(s)
		_ = toYAML(interp.StringValue(s))
	})
}
