// Package triage reads the results of a run and draws conclusions: the
// likely cause, the findings that support it, a confidence, the next step
// and who owns the fix.
//
// Rules (rules.go, one small function each) propose candidate causes over
// a View of every finding, each with the problem findings it explains,
// across layers: a gateway that is down explains every check beyond it, a
// wrong DNS answer explains the unreachable host that name points at. A
// selection step (select.go) then picks the smallest set of candidates
// that explains the problems, preferring those that explain more and are
// surer; a symptom whose cause is selected never becomes a conclusion of
// its own. Ranking puts what the user asked about first. docs/triage.md
// documents the rules, the selection and the ranking.
package triage

import (
	"slices"
	"strings"

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
	// Match looks at the findings and returns one match per candidate
	// cause (none when it does not apply).
	Match func(v *View) []Match
}

// Match is one candidate cause a rule proposes.
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
	// Explains marks further problem findings as consequences.
	Explains func(Obs) bool
	// Hosts, when set, limits Explains to the observations about these
	// hosts: an index lookup instead of a pass over every problem, which
	// keeps per-host rules linear.
	Hosts []string
}

// Conclude draws the conclusions of a report's results, in rank order
// (see rank). A healthy report yields none.
func Conclude(rep *report.Report) []report.Conclusion {
	return ConcludeResults(rep.Results)
}

// ConcludeResults is Conclude over bare results.
func ConcludeResults(results []report.Result) []report.Conclusion {
	v := NewView(results)
	var cands []candidate
	for i, r := range rules {
		for j, m := range r.Match(v) {
			cands = append(cands, newCandidate(v, r.Spec, m, i, j))
		}
	}
	chosen := selectCauses(cands, len(v.obs))
	for _, c := range chosen {
		for _, i := range c.explains {
			v.explained[i] = true
		}
	}
	rank(chosen)
	if len(chosen) == 0 {
		return nil
	}
	cs := make([]report.Conclusion, 0, len(chosen))
	for _, c := range chosen {
		rc := c.spec.conclusion(c.m)
		rc.Explains = v.fullyExplained(v.pick(slices.Clone(c.explains)))
		rc.Detail = detail(c.m.Evidence)
		cs = append(cs, rc)
	}
	return cs
}

// newCandidate resolves what a match explains: its problem evidence and
// the problems its Explains predicate claims.
func newCandidate(v *View, s Spec, m Match, rule, order int) candidate {
	c := candidate{spec: s, m: m, rule: rule, order: order, conf: confRank(m.Confidence), status: s.Status}
	if m.Status != "" {
		c.status = m.Status
	}
	seen := map[int]bool{}
	add := func(o Obs) {
		if o.Problem() && !seen[o.i] {
			seen[o.i] = true
			c.explains = append(c.explains, o.i)
		}
	}
	c.background = len(m.Evidence) > 0
	for _, o := range m.Evidence {
		add(o)
		c.background = c.background && o.Background()
	}
	if m.Explains != nil {
		scope := v.obs
		if len(m.Hosts) > 0 {
			scope = v.OnHosts(m.Hosts...)
		}
		for _, o := range scope {
			if o.Problem() && m.Explains(o) {
				add(o)
			}
		}
	}
	return c
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

// maxDetails caps the evidence briefs a conclusion shows: one line.
const maxDetails = 2

// detail is the evidence the conclusion's words refer to, in brief: the
// first distinct briefs of its findings (report.EvidenceBrief).
func detail(ev []Obs) string {
	var out []string
	for _, o := range ev {
		if o.Finding == nil {
			continue
		}
		if s := report.EvidenceBrief(*o.Finding); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
			if len(out) == maxDetails {
				break
			}
		}
	}
	return strings.Join(out, " · ")
}
