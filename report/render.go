package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Format is an output format of the report.
type Format string

// The output formats `--output` accepts.
const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
)

// ParseFormat accepts text, json or markdown.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case FormatText, FormatJSON, FormatMarkdown:
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown output format %q (use text, json or markdown)", s)
}

// RenderOptions tune the human renderers.
type RenderOptions struct {
	Color bool
	// ASCII replaces the status marks with words ([ok] [FAIL] [warn]) and
	// other non-ASCII text with look-alikes, for consoles and redirections
	// that cannot show UTF-8 (Windows PowerShell 5.1, legacy code pages).
	ASCII bool
	// Verbose shows every finding, also those of ok results.
	Verbose bool
}

// Render writes rep in format f.
func Render(w io.Writer, rep *Report, f Format, opt RenderOptions) error {
	switch f {
	case FormatJSON:
		return RenderJSON(w, rep)
	case FormatMarkdown:
		return RenderMarkdown(w, rep, opt)
	default:
		return RenderText(w, rep, opt)
	}
}

// RenderJSON writes the schema-1 JSON report, indented, with a newline.
func RenderJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// CategoryTitle is the heading a category gets in human reports.
func CategoryTitle(c string) string {
	switch c {
	case "net":
		return "Network"
	case "dns":
		return "DNS"
	case "host":
		return "Host"
	case "perm":
		return "Permissions"
	case "org":
		return "Organisation (domain, VPN, Wi-Fi)"
	}
	return c
}

var categoryOrder = []string{"net", "dns", "host", "perm", "org"}

// Grouped returns the results grouped by category in report order; within
// a category they keep the order the runner produced.
func (rep *Report) Grouped() []Group {
	idx := map[string]int{}
	var groups []Group
	for _, c := range categoryOrder {
		idx[c] = len(groups)
		groups = append(groups, Group{Category: c})
	}
	for _, r := range rep.Results {
		i, ok := idx[r.Category]
		if !ok {
			idx[r.Category] = len(groups)
			i = len(groups)
			groups = append(groups, Group{Category: r.Category})
		}
		groups[i].Results = append(groups[i].Results, r)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Results) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// Group is one category's results.
type Group struct {
	Category string
	Results  []Result
}

// ProblemResults returns the results needing attention, worst first.
func (rep *Report) ProblemResults() []Result {
	var out []Result
	for _, r := range rep.Results {
		if r.Status.Problem() {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Status.Severity() > out[j].Status.Severity() })
	return out
}

// Label is "check target" or "check" when the target is empty.
func (r *Result) Label() string {
	if r.Target == "" {
		return r.Check
	}
	return r.Check + " " + r.Target
}

// SummaryLine is the last line of a human report: problems, checks,
// skipped and degraded checks, and the wall time.
func (rep *Report) SummaryLine() string {
	n := len(rep.Results)
	p := rep.Problems()
	head := plural(p, "problem") + " in " + plural(n, "check")
	if p == 0 {
		head = "no problem in " + plural(n, "check")
	}
	parts := []string{head}
	if k := rep.Summary[StatusSkipped]; k > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", k))
	}
	if d := rep.Degraded(); d > 0 {
		parts = append(parts, fmt.Sprintf("%d with less privilege", d))
	}
	if rep.BudgetCut > 0 {
		parts = append(parts, fmt.Sprintf("%d cut by the time budget", rep.BudgetCut))
	}
	parts = append(parts, FormatDuration(time.Duration(rep.DurationMS)*time.Millisecond))
	s := strings.Join(parts, " · ")
	if rep.Interrupted {
		s += " · interrupted"
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// FormatDuration prints a wall time the way people read it: 850ms, 2.3s.
func FormatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// EvidenceLine joins a conclusion's evidence references ("check target:
// code"), at most max of them, saying how many more there are.
func EvidenceLine(refs []string, max int) string {
	if len(refs) <= max {
		return strings.Join(refs, "; ")
	}
	return strings.Join(refs[:max], "; ") + fmt.Sprintf("; and %d more", len(refs)-max)
}
