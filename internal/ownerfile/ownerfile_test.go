package ownerfile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/internal/loosefolder"
	"switchboard/internal/ownerfile"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func TestWriteIsOwnerOnlyWhateverWasThere(t *testing.T) {
	path := filepath.Join(loosefolder.New(t), "admin.token")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ownerfile.Write(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("mode %v, want -rw-------", m)
	}
	if data, _ := os.ReadFile(path); string(data) != "new" {
		t.Errorf("content %q, want new", data)
	}
}

func TestCheckRefusesWhatOthersCanRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo-agent.json")
	if err := ownerfile.Check(path); err != nil {
		t.Errorf("a missing file: %v, want nil", err)
	}
	if err := os.WriteFile(path, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := ownerfile.Check(path); err != nil {
		t.Errorf("0600: %v, want nil", err)
	}
	for _, m := range []os.FileMode{0o644, 0o640, 0o606} {
		if err := os.Chmod(path, m); err != nil {
			t.Fatal(err)
		}
		err := ownerfile.Check(path)
		if err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %v: %v, want an error saying chmod 600", m, err)
		}
	}
}

func TestRestrictAndCreate(t *testing.T) {
	dir := loosefolder.New(t)
	path := filepath.Join(dir, "switchboard.db")
	if err := ownerfile.Create(path); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("created: mode %v, want -rw-------", m)
	}
	if err := os.WriteFile(path, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ownerfile.Create(path); err != nil { // exists: left as it is
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "data" {
		t.Errorf("Create emptied an existing file: %q", data)
	}
	if err := ownerfile.Restrict(path); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("restricted: mode %v, want -rw-------", m)
	}
	if err := ownerfile.Restrict(filepath.Join(dir, "missing")); err != nil {
		t.Errorf("Restrict of a missing file: %v", err)
	}
}
