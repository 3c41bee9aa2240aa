//go:build unix

package userfile

import (
	"path/filepath"
	"syscall"
	"testing"
)

// MakeFIFO creates a named pipe in dir that no one writes to.
func MakeFIFO(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
