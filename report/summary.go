package report

// Words every job of a report says the same way: category titles and
// order, the summary line, durations and metric values. The renderers, the
// ticket note, diff and kb all use them.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

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

// FormatMetric prints a metric with the unit its name ends in.
func FormatMetric(name string, v float64) string {
	num := strconv.FormatFloat(v, 'f', -1, 64)
	if v != float64(int64(v)) {
		num = strconv.FormatFloat(v, 'f', 1, 64)
	}
	switch {
	case strings.HasSuffix(name, "_ms"):
		return num + " ms"
	case strings.HasSuffix(name, "_pct"):
		return num + " %"
	case strings.HasSuffix(name, "_bytes"):
		return humanSize(v)
	}
	return num
}

func humanSize(v float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", v)
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}
