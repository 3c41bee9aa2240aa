// Package triage reads the results of a run and draws conclusions: the
// likely cause, the findings that support it, a confidence, the next step
// and who owns the fix. It reasons along the layers (link, gateway, DNS,
// path, proxy and TLS, service, host, permissions): rules run from the
// lowest layer up, and a conclusion marks the findings it explains, so a
// symptom above a broken layer never becomes a conclusion of its own.
//
// The rules are a table (rules.go); each is a small function over a View
// of the results, testable on its own. docs/triage.md documents them.
package triage

import (
	"slices"

	"github.com/l2diag/l2diag/report"
)

// maxEvidence caps the findings a conclusion cites: the first ones carry
// the argument, the rest are in the report below it.
const maxEvidence = 12

// Rule draws one kind of conclusion.
type Rule struct {
	Spec Spec
	// Uses lists the finding codes the rule reads; a test checks every
	// problem code of the checks is used by some rule or deliberately left
	// to others (ignored.go).
	Uses []string
	// Match looks at the findings no earlier rule explains and returns one
	// match per conclusion to draw (none when it does not apply).
	Match func(v *View) []Match
}

// Match is one conclusion a rule draws.
type Match struct {
	Headline   string
	Confidence Confidence
	// NextStep overrides the spec's Fix when the rule knows better.
	NextStep string
	// Escalation overrides the spec's when the evidence points elsewhere.
	Escalation Escalation
	// Status overrides the spec's (a loss of 40% is worse than 3%).
	Status report.Status
	// Evidence are the findings that support the conclusion; they count as
	// explained.
	Evidence []Obs
	// Cites are corroborating observations (proof a host answers): cited
	// after the evidence but not explained, since they may be problems of
	// their own.
	Cites []Obs
	// Explains marks further problem findings as consequences: later rules
	// do not see them.
	Explains func(Obs) bool
}

// Conclude draws the conclusions of a report's results, most severe first
// and, within a severity, lowest layer first. A healthy report yields none.
func Conclude(rep *report.Report) []report.Conclusion {
	return ConcludeResults(rep.Results)
}

// ConcludeResults is Conclude over bare results.
func ConcludeResults(results []report.Result) []report.Conclusion {
	v := NewView(results)
	type ranked struct {
		c     report.Conclusion
		order int
	}
	var out []ranked
	var byConclusion [][]Obs // what each conclusion explained, in out's order
	for i, r := range rules {
		for _, m := range r.Match(v) {
			var mine []Obs
			for _, o := range m.Evidence {
				v.explain(o)
				mine = append(mine, o)
			}
			if m.Explains != nil {
				for _, o := range v.Problems() {
					if m.Explains(o) {
						v.explain(o)
						mine = append(mine, o)
					}
				}
			}
			out = append(out, ranked{c: r.Spec.conclusion(m), order: i})
			byConclusion = append(byConclusion, mine)
		}
	}
	for i := range out {
		out[i].c.Explains = v.fullyExplained(byConclusion[i])
	}
	slices.SortStableFunc(out, func(a, b ranked) int {
		if d := b.c.Status.Severity() - a.c.Status.Severity(); d != 0 {
			return d
		}
		return a.order - b.order
	})
	cs := make([]report.Conclusion, 0, len(out))
	for _, r := range out {
		cs = append(cs, r.c)
	}
	if len(cs) == 0 {
		return nil
	}
	return cs
}

func (s Spec) conclusion(m Match) report.Conclusion {
	c := report.Conclusion{
		Code:       s.Code,
		Status:     s.Status,
		Headline:   m.Headline,
		Confidence: string(m.Confidence),
		NextStep:   s.Fix,
		Escalation: string(s.Escalation),
		Evidence:   []string{},
	}
	if m.Status != "" {
		c.Status = m.Status
	}
	if m.NextStep != "" {
		c.NextStep = m.NextStep
	}
	if m.Escalation != "" {
		c.Escalation = string(m.Escalation)
	}
	if c.Confidence == "" {
		c.Confidence = string(Medium)
	}
	if c.Headline == "" {
		c.Headline = s.Title
	}
	for _, o := range append(slices.Clip(m.Evidence), m.Cites...) {
		ref := o.Ref()
		if !slices.Contains(c.Evidence, ref) {
			c.Evidence = append(c.Evidence, ref)
		}
		if len(c.Evidence) == maxEvidence {
			break
		}
	}
	return c
}
