package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/ticketclient/fake"
)

// TestDryRunsSendNothing holds every --dry-run to its word: exit 0, the
// plan on stdout, no request to the server, the outbox untouched.
func TestDryRunsSendNothing(t *testing.T) {
	env := newTicketEnv(t)
	f := fake.NewJira(t, true)
	env.jira(t, f)
	down := true
	f.Fault = func(w http.ResponseWriter, r *http.Request, op string) bool {
		if down {
			w.WriteHeader(503)
			return true
		}
		return false
	}
	path := bundleFile(t, "l2diag-pc042.zip", 3_000)
	if r := cli(t, []string{f.Token}, "ticket", "attach", "SUP-123", path, "--ca-file", env.ca); r.code != 69 {
		t.Fatalf("attach while down: exit %d, want 69\n%s", r.code, r.stderr)
	}
	down = false
	before := len(f.Requests())

	for _, tc := range []struct {
		name   string
		args   []string
		stdout string
	}{
		{"outbox flush", []string{"ticket", "outbox", "flush", "--dry-run", "--ca-file", env.ca}, "/attachments"},
		{"check", []string{"ticket", "check", "SUP-123", "--dry-run", "--ca-file", env.ca}, "server was not contacted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cli(t, []string{f.Token}, tc.args...)
			if r.code != 0 {
				t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, r.stdout)
			}
			if got := f.Requests()[before:]; len(got) != 0 {
				t.Errorf("a dry run sent %v", got)
			}
			if q := env.queued(t); len(q) != 1 {
				t.Errorf("outbox holds %d entries after the dry run, want 1", len(q))
			}
		})
	}
}
