package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRunTicketDryRunKeepsStdoutPure: with --ticket-dry-run the plan goes to
// stderr, so `run --output json` still prints nothing but the report.
func TestRunTicketDryRunKeepsStdoutPure(t *testing.T) {
	env := newTicketEnv(t)
	t.Setenv("L2DIAG_TICKET_DIR", filepath.Join(env.home, "tickets"))
	// host and perm only: never the host's network (see TestRunJSONValidatesAndIsPure).
	got := runCLI(t, "run", "--only", "host,perm", "--output", "json", "--timeout", "20s",
		"--bundle", t.TempDir(), "--ticket", "SUP-9", "--ticket-dry-run")
	if got.code == ExitUsage || got.code == ExitInterrupted {
		t.Fatalf("exit %d: %s", got.code, got.stderr)
	}
	validateReport(t, []byte(got.stdout))
	if !strings.Contains(got.stderr, "dry run: dir at ") || !strings.Contains(got.stderr, "nothing is sent") {
		t.Errorf("stderr lacks the plan:\n%s", got.stderr)
	}
}
