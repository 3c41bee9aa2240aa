package ticketclient

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// The comment leads with the sentence for the user, right after its title.
func TestNoteTellUserLeads(t *testing.T) {
	rep := &report.Report{Host: report.Host{Hostname: "ws1"}, TellUser: "The cause is on this computer (disk full); it can be fixed here.",
		Conclusions: []report.Conclusion{{Code: "cause.disk-full", Status: report.StatusFail, Headline: "/var is full.", Escalation: "resolve-here"}}}
	rep.Finish()
	n, err := NoteFromReport(rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n.TellUser != rep.TellUser {
		t.Fatalf("note tell_user = %q, want %q", n.TellUser, rep.TellUser)
	}
	text := n.PlainText()
	tell, cause := strings.Index(text, "What to tell the user: "+rep.TellUser), strings.Index(text, "/var is full.")
	if tell < 0 || cause < 0 || tell > cause {
		t.Errorf("the sentence for the user must come before the problems:\n%s", text)
	}
}
