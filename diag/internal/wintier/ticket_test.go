//go:build linux

package wintier

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestDirTicketClient: the Windows exe delivers the bundle and a note to
// the dir ticket system (a folder, e.g. a mounted share), with a Windows
// path in L2DIAG_TICKET_DIR.
func TestDirTicketClient(t *testing.T) {
	tr := newTier(t)
	drop := filepath.Join(tr.dir, "helpdesk drop")
	if err := os.MkdirAll(drop, 0o755); err != nil {
		t.Fatal(err)
	}
	winDrop := `Z:` + strings.ReplaceAll(drop, "/", `\`)
	res := tr.wine.Run([]string{"L2DIAG_TICKET_DIR=" + winDrop}, "", lab.WineExe(t, true), "run",
		"--profile", filepath.Join(tr.dir, "wintier.yaml"), "--only", "dns", "--dns-name", "intra.example",
		"--bundle", tr.dir, "--ticket", "SUP-123", "--ticket-system", "dir")
	if res.ExitCode > 3 {
		t.Fatalf("exit %d\n%s", res.ExitCode, res.Stderr)
	}
	zips, _ := filepath.Glob(filepath.Join(drop, "SUP-123", "*.zip"))
	notes, err := os.ReadFile(filepath.Join(drop, "SUP-123", "notes.txt"))
	if len(zips) != 1 || err != nil || !strings.Contains(string(notes), "l2diag") {
		t.Errorf("dir ticket: bundles %v, notes %q (%v)\nstderr:\n%s", zips, notes, err, res.Stderr)
	}
}
