package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
)

// missingPathRun is a run whose verdict is known without touching the
// network: a path that does not exist concludes cause.path-missing.
func missingPathRun(t *testing.T, extra ...string) []string {
	missing := filepath.Join(t.TempDir(), "gone", "share")
	return append([]string{"run", "--only", "perm", "--skip", "perm-keys", "--path", "r=" + missing}, extra...)
}

func solvedJira(t *testing.T, e *ticketEnv) *fake.Jira {
	f := fake.NewJira(t, true)
	f.Validate = validatorOrNil(t)
	e.jira(t, f)
	label := ticketclient.CauseLabel("cause.path-missing")
	f.AddSolvedIssue("SUP-7", "Share gone after migration", "Fixed", time.Date(2026, 10, 7, 9, 0, 0, 0, time.UTC), []string{label}, "Mapped the new DFS path")
	f.AddSolvedIssue("SUP-8", "Share missing", "Done", time.Date(2026, 11, 8, 9, 0, 0, 0, time.UTC), []string{label}, "")
	return f
}

func TestRunTicketFindsSolvedTickets(t *testing.T) {
	e := newTicketEnv(t)
	f := solvedJira(t, e)
	work := t.TempDir()
	r := cli(t, []string{f.Token}, missingPathRun(t, "--ticket", "SUP-123", "--bundle", work, "--ca-file", e.ca)...)
	if r.code != ExitFail {
		t.Fatalf("exit %d, want %d (the verdict's)\n%s%s", r.code, ExitFail, r.stdout, r.stderr)
	}
	block := "Solved before: cause.path-missing (jira)\n  SUP-8 (issue, resolved 2026-11-08): Share missing — Done"
	if i := strings.Index(r.stdout, block); i < 0 || i < strings.Index(r.stdout, "Likely cause") {
		t.Errorf("stdout lacks the solved tickets after the report:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "SUP-7 (issue, resolved 2026-10-07): Share gone after migration — Fixed: Mapped the new DFS path") {
		t.Errorf("stdout lacks SUP-7 with its fix:\n%s", r.stdout)
	}
	// The bundle's report and the comment carry them; the issue is labelled.
	zips, _ := filepath.Glob(filepath.Join(work, "*.zip"))
	if len(zips) != 1 {
		t.Fatalf("bundles: %v", zips)
	}
	b, err := bundle.Open(zips[0])
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := b.Report.Conclusions[0].SolvedTickets; len(got) != 2 || got[0].Key != "SUP-8" {
		t.Errorf("bundle solved_tickets = %+v", got)
	}
	is := f.Issue("SUP-123")
	if len(is.Comments) != 1 || !strings.Contains(string(is.Comments[0]), "SUP-7 (issue, resolved 2026-10-07)") {
		t.Errorf("comment lacks the solved tickets: %s", is.Comments)
	}
	if !slices.Contains(is.Labels, "l2diag-cause.path-missing") {
		t.Errorf("labels = %v, want the cause label", is.Labels)
	}
}

// The lookup never fails the run nor changes its verdict: refused, slow or
// empty, the report and the delivery are the same.
func TestRunTicketLookupNeverFailsTheRun(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*fake.Jira)
		stderr  string
		maxTime time.Duration
	}{
		{"account may not search", func(f *fake.Jira) { f.NoSearchScope = true }, "could not be searched (the verdict is unaffected)", 0},
		{"slow search", func(f *fake.Jira) { f.SearchDelay = time.Minute }, "no answer within 4s", 20 * time.Second},
		{"zero results", func(f *fake.Jira) {}, "solved tickets: none in jira for cause.path-missing", 0},
		{"labels refused", func(f *fake.Jira) { f.NoEditPermission = true }, "not labelled with its causes", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTicketEnv(t)
			f := fake.NewJira(t, true)
			e.jira(t, f)
			tt.setup(f)
			start := time.Now()
			r := cli(t, []string{f.Token}, missingPathRun(t, "--ticket", "SUP-123", "--bundle", t.TempDir(), "--ca-file", e.ca)...)
			if r.code != ExitFail {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, ExitFail, r.stdout, r.stderr)
			}
			if tt.maxTime > 0 && time.Since(start) > tt.maxTime {
				t.Errorf("the run took %s with a slow search", time.Since(start))
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, r.stderr)
			}
			if !strings.Contains(r.stdout, "Likely cause") || strings.Contains(r.stdout, "Solved before") {
				t.Errorf("stdout:\n%s", r.stdout)
			}
			if is := f.Issue("SUP-123"); len(is.Attachments) != 1 || len(is.Comments) != 1 {
				t.Errorf("delivery: %d attachments, %d comments", len(is.Attachments), len(is.Comments))
			}
		})
	}
}

func TestKBTicketsWithoutTicket(t *testing.T) {
	e := newTicketEnv(t)
	if r := cli(t, nil, missingPathRun(t, "--kb-tickets", "--no-bundle")...); r.code != ExitUsage || !strings.Contains(r.stderr, "--kb-tickets") {
		t.Errorf("nothing configured: exit %d, %s", r.code, r.stderr)
	}

	sn := fake.NewServiceNow(t)
	t.Setenv("L2DIAG_SERVICENOW_URL", sn.Server.URL)
	t.Setenv("L2DIAG_SERVICENOW_USER", sn.User)
	t.Setenv("L2DIAG_SERVICENOW_PASSWORD", sn.Password)
	ca := writeCA(t, sn.Server.Certificate().Raw)
	sn.AddSolved("incident", "INC0000777", map[string]string{"state": "7", "short_description": "Share missing", "close_code": "Solved (Permanently)",
		"close_notes": "Recreated the share", "resolved_at": "2026-11-02 10:00:00"}, "l2diag causes: "+ticketclient.CauseLabel("cause.path-missing"))
	_ = e
	r := cli(t, []string{sn.Password}, missingPathRun(t, "--kb-tickets", "--no-bundle", "-o", "json", "--ca-file", ca)...)
	if r.code != ExitFail {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	validateReport(t, []byte(r.stdout))
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	got := rep.Conclusions[0].SolvedTickets
	if len(got) != 1 || got[0].Key != "INC0000777" || got[0].Kind != "incident" || got[0].Resolution != "Solved (Permanently): Recreated the share" {
		t.Errorf("solved_tickets = %+v", got)
	}
	if n := len(sn.Record("INC0010001").WorkNotes); n != 0 {
		t.Errorf("--kb-tickets wrote %d notes: it must be read-only", n)
	}
}
