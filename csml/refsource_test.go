package csml

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A refSource is a public repository the tests read without keeping a copy
// of it in switchboard: a work tree, or a bare git directory read with
// `git show`. The tests that use one skip when it is absent.
type refSource struct {
	dir string
	git bool
}

// openSource finds the repository named by the environment variable env,
// else the local mirror def (relative to this package, as the development
// machines keep them); ok is false when neither exists.
func openSource(env, def string) (refSource, bool) {
	dir := os.Getenv(env)
	if dir == "" {
		dir = def
	}
	if dir == "" {
		return refSource{}, false
	}
	if st, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil && !st.IsDir() {
		if _, err := exec.LookPath("git"); err != nil {
			return refSource{}, false
		}
		return refSource{dir: dir, git: true}, true
	}
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return refSource{dir: dir}, true
	}
	return refSource{}, false
}

// files lists the repository's files whose path has one of the suffixes.
func (s refSource) files(t *testing.T, suffixes ...string) []string {
	t.Helper()
	var all []string
	if s.git {
		out, err := exec.Command("git", "-C", s.dir, "ls-tree", "-r", "HEAD", "--name-only").Output()
		if err != nil {
			t.Fatalf("list %s: %v", s.dir, err)
		}
		all = strings.Split(strings.TrimSpace(string(out)), "\n")
	} else {
		err := filepath.WalkDir(s.dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(s.dir, p)
			all = append(all, filepath.ToSlash(rel))
			return nil
		})
		if err != nil {
			t.Fatalf("list %s: %v", s.dir, err)
		}
	}
	var out []string
	for _, f := range all {
		for _, suf := range suffixes {
			if strings.HasSuffix(f, suf) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// read returns one file of the repository.
func (s refSource) read(path string) ([]byte, error) {
	if !s.git {
		return os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(path)))
	}
	var stderr bytes.Buffer
	cmd := exec.Command("git", "-C", s.dir, "show", "HEAD:"+path)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git show %s: %v: %s", path, err, stderr.String())
	}
	return out, nil
}
