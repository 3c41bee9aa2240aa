package triage

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

func TestRuleDNSWrongAnswer(t *testing.T) {
	wrong := func(server string, answer []string, matching int, public bool) *res {
		return result("dns-resolve", "intranet.lab").with(t, codeDNSUnexpected, "name", "intranet.lab", "server", server+":53",
			"expected", "10.20.0.5", "answer", answer, "matching_servers", matching, "answer_public", public)
	}
	tests := []struct {
		name       string
		results    func() []report.Result
		conf       Confidence
		escalation Escalation
		status     report.Status
		headline   string
	}{
		{"another server has the right answer", func() []report.Result {
			return results(wrong("10.0.0.54", []string{"203.0.113.7"}, 1, true))
		}, High, "", report.StatusFail, "asks the wrong DNS server"},
		{"only a public view answers", func() []report.Result {
			return results(wrong("10.0.0.53", []string{"203.0.113.7"}, 0, true))
		}, Medium, "", report.StatusFail, "resolves to a public address (10.0.0.53 says 203.0.113.7), not the expected 10.20.0.5"},
		{"every server has another private address: stale record", func() []report.Result {
			return results(wrong("10.0.0.53", []string{"10.20.0.9"}, 0, false))
		}, Medium, DNS, report.StatusFail, "stale or wrong record"},
		{"only the OS resolver is wrong", func() []report.Result {
			return results(result("dns-system", "intranet.lab").with(t, codeDNSSystemUnexpected, "name", "intranet.lab",
				"expected", "10.20.0.5", "system", []any{"10.99.0.1"}, "dns_meets", true))
		}, High, "", report.StatusFail, "Applications get 10.99.0.1 for intranet.lab"},
		{"only a server this machine does not use", func() []report.Result {
			r := wrong("1.1.1.1", []string{"203.0.113.7"}, 1, true)
			r.r.Findings[0].Status, r.r.Status = report.StatusWarn, report.StatusWarn
			return results(r)
		}, Low, "", report.StatusWarn, "the servers this machine uses give the expected 10.20.0.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ruleDNSWrongAnswer(NewView(tt.results()))
			if len(got) != 1 {
				t.Fatalf("matches = %d, want 1: %+v", len(got), got)
			}
			m := got[0]
			if m.Confidence != tt.conf || m.Escalation != tt.escalation || m.Status != tt.status {
				t.Errorf("confidence, escalation, status = %s, %q, %s; want %s, %q, %s", m.Confidence, m.Escalation, m.Status, tt.conf, tt.escalation, tt.status)
			}
			if !strings.Contains(m.Headline, tt.headline) {
				t.Errorf("headline = %q, want it to contain %q", m.Headline, tt.headline)
			}
		})
	}
}

// The conclusion explains the connection to the wrong host and the
// servers' disagreement, so neither becomes a conclusion of its own.
func TestWrongAnswerExplainsItsSymptoms(t *testing.T) {
	rs := results(
		result("dns-resolve", "intranet.lab").with(t, codeDNSUnexpected, "name", "intranet.lab", "server", "10.0.0.54:53",
			"expected", "10.20.0.5", "answer", []string{"203.0.113.7"}, "matching_servers", 1, "answer_public", true),
		result("dns-consistency", "intranet.lab").with(t, codeDNSDisagree, "name", "intranet.lab"),
		result("net-tcp", "intranet.lab:443").with(t, codeTCPFiltered),
	)
	var got []string
	for _, c := range ConcludeResults(rs) {
		got = append(got, c.Code+"/"+c.Escalation)
	}
	if strings.Join(got, ",") != "cause.dns-wrong-answer/resolve-here" {
		t.Errorf("conclusions = %v, want only cause.dns-wrong-answer/resolve-here", got)
	}
}
