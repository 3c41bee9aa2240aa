//go:build linux

package permcheck_test

import (
	"os"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// sudoersFile is the drop-in the test writes; the name has no dot so sudo
// reads it.
const sudoersFile = "/etc/sudoers.d/l2diag-perm-test"

// runReport runs `l2diag run --only perm` in ns as user ("" for root)
// with extra args, and decodes its JSON report.
func runReport(t *testing.T, ns *lab.NS, user string, extra ...string) *report.Report {
	t.Helper()
	args := append([]string{"run", "--only", "perm", "--no-bundle", "--output", "json"}, extra...)
	var res lab.Result
	if user == "" {
		res = ns.L2diag(args...)
	} else {
		res = ns.L2diagAs(user, args...)
	}
	rep, err := report.Decode([]byte(res.Stdout))
	if err != nil {
		t.Fatalf("l2diag exit %d: %v\nstdout:\n%s\nstderr:\n%s", res.ExitCode, err, res.Stdout, res.Stderr)
	}
	return rep
}

func runCheck(t *testing.T, ns *lab.NS, user, check string, extra ...string) report.Result {
	t.Helper()
	rep := runReport(t, ns, user, extra...)
	for _, r := range rep.Results {
		if r.Check == check {
			return r
		}
	}
	t.Fatalf("no %s result in %+v", check, rep.Results)
	return report.Result{}
}

func codes(r report.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	return out
}

func TestSudo(t *testing.T) {
	l := lab.New(t)
	user := lab.RequireUser(t)
	lab.RequireTool(t, "sudo", "setpriv")
	if _, err := os.Stat(sudoersFile); err == nil {
		t.Fatalf("%s exists already; another run did not clean up", sudoersFile)
	}
	t.Cleanup(func() { _ = os.Remove(sudoersFile) })
	ns := l.Namespace("sudo")
	host, _ := os.Hostname()
	// The host name resolves, as on a sane machine, except in the one
	// case that tests the warning.
	resolvable := "127.0.0.1 localhost " + host + "\n::1 localhost\n"

	tests := []struct {
		name   string
		rule   string
		hosts  string
		want   []string
		wantIn string
	}{
		{"no rule", "", resolvable, []string{"perm.sudo-password"}, "no admin group"},
		{"nopasswd rule", user + " ALL=(root) NOPASSWD: /usr/bin/id\n", resolvable, []string{"perm.sudo-nopasswd"}, "/usr/bin/id"},
		{"password rule", user + " ALL=(ALL) ALL\n", resolvable, []string{"perm.sudo-password"}, "password"},
		{"unresolvable host name", user + " ALL=(root) NOPASSWD: /usr/bin/id\n", "127.0.0.1 localhost\n", []string{"perm.sudo-unresolvable-host", "perm.sudo-nopasswd"}, host},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_ = os.Remove(sudoersFile)
			if tt.rule != "" {
				if err := os.WriteFile(sudoersFile, []byte(tt.rule), 0o440); err != nil {
					t.Fatal(err)
				}
			}
			ns.SetHosts(tt.hosts)
			r := runCheck(t, ns, user, "perm-sudo", "--skip", "perm-path")
			got := codes(r)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("codes = %v, want %v\nresult: %+v", got, tt.want, r)
			}
			var text string
			for _, f := range r.Findings {
				text += f.Message + " "
			}
			if !strings.Contains(text, tt.wantIn) {
				t.Errorf("messages %q lack %q", text, tt.wantIn)
			}
		})
	}
	t.Run("root skips", func(t *testing.T) {
		r := runCheck(t, ns, "", "perm-sudo")
		if r.Status != report.StatusSkipped {
			t.Errorf("status = %s, want skipped (%s)", r.Status, r.Summary)
		}
	})
}
