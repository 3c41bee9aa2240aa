//go:build linux

package wintier

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestConsoleOutput: redirected output of the Windows exe is either UTF-8
// because the console's code page is UTF-8, or plain ASCII with word
// marks; L2DIAG_ASCII=1 forces the latter.
func TestConsoleOutput(t *testing.T) {
	tr := newTier(t)
	exe := lab.WineExe(t, true)
	args := []string{exe, "run", "--profile", filepath.Join(tr.dir, "wintier.yaml"), "--no-bundle", "--only", "dns", "--dns-name", "intra.example"}
	def := tr.wine.Run(nil, "", args...)
	if !utf8.ValidString(def.Stdout) {
		t.Errorf("default output is neither ASCII nor UTF-8:\n%q", def.Stdout)
	}
	t.Logf("default (redirected) output starts: %q", def.Stdout[:min(len(def.Stdout), 120)])
	forced := tr.wine.Run([]string{"L2DIAG_ASCII=1"}, "", args...)
	if i := strings.IndexFunc(forced.Stdout, func(r rune) bool { return r > 0x7e }); i >= 0 {
		t.Errorf("L2DIAG_ASCII=1 output has non-ASCII text at %d:\n%s", i, forced.Stdout)
	}
	if !strings.Contains(forced.Stdout, "[ok] dns-config") {
		t.Errorf("L2DIAG_ASCII=1 output lacks the word marks:\n%s", forced.Stdout)
	}
}
