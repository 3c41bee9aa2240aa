package kb

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/l2diag/l2diag/report"
)

// MaxFixes is how many known fixes a conclusion shows: the best few are
// read, a long list is not.
const MaxFixes = 3

// The weights of the specificity score: a cause code is triage's whole
// verdict, a finding code one observation under it, an evidence pattern
// pins the case to one network or server, the OS narrows least.
const (
	weightCause    = 4
	weightFinding  = 3
	weightEvidence = 2
	weightOS       = 1
)

// Condition is one condition of an entry held against a conclusion.
type Condition struct {
	// What is "cause", "finding", "evidence <key>", "os" or "status".
	What string
	Want string
	Got  string
	OK   bool
}

func (c Condition) String() string {
	mark := "✓"
	if !c.OK {
		mark = "✗"
	}
	got := c.Got
	if got == "" {
		got = "none"
	}
	return fmt.Sprintf("%s %s: want %s, got %s", mark, c.What, c.Want, got)
}

// Verdict is an entry held against one conclusion: whether it matched,
// how specifically, and every condition with its outcome (for -v).
type Verdict struct {
	Entry      *Entry
	Conclusion string
	Matched    bool
	Score      int
	Conditions []Condition
}

// Explain renders the verdict as one line for -v.
func (v Verdict) Explain() string {
	parts := make([]string, len(v.Conditions))
	for i, c := range v.Conditions {
		parts[i] = c.String()
	}
	word := "does not match"
	if v.Matched {
		word = fmt.Sprintf("matches (score %d)", v.Score)
	}
	return fmt.Sprintf("%s %s %s: %s", v.Entry.ID, word, v.Conclusion, strings.Join(parts, "; "))
}

// Apply matches every conclusion of rep against the base, records the best
// MaxFixes matches on each (replacing earlier ones) and returns every
// verdict, matched or not, in a stable order for -v.
func (b *Base) Apply(rep *report.Report) []Verdict {
	var all []Verdict
	for i := range rep.Conclusions {
		c := &rep.Conclusions[i]
		vs := b.MatchConclusion(rep, c)
		all = append(all, vs...)
		c.KnownFixes = nil
		for _, v := range vs {
			if !v.Matched {
				continue
			}
			if len(c.KnownFixes) == MaxFixes {
				break
			}
			c.KnownFixes = append(c.KnownFixes, v.fix())
		}
	}
	rep.Handoff = report.BuildHandoff(rep)
	return all
}

func (v Verdict) fix() report.KnownFix {
	f := report.KnownFix{ID: v.Entry.ID, Title: v.Entry.Title, Where: v.Entry.Where(), Score: v.Score, Matched: []string{}}
	for _, c := range v.Conditions {
		if c.OK {
			f.Matched = append(f.Matched, strings.TrimSpace(c.What+" "+c.Got))
		}
	}
	return f
}

// MatchConclusion holds every entry against c: matches first, most
// specific first (score, then the narrower match block, then ID), then the
// entries that did not match, by ID.
func (b *Base) MatchConclusion(rep *report.Report, c *report.Conclusion) []Verdict {
	cited := citedFindings(rep, c)
	out := make([]Verdict, 0, len(b.Entries))
	for _, e := range b.Entries {
		out = append(out, matchEntry(e, c, cited, rep.Host.OS))
	}
	slices.SortStableFunc(out, func(a, b Verdict) int {
		if a.Matched != b.Matched {
			if a.Matched {
				return -1
			}
			return 1
		}
		if d := b.Score - a.Score; d != 0 && a.Matched {
			return d
		}
		if d := a.Entry.Match.breadth() - b.Entry.Match.breadth(); d != 0 && a.Matched {
			return d
		}
		return strings.Compare(a.Entry.ID, b.Entry.ID)
	})
	return out
}

// breadth counts the alternatives an entry accepts: of two entries with the
// same score, the one naming fewer codes and patterns is more specific.
func (m Match) breadth() int {
	n := len(m.Causes) + len(m.Findings) + len(m.OS)
	for _, ps := range m.Evidence {
		n += len(ps)
	}
	return n
}

// citedFindings are the findings a conclusion cites as evidence, looked up
// in the report by their "code (check target)" reference. A conclusion that
// cites none that way (watch's verdict cites events) rests on every problem
// finding of the report.
func citedFindings(rep *report.Report, c *report.Conclusion) []report.Finding {
	if out := referencedFindings(rep, c); len(out) > 0 {
		return out
	}
	var out []report.Finding
	for _, r := range rep.Results {
		for _, f := range r.Findings {
			if f.Status.Problem() {
				out = append(out, f)
			}
		}
	}
	return out
}

func referencedFindings(rep *report.Report, c *report.Conclusion) []report.Finding {
	byLabel := map[string]*report.Result{}
	for i := range rep.Results {
		r := &rep.Results[i]
		byLabel[r.Label()] = r
	}
	var out []report.Finding
	for _, ref := range c.Evidence {
		code, label, ok := strings.Cut(ref, " (")
		if !ok {
			continue
		}
		r := byLabel[strings.TrimSuffix(label, ")")]
		if r == nil {
			continue
		}
		for _, f := range r.Findings {
			if f.Code == code {
				out = append(out, f)
			}
		}
	}
	return out
}

func matchEntry(e *Entry, c *report.Conclusion, cited []report.Finding, hostOS string) Verdict {
	v := Verdict{Entry: e, Conclusion: c.Code, Matched: true}
	add := func(cond Condition, weight int) {
		v.Conditions = append(v.Conditions, cond)
		if cond.OK {
			v.Score += weight
		} else {
			v.Matched = false
		}
	}
	if !e.Live() {
		add(Condition{What: "status", Want: StatusPublished, Got: e.Status}, 0)
	}
	m := e.Match
	if len(m.Causes) > 0 {
		add(Condition{What: "cause", Want: strings.Join(m.Causes, " or "), Got: c.Code, OK: slices.Contains(m.Causes, c.Code)}, weightCause)
	}
	// Evidence patterns look at the findings the entry names, or at every
	// cited finding when it names none.
	relevant := cited
	if len(m.Findings) > 0 {
		relevant = nil
		var codes []string
		for _, f := range cited {
			if !slices.Contains(codes, f.Code) {
				codes = append(codes, f.Code)
			}
			if slices.Contains(m.Findings, f.Code) {
				relevant = append(relevant, f)
			}
		}
		got := strings.Join(codes, ", ")
		if len(relevant) > 0 {
			got = relevant[0].Code
		}
		add(Condition{What: "finding", Want: strings.Join(m.Findings, " or "), Got: got, OK: len(relevant) > 0}, weightFinding)
	}
	keys := make([]string, 0, len(m.Evidence))
	for k := range m.Evidence {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		add(evidenceCondition(k, m.Evidence[k], relevant), weightEvidence)
	}
	if len(m.OS) > 0 {
		add(Condition{What: "os", Want: strings.Join(m.OS, " or "), Got: hostOS, OK: slices.Contains(m.OS, hostOS)}, weightOS)
	}
	if !v.Matched {
		v.Score = 0
	}
	return v
}

// evidenceCondition holds when some relevant finding has the key with a
// value (or, for a list, an element) matching one of the patterns.
func evidenceCondition(key string, pats Patterns, findings []report.Finding) Condition {
	cond := Condition{What: "evidence " + key, Want: strings.Join(pats, " or ")}
	var seen []string
	for _, f := range findings {
		val, ok := f.Evidence[key]
		if !ok || val == nil {
			continue
		}
		for _, s := range values(val) {
			if !slices.Contains(seen, s) {
				seen = append(seen, s)
			}
			for _, p := range pats {
				if Glob(p, s) {
					cond.OK, cond.Got = true, key+"="+s
					return cond
				}
			}
		}
	}
	cond.What = "evidence " + key
	if len(seen) > 0 {
		cond.Got = strings.Join(seen[:min(len(seen), 3)], ", ")
	}
	return cond
}

// values flattens an evidence value to the strings patterns are held
// against: a list gives its elements, anything else its printed form.
func values(v any) []string {
	switch t := v.(type) {
	case []any:
		var out []string
		for _, x := range t {
			out = append(out, values(x)...)
		}
		return out
	case []string:
		return t
	case string:
		return []string{t}
	case float64:
		return []string{strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", t), "0"), ".")}
	}
	return []string{fmt.Sprint(v)}
}

// Glob reports whether s matches pattern, ignoring case: * is any run of
// characters (slashes and dots included: values are addresses, paths and
// names, not file names), ? is one character, everything else is literal.
func Glob(pattern, s string) bool {
	re, ok := globCache.Load(pattern)
	if !ok {
		re, _ = globCache.LoadOrStore(pattern, compileGlob(pattern))
	}
	return re.(*regexp.Regexp).MatchString(s)
}

// globCache holds compiled patterns: a KB has few distinct ones, and every
// conclusion of every run is held against them.
var globCache sync.Map

func compileGlob(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?is)^")
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
