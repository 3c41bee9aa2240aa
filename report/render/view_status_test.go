package render

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// A run of ok and skipped results is "skipped" in JSON (the worst status)
// but reads as OK to people; a run of skipped results only stays SKIPPED.
func TestHeadlineOfOKAndSkipped(t *testing.T) {
	tests := []struct {
		name     string
		statuses []report.Status
		want     report.Status
	}{
		{"ok and skipped", []report.Status{report.StatusOK, report.StatusSkipped}, report.StatusOK},
		{"skipped only", []report.Status{report.StatusSkipped}, report.StatusSkipped},
		{"warn wins", []report.Status{report.StatusOK, report.StatusSkipped, report.StatusWarn}, report.StatusWarn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &report.Report{Host: report.Host{Hostname: "pc1"}}
			for _, s := range tt.statuses {
				rep.Results = append(rep.Results, report.Result{Check: "host-cpu", Category: "host", Status: s, Summary: "x"})
			}
			rep.Finish()
			v := NewView(rep, Options{})
			if v.Status != tt.want || v.Groups[0].Status != tt.want {
				t.Errorf("headline %s, group %s, want %s (JSON status %s)", v.Status, v.Groups[0].Status, tt.want, rep.Status)
			}
			var b strings.Builder
			if err := Markdown(&b, rep, Options{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), strings.ToUpper(string(tt.want))+" pc1") {
				t.Errorf("markdown headline lacks %s:\n%s", strings.ToUpper(string(tt.want)), b.String())
			}
		})
	}
}

func TestMarkdownHintKeepsCodeSpans(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Run `chmod o+x /srv` as root.", "Run `chmod o+x /srv` as root."},
		{"Use *two* `a_b` and `c|d`.", `Use \*two\* ` + "`a_b`" + ` and ` + "`c|d`."},
		{"odd ` backtick", "odd \\` backtick"},
	}
	for _, tt := range tests {
		if got := mdHint(tt.in); got != tt.want {
			t.Errorf("mdHint(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Results a conclusion explains are listed once as consequences, not as
// problems of their own.
func TestConsequencesAreNotProblems(t *testing.T) {
	rep := &report.Report{Host: report.Host{Hostname: "pc1"}, Results: []report.Result{
		{Check: "net-ping", Category: "net", Target: "10.0.0.1", Status: report.StatusFail, Summary: "gateway down"},
		{Check: "net-tcp", Category: "net", Target: "app:443", Status: report.StatusFail, Summary: "filtered"},
		{Check: "host-disks", Category: "host", Status: report.StatusFail, Summary: "disk full"},
	}}
	rep.Finish()
	rep.Conclusions = []report.Conclusion{{Code: "cause.gateway-down", Status: report.StatusFail, Headline: "Gateway down.", Explains: []string{"net-ping 10.0.0.1", "net-tcp app:443"}}}
	v := NewView(rep, Options{})
	if len(v.Problems) != 1 || v.Problems[0].Label != "host-disks" {
		t.Errorf("problems = %+v, want only host-disks", v.Problems)
	}
	if strings.Join(v.Consequences, ",") != "net-ping 10.0.0.1,net-tcp app:443" {
		t.Errorf("consequences = %v", v.Consequences)
	}
	var md, html strings.Builder
	if err := Markdown(&md, rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "Explained by the likely cause above") || strings.Contains(md.String(), "**FAIL** `net-tcp app:443`") {
		t.Errorf("markdown does not fold the consequences:\n%s", md.String())
	}
	if err := HTML(&html, rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), `class="consequences"`) {
		t.Error("HTML lacks the consequences line")
	}
}
