package ticketclient

import (
	"strings"
	"testing"

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
	if !strings.Contains(text, "2 more failing check(s) follow from the likely cause: net-ping 10.0.0.1, net-tcp app:443") {
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
