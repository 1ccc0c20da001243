package csml

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsPointInward keeps the language packages free of anything but
// the standard library and switchboard/csml/..., and syntax free of the
// interpreter. The production HTTP hook (httphost) also uses the outbound
// address policy it shares with the Chat API's callbacks.
func TestImportsPointInward(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			inModule := strings.HasPrefix(p, "switchboard/")
			switch {
			case strings.HasPrefix(path, "httphost") && p == "switchboard/internal/netpolicy":
			case inModule && !strings.HasPrefix(p, "switchboard/csml"):
				t.Errorf("%s imports %s", path, p)
			case !inModule && strings.Contains(strings.Split(p, "/")[0], "."):
				t.Errorf("%s imports %s, outside the standard library", path, p)
			case strings.HasPrefix(path, "syntax") && inModule:
				t.Errorf("%s (syntax) imports %s", path, p)
			case strings.HasPrefix(path, "interp") && inModule && p != "switchboard/csml/syntax":
				t.Errorf("%s (interp) imports %s", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
