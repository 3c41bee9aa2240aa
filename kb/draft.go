package kb

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/report"
	"go.yaml.in/yaml/v3"
)

// draftMarker stands where the fix goes in a drafted entry; `kb check`
// refuses a published entry that still contains it.
const draftMarker = "TODO(kb)"

// maxDraftEvidence caps the evidence suggestions of a draft: a few
// distinctive values, not the whole finding.
const maxDraftEvidence = 6

// DraftOptions choose what `kb new` drafts from.
type DraftOptions struct {
	// ID of the new entry; empty derives one from the cause code.
	ID string
	// Cause picks the conclusion; empty takes the first (the likely cause).
	Cause string
	// Source names the bundle in the draft's case note.
	Source string
}

// Draft writes a new entry (status: draft) from a solved case: the match
// block comes from the conclusion and its evidence, the fix is left for the
// technician. Evidence values are suggested as comments: an exact address
// rarely recurs, a pattern the technician chooses does.
func Draft(rep *report.Report, o DraftOptions) ([]byte, error) {
	if len(rep.Conclusions) == 0 {
		return nil, fmt.Errorf("kb: the report draws no conclusion; a known fix needs a cause to match (try a bundle of a failing run)")
	}
	c := rep.Conclusions[0]
	if o.Cause != "" {
		i := slices.IndexFunc(rep.Conclusions, func(c report.Conclusion) bool { return c.Code == o.Cause })
		if i < 0 {
			codes := make([]string, len(rep.Conclusions))
			for i, c := range rep.Conclusions {
				codes[i] = c.Code
			}
			return nil, fmt.Errorf("kb: the report has no conclusion %s (it has %s)", o.Cause, strings.Join(codes, ", "))
		}
		c = rep.Conclusions[i]
	}
	id := o.ID
	if id == "" {
		id = "KB-" + strings.ToUpper(strings.TrimPrefix(c.Code, "cause."))
	}
	if !idPattern.MatchString(id) {
		return nil, fmt.Errorf("kb: %q is not an ID (letters, digits, . _ -, e.g. KB-DNS-007)", id)
	}
	cited := citedFindings(rep, &c)
	var findings []string
	for _, f := range cited {
		if !slices.Contains(findings, f.Code) {
			findings = append(findings, f.Code)
		}
	}
	slices.Sort(findings)
	e := Entry{ID: id, Title: c.Headline, Status: StatusDraft, Match: Match{Causes: []string{c.Code}, Findings: findings, OS: []string{rep.Host.OS}}}
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(e); err != nil {
		return nil, fmt.Errorf("kb: encode draft: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("kb: encode draft: %w", err)
	}
	if ev := evidenceSuggestions(cited); len(ev) > 0 {
		b.WriteString("# To narrow the match to cases like this one, move these under match:\n")
		b.WriteString("# and widen exact values to patterns (10.8.0.1 -> \"10.8.*\").\n")
		b.WriteString("#  evidence:\n")
		for _, l := range ev {
			b.WriteString("#    " + l + "\n")
		}
	}
	b.WriteString("# Set status: published (or remove it) once the fix below is written.\n---\n")
	fmt.Fprintf(&b, "## Symptom\n\n%s\n\n", c.Headline)
	fmt.Fprintf(&b, "## Fix\n\n%s: write the steps that solved it, one per line, with the commands to run.\n\n", draftMarker)
	if c.NextStep != "" {
		fmt.Fprintf(&b, "l2diag suggested: %s\n\n", c.NextStep)
	}
	b.WriteString("## Case\n\n")
	if o.Source != "" {
		fmt.Fprintf(&b, "Drafted from %s", o.Source)
	} else {
		b.WriteString("Drafted from an l2diag report")
	}
	fmt.Fprintf(&b, " (%s, %s/%s, %s).\n", rep.StartedAt.UTC().Format("2006-01-02"), rep.Host.OS, rep.Host.Arch, strings.TrimSpace(rep.Tool.Name+" "+rep.Tool.Version))
	if len(c.Evidence) > 0 {
		b.WriteString("Evidence: " + report.EvidenceLine(c.Evidence, 5) + "\n")
	}
	return b.Bytes(), nil
}

// evidenceSuggestions lists "key: "value"" lines of the cited findings'
// short scalar evidence, in a stable order.
func evidenceSuggestions(cited []report.Finding) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range cited {
		keys := make([]string, 0, len(f.Evidence))
		for k := range f.Evidence {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			vs := values(f.Evidence[k])
			if seen[k] || len(vs) != 1 || len(vs[0]) > 80 || vs[0] == "" || !keyPattern.MatchString(k) {
				continue
			}
			seen[k] = true
			q, _ := yaml.Marshal(vs[0])
			out = append(out, fmt.Sprintf("%s: %s", k, strings.TrimSpace(string(q))))
			if len(out) == maxDraftEvidence {
				return out
			}
		}
	}
	return out
}
