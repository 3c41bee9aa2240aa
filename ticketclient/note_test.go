package ticketclient

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
)

// The comment leads with the likely cause and its owner, folds the results
// the cause explains into one line, and still lists independent problems.
func TestNoteFoldsConsequences(t *testing.T) {
	rep := &report.Report{Tool: report.Tool{Name: "l2diag", Version: "1.0"}, Host: report.Host{Hostname: "pc1"}, Results: []report.Result{
		{Check: "net-ping", Category: "net", Target: "10.0.0.1", Status: report.StatusFail, Summary: "The gateway does not answer."},
		{Check: "net-tcp", Category: "net", Target: "app:443", Status: report.StatusFail, Summary: "Filtered."},
		{Check: "host-disks", Category: "host", Status: report.StatusWarn, Summary: "/ is 93% full."},
	}}
	rep.Finish()
	rep.Conclusions = []report.Conclusion{{Code: "cause.gateway-down", Status: report.StatusFail, Headline: "The gateway 10.0.0.1 does not answer.",
		Escalation: "network", NextStep: "Call the network team.", Explains: []string{"net-ping 10.0.0.1", "net-tcp app:443"}}}
	n, err := NoteFromReport(rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, p := range n.Problems {
		labels = append(labels, p.Label)
	}
	want := "likely cause (cause.gateway-down, owner network)|host-disks|consequences"
	if got := strings.Join(labels, "|"); got != want {
		t.Errorf("problems = %s, want %s", got, want)
	}
	text := n.PlainText()
	if !strings.Contains(text, "2 more checks with problems follow from the likely cause (2 failing): net-ping 10.0.0.1, net-tcp app:443") {
		t.Errorf("comment lacks the folded consequences:\n%s", text)
	}
	if !strings.HasPrefix(n.Title, "l2diag 1.0 on pc1: FAIL") {
		t.Errorf("title = %q", n.Title)
	}
}

func TestNoteTitleOfAHealthyRun(t *testing.T) {
	rep := &report.Report{Tool: report.Tool{Name: "l2diag", Version: "1.0"}, Host: report.Host{Hostname: "pc1"}, Results: []report.Result{
		{Check: "host-cpu", Category: "host", Status: report.StatusOK, Summary: "fine"},
		{Check: "host-services", Category: "host", Status: report.StatusSkipped, Summary: "no systemd"},
	}}
	rep.Finish()
	n, err := NoteFromReport(rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n.Title != "l2diag 1.0 on pc1: OK" {
		t.Errorf("title = %q, want OK for a run of ok and skipped results", n.Title)
	}
}

// A conclusion's known fixes and solved tickets sit right under it, and a
// case that leaves this desk ends with the hand-off naming the bundle.
func TestNoteKnownFixesAndHandoff(t *testing.T) {
	rep := &report.Report{Tool: report.Tool{Name: "l2diag", Version: "1.0"}, Host: report.Host{Hostname: "pc1"}, Results: []report.Result{
		{Check: "net-tcp", Category: "net", Target: "app:8443", Status: report.StatusFail, Summary: "Filtered."},
		{Check: "dns-resolve", Category: "dns", Target: "app", Status: report.StatusOK, Summary: "fine"},
	}}
	rep.Finish()
	rep.Conclusions = []report.Conclusion{{Code: "cause.port-filtered", Status: report.StatusFail, Headline: "Port 8443 is filtered.",
		Escalation: "network", Evidence: []string{"net.tcp-filtered (net-tcp app:8443)"},
		KnownFixes:    []report.KnownFix{{ID: "KB-NET-010", Title: "Branch firewall drops 8443", Where: "/kb/KB-NET-010.md"}},
		SolvedTickets: []report.SolvedTicket{{Key: "SD-1", Kind: "issue", Title: "8443 blocked", Resolution: "Firewall rule added"}}}}
	bundle := &File{Name: "l2diag-pc1.zip", Size: 3, Path: writeTemp(t, "abc")}
	n, err := NoteFromReport(rep, bundle)
	if err != nil {
		t.Fatal(err)
	}
	text := n.PlainText()
	for _, want := range []string{
		"  Known fix: KB-NET-010 — Branch firewall drops 8443 (/kb/KB-NET-010.md)\n",
		"  Solved before: SD-1 (issue): 8443 blocked — Firewall rule added\n",
		"Hand-off:\n- Take it: network — Port 8443 is filtered. (cause.port-filtered)",
		"- Ruled out: DNS (every check passed)",
		"- Known fixes matched: KB-NET-010",
		"- Evidence: bundle l2diag-pc1.zip attached to this ticket",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("comment lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "Known fix:") > strings.Index(text, "Hand-off:") {
		t.Errorf("the known fix is not under its conclusion:\n%s", text)
	}

	rep.Conclusions[0].Escalation = "resolve-here"
	rep.Handoff = nil
	n, err = NoteFromReport(rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(n.PlainText(), "Hand-off") {
		t.Errorf("a resolve-here case got a hand-off:\n%s", n.PlainText())
	}
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The comment leads with what the user reported, says when the run was,
// and counts the consequences by what they are.
func TestNoteIntakeTimeAndCounts(t *testing.T) {
	rep := &report.Report{Tool: report.Tool{Name: "l2diag", Version: "1.0"}, Host: report.Host{Hostname: "pc1"},
		StartedAt: time.Date(2026, 11, 29, 9, 5, 0, 0, time.UTC),
		Intake:    &report.Intake{Symptom: "site-unreachable", Subject: "https://erp.example.com/", Since: "this morning", Scope: "several-users"},
		Results: []report.Result{
			{Check: "net-gateway", Category: "net", Status: report.StatusFail, Summary: "gateway down"},
			{Check: "net-tcp", Category: "net", Target: "erp:443", Status: report.StatusFail, Summary: "no answer"},
			{Check: "dns-server", Category: "dns", Target: "10.0.0.53", Status: report.StatusWarn, Summary: "slow"},
		}}
	rep.Finish()
	rep.Conclusions = []report.Conclusion{{Code: "cause.gateway-down", Status: report.StatusFail, Headline: "The gateway does not answer.",
		Explains: []string{"net-gateway", "net-tcp erp:443", "dns-server 10.0.0.53"}}}
	n, err := NoteFromReport(rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := n.PlainText()
	if !strings.HasPrefix(text, "The user reports: Can't reach a site or an app\nAbout: https://erp.example.com/\nSince: this morning\nWho is affected: Several users") {
		t.Errorf("the comment does not lead with the intake:\n%s", text)
	}
	if !strings.Contains(n.Title, "run 2026-11-29 09:05 UTC") {
		t.Errorf("title = %q, want the run's time", n.Title)
	}
	if !strings.Contains(text, "3 more checks with problems follow from the likely cause (2 failing, 1 warning)") {
		t.Errorf("consequence count does not say what it counts:\n%s", text)
	}
}
