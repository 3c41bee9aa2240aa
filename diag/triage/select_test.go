package triage

import (
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// cand builds a candidate for the selection tests: code names it, the
// indexes are the problems it explains.
func cand(code string, conf Confidence, explains ...int) candidate {
	return candidate{spec: Spec{Code: code}, conf: confRank(conf), status: report.StatusFail, explains: explains}
}

func chosenCodes(cs []candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.spec.Code)
	}
	return out
}

func TestSelectCauses(t *testing.T) {
	tests := []struct {
		name  string
		cands []candidate
		want  []string // in selection order
	}{
		{"a cause explaining its symptoms leaves them no conclusion",
			[]candidate{cand("symptom-dns", Medium, 1), cand("symptom-host", Medium, 2), cand("cause", Medium, 0, 1, 2, 3)},
			[]string{"cause"}},
		{"a candidate with something left to explain stays",
			[]candidate{cand("a", High, 0, 1, 2), cand("b", High, 2, 3)},
			[]string{"a", "b"}},
		{"more explained wins over surer",
			[]candidate{cand("sure", High, 0, 1), cand("broad", Low, 0, 1, 2)},
			[]string{"broad"}},
		{"on a tie the surer one",
			[]candidate{cand("medium", Medium, 0, 1), cand("high", High, 0, 1)},
			[]string{"high"}},
		{"on a full tie the lower layer (rule order)",
			[]candidate{cand("first", High, 0, 1), cand("second", High, 0, 1)},
			[]string{"first"}},
		{"the count is taken after earlier choices (greedy, not static)",
			// x wins the tie (surer); then big has 1 left and y 2: y first.
			[]candidate{cand("big", Medium, 0, 1, 2, 3), cand("x", High, 0, 1, 2, 4), cand("y", Low, 5, 6)},
			[]string{"x", "y", "big"}},
		{"an explanation that explains no problem is kept",
			[]candidate{cand("note", Low), cand("a", High, 0)},
			[]string{"note", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := chosenCodes(selectCauses(tt.cands, 10))
			if !slices.Equal(got, tt.want) {
				t.Fatalf("chosen = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRank(t *testing.T) {
	mk := func(code string, st report.Status, conf Confidence, bg bool, n int) candidate {
		c := cand(code, conf, make([]int, n)...)
		c.status, c.background = st, bg
		return c
	}
	cs := []candidate{
		mk("background-fail", report.StatusFail, High, true, 5),
		mk("named-warn", report.StatusWarn, High, false, 1),
		mk("named-fail-low", report.StatusFail, Low, false, 9),
		mk("named-fail-high-small", report.StatusFail, High, false, 1),
		mk("named-fail-high-big", report.StatusFail, High, false, 3),
	}
	rank(cs)
	want := []string{"named-fail-high-big", "named-fail-high-small", "named-fail-low", "named-warn", "background-fail"}
	if got := chosenCodes(cs); !slices.Equal(got, want) {
		t.Fatalf("rank = %v, want %v", got, want)
	}
}

// The user's question first: a fault of the target the user named ranks
// above a failure of the built-in background probe, even a surer one.
func TestConcludeNamedTargetFirst(t *testing.T) {
	anchor := result("net-tcp", "1.1.1.1:443").with(t, codeTCPFiltered)
	anchor.r.Background = true
	rs := append(healthy(t),
		anchor.r,
		result("net-trace", "1.1.1.1").with(t, codeTraceStops, "last_hop", "10.0.0.1").r,
		result("net-mtu", "10.0.1.10").with(t, codeMTUBlackhole, "address", "10.0.1.10", "path_mtu", 1400).r,
	)
	rs[len(rs)-2].Background = true
	got := ConcludeResults(rs)
	if c := codes(got); !slices.Equal(c, []string{"cause.mtu-blackhole", "cause.no-internet"}) {
		t.Fatalf("conclusions = %v, want the named target's first\n%s", c, dump(got))
	}
	if !strings.Contains(got[1].Headline, "1.1.1.1") {
		t.Errorf("background conclusion %q should name 1.1.1.1", got[1].Headline)
	}
}
