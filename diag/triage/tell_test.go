package triage

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

func TestTell(t *testing.T) {
	tests := []struct {
		name   string
		cs     []report.Conclusion
		status report.Status
		want   []string // substrings
		not    []string
	}{
		{"healthy", nil, report.StatusOK, []string{"No fault found"}, nil},
		{"problems without a cause", nil, report.StatusFail, []string{"without one clear cause"}, []string{"No fault"}},
		{"an ok explanation is no fault", []report.Conclusion{{Code: "cause.gateway-ignores-ping", Status: report.StatusOK, Escalation: "resolve-here"}}, report.StatusOK,
			[]string{"No fault found"}, nil},
		{"the spec's own sentence", []report.Conclusion{{Code: "cause.no-internet", Status: report.StatusFail, Escalation: "network"}}, report.StatusFail,
			[]string{"internet connection of this network", "network team"}, []string{"this computer ("}},
		{"built from title and owner", []report.Conclusion{{Code: "cause.nothing-listening", Status: report.StatusFail, Escalation: "application"}}, report.StatusFail,
			[]string{"service itself is failing", "nothing listening on the port", "owners"}, nil},
		{"the rule's escalation wins over the spec's", []report.Conclusion{{Code: "cause.dns-wrong-answer", Status: report.StatusFail, Escalation: "dns"}}, report.StatusFail,
			[]string{"name service (DNS)", "DNS administrators"}, nil},
		{"an acronym keeps its case", []report.Conclusion{{Code: "cause.dns-inconsistent", Status: report.StatusFail, Escalation: "dns"}}, report.StatusFail,
			[]string{"(DNS servers disagree)"}, nil},
		{"the first problem leads, not an ok note", []report.Conclusion{
			{Code: "cause.gateway-ignores-ping", Status: report.StatusOK, Escalation: "resolve-here"},
			{Code: "cause.disk-full", Status: report.StatusFail, Escalation: "resolve-here"}}, report.StatusFail,
			[]string{"on this computer (disk full)", "fixed here"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tell(tt.cs, tt.status)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Tell = %q, want it to contain %q", got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Tell = %q, must not contain %q", got, n)
				}
			}
			if strings.Count(got, ". ") > 0 || !strings.HasSuffix(got, ".") {
				t.Errorf("Tell = %q: want one sentence", got)
			}
		})
	}
}
