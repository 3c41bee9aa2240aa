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

// A FIFO dropped into the KB folder is refused at once, not waited on.
func TestLoadRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "KB-HANG.md"), 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), LoadTimeout)
	defer cancel()
	b := Load(ctx, []string{dir})
	if len(b.Problems) != 1 || !strings.Contains(b.Problems[0].Msg, "FIFO") {
		t.Errorf("problems: got %v", b.Problems)
	}
}

// A share that stops answering mid-read must not hold the run: the load
// gives up at its deadline, keeps nothing half-read and says so.
func TestLoadGivesUpAtDeadline(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	hang := func(string) ([]byte, error) { <-release; return nil, context.Canceled }

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	b := loadBounded(ctx, []string{"testdata/kb"}, hang)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("load took %s past a 200ms deadline", d)
	}
	if len(b.Problems) != 1 || !strings.Contains(b.Problems[0].Msg, "took too long") || len(b.Entries) != 0 {
		t.Errorf("got %d entries, problems %v", len(b.Entries), b.Problems)
	}
}
