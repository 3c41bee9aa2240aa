package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report/redact"
	"github.com/l2diag/l2diag/ticketclient/fake"
)

// TestEveryOutputIsFiltered plants secrets (an environment token, a URL
// style api_key= and the ticket token) in a run's targets, gives the
// machine a host name of its own (a UTS namespace) and runs `-v run
// --redact --ticket` in each stdout format against the Jira fake: stdout,
// the -v log, the posted comment and the outbox note carry none of them.
// Before, the comment and the note were built from the raw report and
// stdout was never redacted.
func TestEveryOutputIsFiltered(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root for a UTS namespace with its own host name")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare (util-linux) not installed")
	}
	const host = "ws-planted-042"
	const envSecret = "plantedEnvSecret123"
	const urlKey = "plantedUrlKey77"
	f := fake.NewJira(t, true)
	var commentDown atomic.Bool
	f.Fault = func(w http.ResponseWriter, r *http.Request, op string) bool {
		if op == "comment" && commentDown.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	}
	ca := writeCA(t, f.Server.Certificate().Raw)
	dir := t.TempDir()
	home, outbox := filepath.Join(dir, "home"), filepath.Join(dir, "outbox")
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"L2DIAG_OUTBOX=" + outbox, "L2DIAG_JIRA_URL=" + f.Server.URL, "L2DIAG_JIRA_USER=" + f.User,
		"L2DIAG_JIRA_TOKEN=" + f.Token, "MY_SERVICE_TOKEN=" + envSecret}
	secrets := []string{host, envSecret, urlKey, f.Token}
	leaks := func(t *testing.T, where, s string) {
		t.Helper()
		for _, v := range secrets {
			if strings.Contains(s, v) {
				t.Errorf("%s carries %q:\n%s", where, v, s)
			}
		}
	}
	run := func(t *testing.T, format string) cliResult {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		args := []string{"--uts", "sh", "-c", "hostname " + host + " && exec \"$@\"", "sh", l2diagBinary(t),
			"-v", "run", "--only", "perm", "--skip", "perm-sudo", "--output", format,
			"--path", "r=" + filepath.Join(dir, "api_key="+urlKey), "--path", "r=" + filepath.Join(dir, envSecret),
			"--redact", "--bundle", filepath.Join(dir, format+".zip"), "--ticket", "SUP-123", "--ca-file", ca}
		cmd := exec.CommandContext(ctx, "unshare", args...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		r := cliResult{stdout: out.String(), stderr: errOut.String()}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			r.code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("run: %v", err)
		}
		if r.code == ExitUsage {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		return r
	}
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			before := len(f.Issue("SUP-123").Comments)
			r := run(t, format)
			leaks(t, "stdout", r.stdout)
			leaks(t, "stderr (the -v log)", r.stderr)
			if !strings.Contains(r.stdout, "api_key=") || !strings.Contains(r.stdout, redact.Mask) {
				t.Errorf("the test is void: the planted path is not in stdout:\n%s", r.stdout)
			}
			if !strings.Contains(r.stderr, "run starting") {
				t.Errorf("the test is void: no -v log on stderr:\n%s", r.stderr)
			}
			comments := f.Issue("SUP-123").Comments
			if len(comments) != before+1 {
				t.Fatalf("comments %d, want %d\n%s", len(comments), before+1, r.stderr)
			}
			c := string(comments[len(comments)-1])
			leaks(t, "the comment", c)
			if !strings.Contains(c, "api_key=") {
				t.Errorf("the test is void: the comment does not list the planted path:\n%s", c)
			}
		})
	}
	t.Run("outbox note", func(t *testing.T) {
		commentDown.Store(true)
		defer commentDown.Store(false)
		r := run(t, "text")
		if r.code != ExitUnavailable {
			t.Fatalf("exit %d, want %d (comment refused, delivery queued)\n%s", r.code, ExitUnavailable, r.stderr)
		}
		entries, _ := filepath.Glob(filepath.Join(outbox, "*", "entry.json"))
		if len(entries) != 1 {
			t.Fatalf("outbox entries %v", entries)
		}
		data, err := os.ReadFile(entries[0])
		if err != nil {
			t.Fatal(err)
		}
		leaks(t, "the outbox entry", string(data))
		if !strings.Contains(string(data), "api_key=") {
			t.Errorf("the test is void: the queued note does not list the planted path:\n%s", data)
		}
	})
}
