package main

import (
	"bytes"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
)

// ticketEnv isolates config, outbox and home, and points Jira or
// ServiceNow at a fake. It returns the outbox folder.
type ticketEnv struct {
	outbox string
	ca     string
	home   string
}

func newTicketEnv(t *testing.T) *ticketEnv {
	t.Helper()
	e := &ticketEnv{outbox: filepath.Join(t.TempDir(), "outbox"), home: t.TempDir()}
	t.Setenv("HOME", e.home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(e.home, ".config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(e.home, ".cache"))
	t.Setenv("L2DIAG_OUTBOX", e.outbox)
	for _, v := range []string{"L2DIAG_TICKET_CONFIG", "L2DIAG_TICKET_SYSTEM", "L2DIAG_JIRA_URL", "L2DIAG_JIRA_USER", "L2DIAG_JIRA_TOKEN",
		"L2DIAG_JIRA_TOKEN_FILE", "L2DIAG_SERVICENOW_URL", "L2DIAG_SERVICENOW_USER", "L2DIAG_SERVICENOW_PASSWORD",
		"L2DIAG_SERVICENOW_TOKEN", "L2DIAG_SERVICENOW_CLIENT_ID", "L2DIAG_SERVICENOW_CLIENT_SECRET", "L2DIAG_TICKET_DIR",
		"L2DIAG_TICKET_CLIENT_CERT", "L2DIAG_TICKET_CLIENT_KEY", "HTTPS_PROXY", "https_proxy"} {
		t.Setenv(v, "")
	}
	return e
}

func writeCA(t *testing.T, der []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *ticketEnv) jira(t *testing.T, f *fake.Jira) {
	t.Helper()
	t.Setenv("L2DIAG_JIRA_URL", f.Server.URL)
	t.Setenv("L2DIAG_JIRA_USER", f.User)
	t.Setenv("L2DIAG_JIRA_TOKEN", f.Token)
	e.ca = writeCA(t, f.Server.Certificate().Raw)
}

func (e *ticketEnv) queued(t *testing.T) []*ticketclient.Entry {
	t.Helper()
	list, err := (&ticketclient.Outbox{Dir: e.outbox}).List()
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// cli runs the CLI in-process as through a pipe and checks that no secret
// reaches any output.
func cli(t *testing.T, secrets []string, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	code := Main(args, ios)
	r := cliResult{code: code, stdout: out.String(), stderr: errOut.String()}
	for _, s := range secrets {
		if s != "" && (strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s)) {
			t.Errorf("secret %q appears in the output:\n%s\n%s", s, r.stdout, r.stderr)
		}
	}
	return r
}

func bundleFile(t *testing.T, name string, size int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, bytes.Repeat([]byte("PK l2diag "), size/10+1)[:size], 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func validatorOrNil(t *testing.T) *fake.Validator {
	v, err := fake.LoadValidator()
	if err != nil {
		t.Logf("OpenAPI validation off: %v", err)
		return nil
	}
	return v
}

func sleepFault(op string, d time.Duration) func(http.ResponseWriter, *http.Request, string) bool {
	return func(w http.ResponseWriter, r *http.Request, got string) bool {
		if got != op {
			return false
		}
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			// A slow server never answers: abort without the empty 200
			// net/http would otherwise send on a connection the server
			// only believes closed (seen under load).
			panic(http.ErrAbortHandler)
		}
		return true
	}
}

func statusFault(op string, times int, code int, header map[string]string, body string) func(http.ResponseWriter, *http.Request, string) bool {
	n := 0
	return func(w http.ResponseWriter, r *http.Request, got string) bool {
		if got != op || (times >= 0 && n >= times) {
			return false
		}
		n++
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
		return true
	}
}

// TestTicketAttachFaults drives `ticket attach` against the Jira fake
// through every fault the issue names: exit code, message, outbox, and
// that nothing is duplicated.
func TestTicketAttachFaults(t *testing.T) {
	v := validatorOrNil(t)
	tests := []struct {
		name      string
		setup     func(f *fake.Jira)
		file      string
		size      int
		key       string
		token     string // overrides the right token
		extra     []string
		wantCode  int
		wantErr   []string
		wantQueue int
		wantAtt   int
	}{
		{name: "ok", wantCode: 0, wantAtt: 1},
		{name: "429 with Retry-After then ok", setup: func(f *fake.Jira) {
			f.Fault = statusFault("attach", 1, 429, map[string]string{"Retry-After": "1", "Content-Type": "application/json"}, `{"errorMessages":["Rate limit exceeded."]}`)
		}, wantCode: 0, wantAtt: 1},
		{name: "503 until the end", setup: func(f *fake.Jira) {
			f.Fault = statusFault("attach", -1, 503, map[string]string{"Retry-After": "0"}, "<html><title>Service Unavailable</title></html>")
		}, wantCode: 69, wantErr: []string{"503", "Service Unavailable", "outbox", "l2diag ticket outbox flush"}, wantQueue: 1},
		{name: "connection reset mid-upload once", setup: func(f *fake.Jira) { f.ResetUploads, f.ResetUploadsAfter = 1, 50_000 },
			size: 400_000, wantCode: 0, wantAtt: 1},
		{name: "stored but answer lost", setup: func(f *fake.Jira) { f.DropAttachResponses = 1 }, wantCode: 0, wantAtt: 1},
		{name: "401 wrong token", token: "wrong-token-789", wantCode: 77,
			wantErr: []string{"401", "L2DIAG_JIRA_TOKEN", "outbox"}, wantQueue: 1},
		{name: "403 no permission", setup: func(f *fake.Jira) {
			f.Fault = statusFault("attach", -1, 403, map[string]string{"Content-Type": "application/json"}, `{"errorMessages":["You do not have permission to create attachments for this issue."],"errors":{}}`)
		}, wantCode: 77, wantErr: []string{"403", "permission to create attachments"}, wantQueue: 1},
		{name: "404 unknown issue", key: "SUP-999", wantCode: 69, wantErr: []string{"SUP-999", "not visible"}},
		{name: "413 above the limit, refused before upload", setup: func(f *fake.Jira) { f.UploadLimit = 50_000 }, size: 200_000,
			wantCode: 69, wantErr: []string{"195.3 KiB (200000 bytes)", "48.8 KiB (50000 bytes)", "shrink"}},
		{name: "413 from the server", setup: func(f *fake.Jira) {
			f.Fault = statusFault("attach", -1, 413, map[string]string{"Content-Type": "application/json"}, `{"errorMessages":["The field file exceeds its maximum permitted size."]}`)
		}, wantCode: 69, wantErr: []string{"413", "exceeds"}},
		{name: "slow server beyond the timeout", setup: func(f *fake.Jira) { f.Fault = sleepFault("issue", 3*time.Second) },
			extra: []string{"--ticket-timeout", "200ms"}, wantCode: 69, wantErr: []string{"no answer", "200ms", "outbox"}, wantQueue: 1},
		{name: "redirect", setup: func(f *fake.Jira) {
			f.Fault = statusFault("issue", -1, 301, map[string]string{"Location": "https://jira.new.example/rest/api/3/issue/SUP-123"}, "")
		}, wantCode: 69, wantErr: []string{"301 redirect", "jira.new.example"}, wantQueue: 1},
		{name: "non-ASCII file name", file: "Störung-Büro-Ü.zip", wantCode: 0, wantAtt: 1},
		{name: "bad key", key: "sup 123", wantCode: 64, wantErr: []string{`"sup 123"`, "SUP-123"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newTicketEnv(t)
			f := fake.NewJira(t, true)
			f.Validate = v
			if tc.setup != nil {
				tc.setup(f)
			}
			env.jira(t, f)
			if tc.token != "" {
				t.Setenv("L2DIAG_JIRA_TOKEN", tc.token)
			}
			name, size, key := tc.file, tc.size, tc.key
			if name == "" {
				name = "l2diag-pc042-20250101T100000Z.zip"
			}
			if size == 0 {
				size = 20_000
			}
			if key == "" {
				key = "SUP-123"
			}
			path := bundleFile(t, name, size)
			args := append([]string{"ticket", "attach", key, path, "--ca-file", env.ca}, tc.extra...)
			r := cli(t, []string{f.Token, tc.token}, args...)
			if r.code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.wantCode, r.stdout, r.stderr)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if q := env.queued(t); len(q) != tc.wantQueue {
				t.Errorf("outbox holds %d entries, want %d", len(q), tc.wantQueue)
			}
			att := f.Issue("SUP-123").Attachments
			if len(att) != tc.wantAtt {
				t.Errorf("issue has %d attachments, want %d (requests: %v)", len(att), tc.wantAtt, f.Requests())
			}
			if tc.wantAtt == 1 && (att[0].Name != name || att[0].Size != int64(size)) {
				t.Errorf("stored %q (%d bytes), want %q (%d)", att[0].Name, att[0].Size, name, size)
			}
			if tc.wantAtt == 1 && !strings.Contains(r.stdout, name) {
				t.Errorf("stdout does not list the attachment: %q", r.stdout)
			}
			if tc.name == "413 above the limit, refused before upload" {
				for _, req := range f.Requests() {
					if strings.HasSuffix(req, "/attachments") {
						t.Errorf("an upload was sent despite the limit: %s", req)
					}
				}
			}
		})
	}
}

// TestOutboxFlush: a delivery that failed is delivered by flush once the
// server is back, removed only then, and a lost answer does not duplicate.
func TestOutboxFlush(t *testing.T) {
	env := newTicketEnv(t)
	f := fake.NewJira(t, true)
	f.Validate = validatorOrNil(t)
	env.jira(t, f)
	down := true
	f.Fault = func(w http.ResponseWriter, r *http.Request, op string) bool {
		if down && op == "attach" {
			w.WriteHeader(503)
			return true
		}
		return false
	}
	path := bundleFile(t, "l2diag-pc042.zip", 30_000)
	if r := cli(t, []string{f.Token}, "ticket", "attach", "SUP-123", path, "--ca-file", env.ca); r.code != 69 {
		t.Fatalf("attach while down: exit %d, want 69\n%s", r.code, r.stderr)
	}
	if err := os.Remove(path); err != nil { // the outbox must hold its own copy
		t.Fatal(err)
	}
	if r := cli(t, nil, "ticket", "outbox", "list"); r.code != 0 || !strings.Contains(r.stdout, "jira SUP-123") {
		t.Fatalf("outbox list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Still down: flush keeps the entry.
	if r := cli(t, nil, "ticket", "outbox", "flush", "--ca-file", env.ca); r.code != 69 || len(env.queued(t)) != 1 {
		t.Fatalf("flush while down: exit %d, queue %d\n%s", r.code, len(env.queued(t)), r.stderr)
	}
	// Back up, but the first answer is lost after storing.
	down = false
	f.DropAttachResponses = 1
	r := cli(t, nil, "ticket", "outbox", "flush", "--ca-file", env.ca)
	if r.code != 0 {
		t.Fatalf("flush: exit %d\n%s", r.code, r.stderr)
	}
	if n := len(f.Issue("SUP-123").Attachments); n != 1 {
		t.Errorf("attachments after flush = %d, want 1", n)
	}
	if q := env.queued(t); len(q) != 0 {
		t.Errorf("outbox still holds %d entries", len(q))
	}
}
