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
