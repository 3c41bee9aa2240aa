package report

import (
	"fmt"
	"strings"
)

// resolveHere is the escalation of a fix the technician makes on this
// machine (triage.ResolveHere; report imports no triage, and the value is
// a contract that never changes).
const resolveHere = "resolve-here"

// Handoff is the note for the team a case goes to (3rd level, network,
// DNS, application owners): who should take it, what was checked, what was
// ruled out, which known fixes matched, and where the evidence is, so they
// need not ask 1st or 2nd level again.
type Handoff struct {
	// Owners are the conclusions that leave this desk, worst first.
	Owners []HandoffOwner `json:"owners"`
	// Checked says per category how many checks ran and how many found a
	// problem ("Network: 12 checks, 3 with problems").
	Checked []string `json:"checked"`
	// RuledOut are the categories whose every check passed.
	RuledOut []string `json:"ruled_out"`
	// KnownFixes are the entries matched ("KB-DNS-007 — title (where)"),
	// already shown to the technician: tried, or not applicable.
	KnownFixes []string `json:"known_fixes,omitempty"`
	// Evidence says where the evidence is.
	Evidence string `json:"evidence"`
}

// HandoffOwner is one conclusion to hand over.
type HandoffOwner struct {
	Owner    string `json:"owner"`
	Cause    string `json:"cause"`
	Headline string `json:"headline"`
	// Evidence are the first findings it rests on.
	Evidence []string `json:"evidence,omitempty"`
}

// handoffEvidenceRefs caps the findings cited per owner: the rest are in
// the bundle.
const handoffEvidenceRefs = 3

// BuildHandoff derives the hand-off note from the report, or nil when every
// problem conclusion can be fixed here (or there is none).
func BuildHandoff(rep *Report) *Handoff {
	// ruled_out is an array in the schema even when nothing is ruled out.
	h := &Handoff{RuledOut: []string{}}
	seenFix := map[string]bool{}
	for _, c := range rep.Conclusions {
		if c.Escalation == "" || c.Escalation == resolveHere || !c.Status.Problem() {
			continue
		}
		o := HandoffOwner{Owner: c.Escalation, Cause: c.Code, Headline: c.Headline}
		o.Evidence = c.Evidence[:min(len(c.Evidence), handoffEvidenceRefs)]
		h.Owners = append(h.Owners, o)
		for _, f := range c.KnownFixes {
			if !seenFix[f.ID] {
				seenFix[f.ID] = true
				h.KnownFixes = append(h.KnownFixes, f.Line())
			}
		}
	}
	if len(h.Owners) == 0 {
		return nil
	}
	for _, g := range rep.Grouped() {
		problems, ok := 0, 0
		for _, r := range g.Results {
			if r.Status.Problem() {
				problems++
			}
			if r.Status == StatusOK {
				ok++
			}
		}
		line := fmt.Sprintf("%s: %s", CategoryTitle(g.Category), plural(len(g.Results), "check"))
		if problems > 0 {
			line += fmt.Sprintf(", %d with problems", problems)
		}
		h.Checked = append(h.Checked, line)
		if problems == 0 && ok > 0 {
			h.RuledOut = append(h.RuledOut, CategoryTitle(g.Category))
		}
	}
	h.Evidence = "the l2diag bundle of this run: report.json (every check, finding and measurement), report.html, raw/ (configuration and command output the checks read), l2diag.log"
	return h
}

// Lines renders the hand-off as plain lines (text report, ticket comments);
// the caller adds the heading and indentation.
func (h *Handoff) Lines() []string {
	var out []string
	for _, o := range h.Owners {
		l := fmt.Sprintf("Take it: %s — %s (%s)", o.Owner, o.Headline, o.Cause)
		if len(o.Evidence) > 0 {
			l += "; evidence: " + strings.Join(o.Evidence, "; ")
		}
		out = append(out, l)
	}
	out = append(out, "Checked: "+strings.Join(h.Checked, "; "))
	ruled := "nothing (no category passed every check)"
	if len(h.RuledOut) > 0 {
		ruled = strings.Join(h.RuledOut, ", ") + " (every check passed)"
	}
	out = append(out, "Ruled out: "+ruled)
	fixes := "none in the knowledge base"
	if len(h.KnownFixes) > 0 {
		fixes = strings.Join(h.KnownFixes, "; ")
	}
	out = append(out, "Known fixes matched: "+fixes)
	out = append(out, "Evidence: "+h.Evidence)
	return out
}

// Line is the one-line form of a known fix: "KB-DNS-007 — title (where)".
func (f KnownFix) Line() string {
	return fmt.Sprintf("%s — %s (%s)", f.ID, f.Title, f.Where)
}

// Line is the one-line form of a solved ticket: "KEY (kind, resolved
// date): title — resolution".
func (t SolvedTicket) Line() string {
	s := t.Key
	var tags []string
	if t.Kind != "" {
		tags = append(tags, t.Kind)
	}
	if !t.ResolvedAt.IsZero() {
		tags = append(tags, "resolved "+t.ResolvedAt.UTC().Format("2006-01-02"))
	}
	if len(tags) > 0 {
		s += " (" + strings.Join(tags, ", ") + ")"
	}
	s += ": " + t.Title
	if t.Resolution != "" {
		s += " — " + t.Resolution
	}
	if t.URL != "" {
		s += " " + t.URL
	}
	return s
}
