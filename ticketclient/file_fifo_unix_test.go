//go:build unix

package ticketclient

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/l2diag/l2diag/internal/userfile"
)

// TestFileSwappedForFIFO: a bundle replaced by a FIFO between OpenFile and
// an upload attempt (or the hash) is refused at once, not waited on.
func TestFileSwappedForFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "b.zip")
	if err := os.WriteFile(p, []byte("PK bundle"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 2)
	go func() { _, err := f.Body(); done <- err }()
	go func() { _, err := f.SHA256(); done <- err }()
	for range 2 {
		select {
		case err := <-done:
			if !errors.Is(err, userfile.ErrNotRegular) {
				t.Errorf("err = %v, want a refusal of the FIFO", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("still waiting on the FIFO after 5s")
		}
	}
}
