package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/ticketclient/fake"
)

// TestTicketBadInput: wrong key forms, http URLs, missing credentials and
// world-readable secrets are exit 64 naming what to set; nothing is sent.
func TestTicketBadInput(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		config  string // written to the config file
		mode    os.FileMode
		args    []string
		want    []string
		noSend  bool
		wantOut int
	}{
		{name: "jira key with space", env: map[string]string{"L2DIAG_TICKET_DIR": "/nonexistent/share"},
			args: []string{"ticket", "attach", "sup 123", "B"}, want: []string{`"sup 123"`, "PROJECT-NUMBER"}},
		{name: "servicenow number too short", env: map[string]string{"L2DIAG_TICKET_SYSTEM": "servicenow"},
			args: []string{"ticket", "attach", "INC12", "B"}, want: []string{"L2DIAG_SERVICENOW_URL"}},
		{name: "servicenow number too short with config", env: map[string]string{"L2DIAG_SERVICENOW_URL": "https://x.service-now.com", "L2DIAG_SERVICENOW_USER": "u", "L2DIAG_SERVICENOW_PASSWORD": "pw-secret-1"},
			args: []string{"ticket", "attach", "INC12", "B"}, want: []string{`"INC12"`, "4 to 15 digits"}},
		{name: "http url", env: map[string]string{"L2DIAG_JIRA_URL": "http://jira.example.com", "L2DIAG_JIRA_TOKEN": "pat-secret-2"},
			args: []string{"ticket", "attach", "SUP-1", "B"}, want: []string{"http://", "--allow-http"}},
		{name: "malformed url with a password", env: map[string]string{"L2DIAG_JIRA_URL": "https://agent:url-secret-5@jira example.com", "L2DIAG_JIRA_TOKEN": "pat-secret-2"},
			args: []string{"ticket", "attach", "SUP-1", "B"}, want: []string{"agent:***@", "not an absolute"}},
		{name: "run with a malformed url with a password", env: map[string]string{"L2DIAG_JIRA_URL": "https://agent:url-secret-5@jira example.com", "L2DIAG_JIRA_TOKEN": "pat-secret-2"},
			args: []string{"run", "--only", "perm", "--ticket", "SUP-1"}, want: []string{"agent:***@"}},
		{name: "no jira token", env: map[string]string{"L2DIAG_JIRA_URL": "https://jira.example.com"},
			args: []string{"ticket", "attach", "SUP-1", "B"}, want: []string{"L2DIAG_JIRA_TOKEN"}},
		{name: "cloud without user", env: map[string]string{"L2DIAG_JIRA_URL": "https://acme.atlassian.net", "L2DIAG_JIRA_TOKEN": "tok-secret-3"},
			args: []string{"ticket", "attach", "SUP-1", "B"}, want: []string{"L2DIAG_JIRA_USER"}},
		{name: "no servicenow password", env: map[string]string{"L2DIAG_SERVICENOW_URL": "https://x.service-now.com", "L2DIAG_SERVICENOW_USER": "u"},
			args: []string{"ticket", "attach", "INC0010001", "B"}, want: []string{"L2DIAG_SERVICENOW_PASSWORD"}},
		{name: "config with secret readable by others", config: "system: jira\njira:\n  url: https://jira.example.com\n  token: cfg-secret-4\n", mode: 0o644,
			args: []string{"ticket", "attach", "SUP-1", "B"}, want: []string{"readable by others", "chmod 600"}},
		{name: "config with unknown key", config: "jira:\n  urll: https://jira.example.com\n", mode: 0o600,
			args: []string{"ticket", "attach", "SUP-1", "B"}, want: []string{"urll"}},
		{name: "unknown system", args: []string{"ticket", "attach", "SUP-1", "B", "--ticket-system", "trello"}, want: []string{`"trello"`, "dir, jira, servicenow"}},
		{name: "run with --ticket and --no-bundle", args: []string{"run", "--only", "perm", "--ticket", "SUP-1", "--no-bundle"}, want: []string{"--no-bundle"}},
		{name: "run with bad key", env: map[string]string{"L2DIAG_TICKET_DIR": "/nonexistent/share"},
			args: []string{"run", "--only", "perm", "--ticket", "sup 123"}, want: []string{`"sup 123"`}},
		{name: "run --ticket with nothing configured", args: []string{"run", "--only", "perm", "--ticket", "SUP-123"},
			want: []string{"no ticket system is configured", "three ways", "tickets.yaml", "L2DIAG_JIRA_URL", "L2DIAG_SERVICENOW_URL", "L2DIAG_TICKET_DIR", "--ticket-system"}},
		{name: "ticket comment with nothing configured", args: []string{"ticket", "comment", "SUP-123", "--text", "x"},
			want: []string{"no ticket system is configured", "three ways"}},
		{name: "--table with jira", env: map[string]string{"L2DIAG_JIRA_URL": "https://jira.example.com", "L2DIAG_JIRA_TOKEN": "pat-secret-2"},
			args: []string{"ticket", "comment", "SUP-1", "--text", "x", "--table", "incident"}, want: []string{"--table applies to servicenow"}},
		{name: "--public and --internal", env: map[string]string{"L2DIAG_TICKET_DIR": "/nonexistent/share"},
			args: []string{"ticket", "comment", "SUP-1", "--text", "x", "--public", "--internal"}, want: []string{"--internal and --public"}},
		{name: "bad --comment-field", env: map[string]string{"L2DIAG_SERVICENOW_URL": "https://x.service-now.com", "L2DIAG_SERVICENOW_USER": "u", "L2DIAG_SERVICENOW_PASSWORD": "pw-secret-1"},
			args: []string{"ticket", "comment", "INC0010001", "--text", "x", "--comment-field", "notes"}, want: []string{`"notes"`, "work_notes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newTicketEnv(t)
			b := bundleFile(t, "b.zip", 100)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.config != "" {
				p := filepath.Join(env.home, "tickets.yaml")
				if err := os.WriteFile(p, []byte(tc.config), tc.mode); err != nil {
					t.Fatal(err)
				}
				_ = os.Chmod(p, tc.mode)
				t.Setenv("L2DIAG_TICKET_CONFIG", p)
			}
			args := append([]string(nil), tc.args...)
			for i, a := range args {
				if a == "B" {
					args[i] = b
				}
			}
			t.Chdir(t.TempDir())
			r := cli(t, []string{"pw-secret-1", "pat-secret-2", "tok-secret-3", "cfg-secret-4", "url-secret-5"}, args...)
			if r.code != 64 {
				t.Fatalf("exit %d, want 64\n%s%s", r.code, r.stdout, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if q := env.queued(t); len(q) != 0 {
				t.Errorf("bad input queued %d entries", len(q))
			}
		})
	}
}

// TestTicketSecretFile: a token from a private file works; the same file
// readable by others is refused with the chmod.
func TestTicketSecretFile(t *testing.T) {
	env := newTicketEnv(t)
	f := fake.NewJira(t, false) // Data Center: Bearer PAT
	t.Setenv("L2DIAG_JIRA_URL", f.Server.URL)
	env.ca = writeCA(t, f.Server.Certificate().Raw)
	tok := filepath.Join(env.home, "jira-token")
	if err := os.WriteFile(tok, []byte(f.Token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("L2DIAG_JIRA_TOKEN_FILE", tok)
	if r := cli(t, []string{f.Token}, "ticket", "check", "SUP-123", "--ca-file", env.ca); r.code != 0 || !strings.Contains(r.stdout, "upload limit 10.0 MiB (10485760 bytes") {
		t.Fatalf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if err := os.Chmod(tok, 0o640); err != nil {
		t.Fatal(err)
	}
	r := cli(t, []string{f.Token}, "ticket", "check", "SUP-123", "--ca-file", env.ca)
	if r.code != 64 || !strings.Contains(r.stderr, "chmod 600 "+tok) {
		t.Fatalf("exit %d, want 64 with the chmod\n%s", r.code, r.stderr)
	}
}

// TestTicketDryRun prints the requests and the comment with secrets masked.
func TestTicketDryRun(t *testing.T) {
	env := newTicketEnv(t)
	_ = env
	t.Setenv("L2DIAG_SERVICENOW_URL", "https://acme.service-now.com")
	t.Setenv("L2DIAG_SERVICENOW_USER", "svc")
	t.Setenv("L2DIAG_SERVICENOW_PASSWORD", "dry-secret-5")
	b := bundleFile(t, "b.zip", 1000)
	r := cli(t, []string{"dry-secret-5"}, "ticket", "attach", "INC0010001", b, "--dry-run")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, w := range []string{"POST https://acme.service-now.com/api/now/attachment/file?file_name=b.zip&table_name=incident", "Content-Type: application/zip", "Content-Length: 1000", "Authorization: Basic *** (user svc)"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("dry run lacks %q:\n%s", w, r.stdout)
		}
	}
}

// TestAllowHTTPWarns: --allow-http lets credentials travel in clear text;
// it is allowed for test servers, but said on stderr every time (stdout
// keeps the plan or the report), and an https URL gets no warning.
func TestAllowHTTPWarns(t *testing.T) {
	tests := []struct {
		name, url string
		warn      bool
	}{
		{"http", "http://jira.lab.example:8080", true},
		{"https", "https://jira.lab.example", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			newTicketEnv(t)
			t.Setenv("L2DIAG_JIRA_URL", tc.url)
			t.Setenv("L2DIAG_JIRA_TOKEN", "pat-secret-6")
			r := cli(t, []string{"pat-secret-6"}, "ticket", "comment", "SUP-1", "--text", "x", "--dry-run", "--allow-http")
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			got := strings.Contains(r.stderr, "warning: --allow-http") && strings.Contains(r.stderr, "unencrypted")
			if got != tc.warn {
				t.Errorf("warning on stderr = %v, want %v:\n%s", got, tc.warn, r.stderr)
			}
			if strings.Contains(r.stdout, "warning") {
				t.Errorf("the warning went to stdout:\n%s", r.stdout)
			}
		})
	}
}
