package report

import (
	"fmt"
	"io"
	"strings"
)

// RenderMarkdown writes the report for pasting into a ticket: status and
// counts, the likely cause, the problems with their hints, then a table per
// category.
func RenderMarkdown(w io.Writer, rep *Report, opt RenderOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## l2diag report: %s %s\n\n", statusWord(rep.Status), rep.Host.Hostname)
	fmt.Fprintf(&b, "- **Host:** %s (%s/%s)\n", mdEscape(rep.Host.Hostname), rep.Host.OS, rep.Host.Arch)
	fmt.Fprintf(&b, "- **Run:** %s, profile %s, %s %s\n", rep.StartedAt.UTC().Format("2006-01-02 15:04:05Z"), mdEscape(rep.Profile), rep.Tool.Name, rep.Tool.Version)
	fmt.Fprintf(&b, "- **Result:** %s\n", rep.SummaryLine())
	if len(rep.Conclusions) > 0 {
		b.WriteString("\n### Likely cause\n\n")
		for _, c := range rep.Conclusions {
			fmt.Fprintf(&b, "- **%s** %s\n", statusWord(c.Status), mdEscape(c.Headline))
			if c.NextStep != "" {
				fmt.Fprintf(&b, "  - Next step: %s\n", mdEscape(c.NextStep))
			}
			if c.Escalation != "" {
				fmt.Fprintf(&b, "  - Owner: `%s` (confidence %s)\n", c.Escalation, c.Confidence)
			}
		}
	}
	if probs := rep.ProblemResults(); len(probs) > 0 {
		b.WriteString("\n### Problems\n\n")
		for _, r := range probs {
			fmt.Fprintf(&b, "- **%s** `%s`: %s\n", statusWord(r.Status), r.Label(), mdEscape(r.Summary))
			for _, f := range r.Findings {
				if !f.Status.Problem() {
					continue
				}
				fmt.Fprintf(&b, "  - `%s` %s", f.Code, mdEscape(f.Message))
				if f.Hint != "" {
					fmt.Fprintf(&b, " *Hint:* %s", mdEscape(f.Hint))
				}
				b.WriteString("\n")
			}
			if r.Error != "" && r.Status == StatusError {
				fmt.Fprintf(&b, "  - Error: %s\n", mdEscape(r.Error))
			}
		}
	}
	for _, g := range rep.Grouped() {
		fmt.Fprintf(&b, "\n### %s\n\n| Status | Check | Target | Summary | Time |\n|---|---|---|---|---|\n", CategoryTitle(g.Category))
		for _, r := range g.Results {
			summary := r.Summary
			if r.Degraded {
				summary += " (degraded)"
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %dms |\n", statusWord(r.Status), r.Check, cell(r.Target), cell(summary), r.DurationMS)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func statusWord(s Status) string { return strings.ToUpper(string(s)) }

// mdEscape keeps user-controlled text from turning into Markdown markup.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`, "\n", " ")
	return r.Replace(s)
}

func cell(s string) string {
	if s == "" {
		return ""
	}
	return mdEscape(s)
}
