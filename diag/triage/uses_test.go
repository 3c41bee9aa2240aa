package triage

import (
	"slices"
	"testing"

	"github.com/l2diag/l2diag/diag/registry"
	"github.com/l2diag/l2diag/report"
)

// TestUsesMatchesReads fails when a rule's Uses and the codes its Match
// looks up (View.Find and View.All) drift apart. A code in Uses the rule
// never reads makes the coverage test believe a finding is handled; a
// code read but not in Uses escapes TestCodesRegistered when it is
// renamed. The rule runs on an empty report and on one with a finding
// of every registered code, so reads behind a first match are seen too.
func TestUsesMatchesReads(t *testing.T) {
	var every []report.Result
	for _, f := range registry.Findings() {
		r := report.Result{Check: "any", Category: "net", Target: "example.com:443"}
		r.AddFinding(report.Finding{Code: f.Code, Status: f.Status, Message: f.Meaning})
		every = append(every, r)
	}
	for _, r := range rules {
		t.Run(r.Spec.Code, func(t *testing.T) {
			read := map[string]bool{}
			for _, rs := range [][]report.Result{nil, every} {
				v := NewView(rs)
				v.read = read
				r.Match(v)
			}
			for c := range read {
				if !slices.Contains(r.Uses, c) {
					t.Errorf("reads %s, which its Uses does not list", c)
				}
			}
			for _, c := range r.Uses {
				// A rule may test o.Code inside Where: then a finding
				// of c alone, from any check, must make it match.
				if !read[c] && len(r.Match(NewView(onEveryCheck(c)))) == 0 {
					t.Errorf("Uses lists %s, which Match neither looks up nor acts on", c)
				}
			}
		})
	}
}

// onEveryCheck is one result per registered check carrying a finding of
// code: rules that test o.Code inside Where often also test o.Check.
func onEveryCheck(code string) []report.Result {
	var out []report.Result
	for _, s := range registry.Specs() {
		// An address: DNS rules name the server by its target.
		r := report.Result{Check: s.ID, Category: string(s.Category), Target: "192.0.2.53"}
		r.AddFinding(report.Finding{Code: code, Status: report.StatusFail})
		out = append(out, r)
	}
	return out
}
