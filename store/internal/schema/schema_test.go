package schema

import (
	"context"
	"errors"
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

func TestApplyRunsStepsUntilDone(t *testing.T) {
	calls := 0
	step := func(context.Context) (bool, error) { calls++; return calls == 3, nil }
	if err := Apply(t.Context(), nil, step); err != nil || calls != 3 {
		t.Errorf("Apply = %v after %d steps, want nil after 3", err, calls)
	}
	broken := errors.New("step 2 failed")
	calls = 0
	step = func(context.Context) (bool, error) {
		calls++
		if calls == 2 {
			return false, broken
		}
		return false, nil
	}
	if err := Apply(t.Context(), nil, step); !errors.Is(err, broken) || calls != 2 {
		t.Errorf("Apply = %v after %d steps, want the second step's error", err, calls)
	}
	calls = 0
	bad := errors.New("migrations do not load")
	if err := Apply(t.Context(), bad, step); !errors.Is(err, bad) || calls != 0 {
		t.Errorf("Apply with a load error = %v after %d steps, want that error and no step", err, calls)
	}
}
