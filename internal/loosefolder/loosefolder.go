// Package loosefolder gives tests of file modes the setting the files of
// switchboard must hold against: a data folder others may read (0755) and
// the usual umask (022), under which files created with the default mode
// are readable by everyone.
package loosefolder

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// New sets the umask to 022 until t ends and returns a new folder with mode
// 0755.
func New(t testing.TB) string {
	t.Helper()
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
