package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/fleet"
)

func TestFleetReportCommand(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"a1", "a2", "b1", "b2"} {
		broken := i < 2
		writeTestBundle(t, dir, name+".zip", func(rep *report.Report, facts map[string]any) {
			rep.Host.Hostname = name
			if broken {
				facts["dns_servers"] = []string{"10.0.0.55:53"}
				rep.Conclusions = []report.Conclusion{{Code: "cause.dns-down", Status: report.StatusFail,
					Headline: "No DNS server answers (10.0.0.55)", Escalation: "dns"}}
				rep.Results[1].Status = report.StatusFail
			}
		})
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.zip"), []byte("not a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(t.TempDir(), "fleet.html")

	r := cli(t, nil, "fleet", "report", dir, "-o", "json", "--html", html, "--incident", "INC0012345")
	if r.code != ExitFail {
		t.Fatalf("exit %d, want %d (hosts affected)\n%s", r.code, ExitFail, r.stderr)
	}
	var rep fleet.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, r.stdout)
	}
	if len(rep.Causes) != 1 || strings.Join(rep.Causes[0].Hosts, ",") != "a1,a2" || rep.Counts.Unreadable != 1 {
		t.Errorf("report = %+v", rep)
	}
	if sh := rep.Causes[0].Shared; len(sh) == 0 || sh[0].Value != "10.0.0.55" {
		t.Errorf("shared = %+v, want the DNS server first", sh)
	}
	page, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(page), "INC0012345") || !strings.Contains(string(page), "10.0.0.55") {
		t.Errorf("HTML report missing or incomplete: %v", err)
	}

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no argument", []string{"fleet", "report"}, ExitUsage, "requires at least 1 arg"},
		{"missing path", []string{"fleet", "report", filepath.Join(dir, "nope")}, ExitUsage, "nope"},
		{"folder without bundles", []string{"fleet", "report", t.TempDir()}, ExitUsage, "no bundle"},
		{"html into a folder", []string{"fleet", "report", dir, "--html", t.TempDir()}, ExitUsage, "not a regular file"},
		{"only an unreadable bundle", []string{"fleet", "report", filepath.Join(dir, "broken.zip")}, ExitCheckError, "unreadable"},
		{"only healthy hosts", []string{"fleet", "report", filepath.Join(dir, "b1.zip"), filepath.Join(dir, "b2.zip")}, ExitOK, "No common cause"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := cli(t, nil, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", r.code, tc.code, tc.want, r.stdout, r.stderr)
			}
		})
	}
}

func TestFleetReportToTicket(t *testing.T) {
	newTicketEnv(t)
	tickets := t.TempDir()
	t.Setenv("L2DIAG_TICKET_DIR", tickets)
	dir := t.TempDir()
	writeTestBundle(t, dir, "a1.zip", func(rep *report.Report, _ map[string]any) {
		rep.Conclusions = []report.Conclusion{{Code: "cause.dns-down", Status: report.StatusFail, Headline: "No DNS server answers"}}
	})
	r := cli(t, nil, "fleet", "report", dir, "--ticket", "INC0012345", "--ticket-system", "dir")
	if r.code != ExitFail {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var names []string
	_ = filepath.WalkDir(tickets, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, filepath.Base(p))
		}
		return nil
	})
	joined := strings.Join(names, " ")
	for _, ext := range []string{".html", ".json", ".md"} {
		if !strings.Contains(joined, ext) {
			t.Errorf("ticket folder lacks the %s report: %v", ext, names)
		}
	}
}
