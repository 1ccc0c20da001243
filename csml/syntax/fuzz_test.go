package syntax

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that the parser never panics and reports positions inside
// the source.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../testdata/flows/*.csml")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("start:\n  say \"{{ {\\\"a\\\": [1, -2.5]} }}\" as x\n  goto $x.y@z in bot\n")
	f.Fuzz(func(t *testing.T, src string) {
		_, errs := Parse("f", src)
		for _, e := range errs {
			if e.Pos.Offset < 0 || e.Pos.Offset > len(src) || e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Fatalf("bad position %+v for %q", e.Pos, src)
			}
			_ = Excerpt(src, e.Pos)
		}
	})
}
