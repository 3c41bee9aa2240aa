package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfileSkipNamesRealChecks holds a profile's skip list to what --skip
// accepts: a misspelt check ID is a usage error naming file, line and entry,
// not a skip that silently does nothing.
func TestProfileSkipNamesRealChecks(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.yaml")
	if err := os.WriteFile(typo, []byte("name: mine\nskip: [host-cpu, host-cpus]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("name: mine\nskip: [host-cpu]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"show, typo", []string{"profile", "show", typo}, 64, `typo.yaml:2: skip[1]: unknown check ID "host-cpus"`},
		{"run, typo", []string{"run", "--profile", typo}, 64, `typo.yaml:2: skip[1]: unknown check ID "host-cpus"`},
		{"show, real ID", []string{"profile", "show", good}, 0, ""},
		{"show, built-in", []string{"profile", "show"}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.wantCode, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tc.want)
			}
		})
	}
}
