package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/fleet"
	"github.com/l2diag/l2diag/report/render"
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

// fleetBundles writes two bundles into a folder: host a1 with DNS down,
// host b1 without a problem.
func fleetBundles(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeTestBundle(t, dir, "a1.zip", func(rep *report.Report, facts map[string]any) {
		rep.Host.Hostname = "a1"
		rep.Conclusions = []report.Conclusion{{Code: "cause.dns-down", Status: report.StatusFail,
			Headline: "No DNS server answers (10.0.0.55)", Escalation: "dns"}}
		rep.Results[1].Status = report.StatusFail
	})
	writeTestBundle(t, dir, "b1.zip", func(rep *report.Report, _ map[string]any) { rep.Host.Hostname = "b1" })
	return dir
}

func TestFleetReportRun(t *testing.T) {
	forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
		root := tf.dirTickets(t)
		opts := &FleetReportOptions{IO: tf.IO, Env: tf.Env, Now: tf.Now, Format: render.FormatJSON, Conn: tf.conn(),
			Paths: []string{fleetBundles(t)}, Ticket: "SUP-9"}
		err := fleetReportRun(context.Background(), opts)
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Code != ExitFail {
			t.Fatalf("error = %v, want exit %d (a host is affected)", err, ExitFail)
		}
		var rep fleet.Report
		if err := json.Unmarshal(tf.Out.Bytes(), &rep); err != nil {
			t.Fatalf("stdout is not the JSON report: %v\n%s", err, tf.Out.String())
		}
		// The factory's clock stamps the report; the ticket names the incident.
		if !rep.GeneratedAt.Equal(testNow) || rep.Incident != "SUP-9" || rep.Counts.Bundles != 2 || rep.Counts.Affected != 1 {
			t.Errorf("report: generated %s, incident %q, counts %+v", rep.GeneratedAt, rep.Incident, rep.Counts)
		}
		// Delivered to the dir system, named after the clock.
		for _, ext := range []string{"html", "json", "md"} {
			if _, err := os.Stat(filepath.Join(root, "SUP-9", "l2diag-fleet-20260102T030405Z."+ext)); err != nil {
				t.Errorf("not attached: %v", err)
			}
		}
		notes := readNotes(t, root, "SUP-9")
		if !strings.Contains(notes, "cause.dns-down") || !strings.Contains(notes, "2 bundle(s): 1 affected, 1 without problems") {
			t.Errorf("the comment does not lead with the cause and the counts:\n%s", notes)
		}
		if !strings.Contains(tf.ErrOut.String(), "l2diag: fleet report attached to SUP-9") {
			t.Errorf("stderr = %q", tf.ErrOut.String())
		}
	})
}
