package report

import (
	"strings"
	"testing"
)

// A run of ok and skipped results is "skipped" in JSON (the worst status)
// but reads as OK to people; a run of skipped results only stays SKIPPED.
func TestHeadlineOfOKAndSkipped(t *testing.T) {
	tests := []struct {
		name     string
		statuses []Status
		want     Status
	}{
		{"ok and skipped", []Status{StatusOK, StatusSkipped}, StatusOK},
		{"skipped only", []Status{StatusSkipped}, StatusSkipped},
		{"warn wins", []Status{StatusOK, StatusSkipped, StatusWarn}, StatusWarn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &Report{Host: Host{Hostname: "pc1"}}
			for _, s := range tt.statuses {
				rep.Results = append(rep.Results, Result{Check: "host-cpu", Category: "host", Status: s, Summary: "x"})
			}
			rep.Finish()
			v := NewView(rep, RenderOptions{})
			if v.Status != tt.want || v.Groups[0].Status != tt.want {
				t.Errorf("headline %s, group %s, want %s (JSON status %s)", v.Status, v.Groups[0].Status, tt.want, rep.Status)
			}
			var b strings.Builder
			if err := RenderMarkdown(&b, rep, RenderOptions{}); err != nil {
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
	rep := &Report{Host: Host{Hostname: "pc1"}, Results: []Result{
		{Check: "net-ping", Category: "net", Target: "10.0.0.1", Status: StatusFail, Summary: "gateway down"},
		{Check: "net-tcp", Category: "net", Target: "app:443", Status: StatusFail, Summary: "filtered"},
		{Check: "host-disks", Category: "host", Status: StatusFail, Summary: "disk full"},
	}}
	rep.Finish()
	rep.Conclusions = []Conclusion{{Code: "cause.gateway-down", Status: StatusFail, Headline: "Gateway down.", Explains: []string{"net-ping 10.0.0.1", "net-tcp app:443"}}}
	v := NewView(rep, RenderOptions{})
	if len(v.Problems) != 1 || v.Problems[0].Label != "host-disks" {
		t.Errorf("problems = %+v, want only host-disks", v.Problems)
	}
	if strings.Join(v.Consequences, ",") != "net-ping 10.0.0.1,net-tcp app:443" {
		t.Errorf("consequences = %v", v.Consequences)
	}
	var md, html strings.Builder
	if err := RenderMarkdown(&md, rep, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "Explained by the likely cause above") || strings.Contains(md.String(), "**FAIL** `net-tcp app:443`") {
		t.Errorf("markdown does not fold the consequences:\n%s", md.String())
	}
	if err := RenderHTML(&html, rep, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), `class="consequences"`) {
		t.Error("HTML lacks the consequences line")
	}
}
