package schema

import (
	"testing"
	"testing/fstest"
)

func TestLoadChecksNumbering(t *testing.T) {
	for name, files := range map[string][]string{
		"gap":        {"0001_init.sql", "0003_more.sql"},
		"duplicate":  {"0001_init.sql", "0001_again.sql"},
		"unnumbered": {"0001_init.sql", "more.sql"},
		"zero":       {"0000_init.sql"},
	} {
		fsys := fstest.MapFS{}
		for _, f := range files {
			fsys["m/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
		}
		if _, err := Load(fsys, "m"); err == nil {
			t.Errorf("%s: Load(%v) = nil error", name, files)
		}
	}
	ms, err := Load(fstest.MapFS{
		"m/0002_b.sql": {Data: []byte("B")}, "m/0001_a.sql": {Data: []byte("A")}, "m/README": {Data: []byte("x")},
	}, "m")
	if err != nil || len(ms) != 2 || ms[0].SQL != "A" || ms[1].Name != "0002_b.sql" {
		t.Errorf("Load = %+v, %v", ms, err)
	}
}
