//go:build linux

package wintier

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// winPath is a host path as wine's Windows programs see it (drive Z: is /).
func winPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// TestKnowledgeBaseOnWindows: L2DIAG_KB is a ;-separated list of Windows
// paths, entries saved by Windows editors (CRLF, a byte-order mark) load,
// and kb check fails a malformed entry with exit 2.
func TestKnowledgeBaseOnWindows(t *testing.T) {
	lab.RequireWine(t)
	t.Parallel()
	w := lab.New(t).Namespace("kb").NewWine()
	exe := lab.WineExe(t, false)
	a, b := t.TempDir(), t.TempDir()
	write := func(dir, name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(a, "KB-WIN-001.md", "---\nid: KB-WIN-001\ntitle: Proxy auth prompt loops\nmatch: {causes: [cause.proxy-auth], os: [windows]}\n---\nClear the credential manager entry.\n")
	write(b, "KB-WIN-002.md", "\xef\xbb\xbf---\r\nid: KB-WIN-002\r\ntitle: Saved in Notepad\r\nmatch:\r\n  causes: [cause.dns-wrong-answer]\r\n---\r\nipconfig /flushdns\r\n")

	env := []string{"L2DIAG_KB=" + winPath(a) + ";" + winPath(b)}
	r := w.Run(env, "", exe, "kb", "list")
	if r.ExitCode != 0 || !strings.Contains(r.Stdout, "KB-WIN-001") || !strings.Contains(r.Stdout, "KB-WIN-002") {
		t.Fatalf("kb list: exit %d\n%s\n%s", r.ExitCode, r.Stdout, r.Stderr)
	}
	r = w.Run(nil, "", exe, "kb", "check", winPath(b))
	if r.ExitCode != 0 || !strings.Contains(r.Stdout, "1 entries usable, 0 errors") {
		t.Errorf("kb check: exit %d\n%s\n%s", r.ExitCode, r.Stdout, r.Stderr)
	}
	write(b, "broken.md", "---\r\nid: KB-WIN-003\r\n")
	r = w.Run(nil, "", exe, "kb", "check", winPath(b))
	if r.ExitCode != 2 || !strings.Contains(r.Stdout, "broken.md") || !strings.Contains(r.Stdout, "not closed") {
		t.Errorf("kb check of a broken entry: exit %d, want 2\n%s\n%s", r.ExitCode, r.Stdout, r.Stderr)
	}
}
