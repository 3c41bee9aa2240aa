package kb

import (
	"fmt"
	"slices"
	"strings"
)

// Catalog is what l2diag knows about its codes, for `kb check`: the
// conclusion codes triage draws and the finding codes checks emit with the
// evidence keys each declares.
type Catalog struct {
	Causes map[string]bool
	// Findings maps each finding code to its declared evidence keys; a nil
	// list means the finding declares none yet (its keys cannot be
	// verified, which is a warning, not an error).
	Findings map[string][]string
}

// Check validates a loaded base against the catalog: codes that exist,
// evidence keys the findings declare, conflicts between entries, and
// published entries without a fix. The load's own problems (malformed
// entries, duplicate IDs, unreadable files) come first.
func (b *Base) Check(cat Catalog) []Problem {
	out := slices.Clone(b.Problems)
	byCond := map[string]*Entry{}
	for _, e := range b.Entries {
		bad := func(format string, args ...any) {
			out = append(out, Problem{Source: e.Source, Msg: fmt.Sprintf(format, args...)})
		}
		warn := func(format string, args ...any) {
			out = append(out, Problem{Source: e.Source, Msg: fmt.Sprintf(format, args...), Warning: true})
		}
		m := e.Match
		for _, c := range m.Causes {
			if !cat.Causes[c] {
				bad("match.causes: %s is not a cause l2diag draws (see `l2diag explain`; was it renamed?)", c)
			}
		}
		for _, f := range m.Findings {
			if _, ok := cat.Findings[f]; !ok {
				bad("match.findings: %s is not a finding code of l2diag (see `l2diag explain`; was it renamed?)", f)
			}
		}
		checkEvidenceKeys(e, cat, bad, warn)
		if e.Live() && e.Body == "" {
			bad("the entry has no fix below the front matter (write the steps, or set status: draft)")
		}
		if e.Live() && strings.Contains(e.Body, draftMarker) {
			bad("the fix is still the draft placeholder (write the steps, or set status: draft)")
		}
		if !e.Live() {
			continue
		}
		key := m.conditionKey()
		if other, ok := byCond[key]; ok {
			warn("matches exactly the same cases as %s (%s): both are shown, ranked by ID; merge them or make one more specific", other.ID, other.Source)
			continue
		}
		byCond[key] = e
	}
	return out
}

// checkEvidenceKeys verifies that every evidence key an entry uses is
// declared by a finding it could apply to: those it names, else those of
// any finding (a cause cites findings of several kinds).
func checkEvidenceKeys(e *Entry, cat Catalog, bad, warn func(string, ...any)) {
	if len(e.Match.Evidence) == 0 {
		return
	}
	codes := e.Match.Findings
	if len(codes) == 0 {
		for c := range cat.Findings {
			codes = append(codes, c)
		}
	}
	keys := make([]string, 0, len(e.Match.Evidence))
	for k := range e.Match.Evidence {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		declared, undeclared := false, 0
		for _, c := range codes {
			ks, ok := cat.Findings[c]
			if !ok {
				continue
			}
			if ks == nil {
				undeclared++
			}
			if slices.Contains(ks, k) {
				declared = true
			}
		}
		switch {
		case declared:
		case undeclared > 0:
			warn("match.evidence.%s: cannot be verified (the findings it applies to declare no evidence keys yet)", k)
		default:
			bad("match.evidence.%s: no finding it applies to declares this key (see `l2diag explain CODE` for the keys)", k)
		}
	}
}

// Errors counts the problems that are not warnings.
func Errors(ps []Problem) int {
	n := 0
	for _, p := range ps {
		if !p.Warning {
			n++
		}
	}
	return n
}
