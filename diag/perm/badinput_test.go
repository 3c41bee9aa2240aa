//go:build linux

package permcheck_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestBadInput: invalid modes and a bad perm profile are usage errors
// (exit 64) found before anything runs, so the binary may run on the host.
func TestBadInput(t *testing.T) {
	bin := lab.Binary(t)
	dir := t.TempDir()
	badProfile := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badProfile, []byte("name: x\nperm:\n  paths: [rwz=/srv]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"unknown mode letter", []string{"--path", "rq=/etc/hosts"}, `'q' is not one of r, w, x`},
		{"empty modes", []string{"--path", "=/etc/hosts"}, "empty access modes"},
		{"nothing after =", []string{"--path", "rw="}, "no path after '='"},
		{"empty path", []string{"--path", ""}, "empty path"},
		{"bad profile path", []string{"--profile", badProfile}, "perm.paths[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "--only", "perm", "--no-bundle"}, tt.args...)
			cmd := exec.Command(bin, args...)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 64 {
				t.Fatalf("exit = %v, want 64\n%s", err, out)
			}
			if !strings.Contains(string(out), tt.wantErr) {
				t.Errorf("output %q lacks %q", out, tt.wantErr)
			}
		})
	}
}
