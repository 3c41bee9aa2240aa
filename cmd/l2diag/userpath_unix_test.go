//go:build unix

package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cliWithin runs the CLI in-process and fails the test instead of hanging
// when the command does not return.
func cliWithin(t *testing.T, d time.Duration, args ...string) cliResult {
	t.Helper()
	done := make(chan cliResult, 1)
	go func() {
		var out, errOut bytes.Buffer
		ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
		code := Main(args, ios)
		done <- cliResult{code: code, stdout: out.String(), stderr: errOut.String()}
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(d):
		t.Fatalf("l2diag %s still running after %s", strings.Join(args, " "), d)
		return cliResult{}
	}
}

// TestUserPathsRegularOnly: every path a user gives (profile, ticket
// config, CA file, token file, bundles) is refused fast with exit 64 naming
// the path when it is a FIFO, a device or a directory — never read forever
// or waited on.
func TestUserPathsRegularOnly(t *testing.T) {
	env := newTicketEnv(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	good := writeTestBundle(t, dir, "good.zip", nil)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		bad  string // the path the error must name
		want string
	}{
		{name: "profile fifo", args: []string{"run", "--profile", fifo}, bad: fifo, want: "FIFO"},
		{name: "profile device", args: []string{"run", "--profile", "/dev/zero"}, bad: "/dev/zero", want: "device"},
		{name: "profile directory", args: []string{"run", "--profile", dir + "/"}, bad: dir, want: "directory"},
		{name: "profile show fifo", args: []string{"profile", "show", fifo}, bad: fifo, want: "FIFO"},
		{name: "ticket config device", env: map[string]string{"L2DIAG_TICKET_CONFIG": "/dev/zero"},
			args: []string{"ticket", "check", "SUP-1"}, bad: "/dev/zero", want: "device"},
		{name: "ticket config fifo", env: map[string]string{"L2DIAG_TICKET_CONFIG": fifo},
			args: []string{"ticket", "check", "SUP-1"}, bad: fifo, want: "FIFO"},
		{name: "ca file device", env: map[string]string{"L2DIAG_JIRA_URL": "https://127.0.0.1:1", "L2DIAG_JIRA_TOKEN": "tok-secret-7"},
			args: []string{"ticket", "check", "SUP-1", "--ca-file", "/dev/zero"}, bad: "/dev/zero", want: "device"},
		{name: "token file fifo", env: map[string]string{"L2DIAG_JIRA_URL": "https://127.0.0.1:1", "L2DIAG_JIRA_TOKEN_FILE": fifo},
			args: []string{"ticket", "check", "SUP-1"}, bad: fifo, want: "FIFO"},
		{name: "bundle show fifo", args: []string{"bundle", "show", fifo}, bad: fifo, want: "FIFO"},
		{name: "bundle verify device", args: []string{"bundle", "verify", "/dev/zero"}, bad: "/dev/zero", want: "device"},
		{name: "bundle diff fifo", args: []string{"bundle", "diff", good, fifo}, bad: fifo, want: "FIFO"},
		{name: "bundle diff directory", args: []string{"bundle", "diff", dir, good}, bad: dir, want: "directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			t.Chdir(t.TempDir())
			r := cliWithin(t, 20*time.Second, tc.args...)
			if r.code != ExitUsage {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, ExitUsage, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.bad) || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr does not name %s and say %q:\n%s", tc.bad, tc.want, r.stderr)
			}
			if q := env.queued(t); len(q) != 0 {
				t.Errorf("bad input queued %d entries", len(q))
			}
		})
	}
}

// TestRunWithBadTicketConfigFinishes: a plain run reads the ticket config
// only to learn which secrets to scrub; an endless or blocking config must
// not keep it from finishing and writing its bundle.
func TestRunWithBadTicketConfigFinishes(t *testing.T) {
	newTicketEnv(t)
	fifo := filepath.Join(t.TempDir(), "tickets.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []string{"/dev/zero", fifo} {
		t.Run(filepath.Base(cfg), func(t *testing.T) {
			t.Setenv("L2DIAG_TICKET_CONFIG", cfg)
			cwd := t.TempDir()
			t.Chdir(cwd)
			r := cliWithin(t, 60*time.Second, "run", "--only", "perm", "--timeout", "20s")
			if r.code == ExitUsage || r.code == ExitCantCreate {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if m, _ := filepath.Glob(filepath.Join(cwd, "l2diag-*.zip")); len(m) != 1 {
				t.Errorf("bundles written: %v\n%s", m, r.stderr)
			}
		})
	}
}
