//go:build unix

package kb

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A file that blocks when read (a FIFO with no writer, like a share that
// stopped answering) must not hold the run: the load gives up at its
// deadline and says so.
func TestLoadGivesUpAtDeadline(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "KB-HANG.md"), 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	b := Load(ctx, []string{dir})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("load took %s past a 200ms deadline", d)
	}
	if len(b.Problems) != 1 || !strings.Contains(b.Problems[0].Msg, "took too long") {
		t.Errorf("problems: got %v", b.Problems)
	}
}
