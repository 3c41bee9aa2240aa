package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// Markdown writes the report for pasting into a ticket: status and
// counts, the likely cause, the problems with their hints, then a table per
// category.
func Markdown(w io.Writer, rep *report.Report, opt Options) error {
	v := NewView(rep, opt)
	var b strings.Builder
	fmt.Fprintf(&b, "## l2diag report: %s %s\n\n", statusWord(v.Status), mdEscape(v.Host.Hostname))
	for _, l := range v.Intake {
		label, val, _ := strings.Cut(l, ": ")
		fmt.Fprintf(&b, "- **%s:** %s\n", label, mdEscape(val))
	}
	if len(v.Intake) > 0 {
		b.WriteString("\n")
	}
	if v.TellUser != "" {
		fmt.Fprintf(&b, "**What to tell the user:** %s\n\n", mdEscape(v.TellUser))
	}
	fmt.Fprintf(&b, "- **Host:** %s (%s/%s)\n", mdEscape(v.Host.Hostname), v.Host.OS, v.Host.Arch)
	fmt.Fprintf(&b, "- **Run:** %s, profile %s, %s\n", v.Started, mdEscape(v.Profile), v.Tool)
	fmt.Fprintf(&b, "- **Result:** %s\n", v.SummaryLine)
	if len(v.Conclusions) > 0 {
		b.WriteString("\n### Likely cause\n\n")
		for _, c := range v.Conclusions {
			fmt.Fprintf(&b, "- **%s** %s\n", statusWord(c.Status), mdEscape(c.Headline))
			if c.NextStep != "" {
				fmt.Fprintf(&b, "  - Next step: %s\n", mdHint(c.NextStep))
			}
			if c.Escalation != "" {
				fmt.Fprintf(&b, "  - Who should fix it: %s · confidence %s · `%s`\n", report.OwnerLabel(c.Escalation), c.Confidence, c.Code)
			}
			if len(c.Evidence) > 0 {
				fmt.Fprintf(&b, "  - Evidence: %s\n", mdEscape(report.EvidenceLine(c.Evidence, 5)))
			}
			if c.Detail != "" {
				fmt.Fprintf(&b, "  - Seen: %s\n", mdEscape(c.Detail))
			}
			for _, f := range c.KnownFixes {
				fmt.Fprintf(&b, "  - **Known fix:** %s — %s (%s)\n", mdEscape(f.ID), mdEscape(f.Title), mdWhere(f.Where))
			}
			for _, t := range c.SolvedTickets {
				fmt.Fprintf(&b, "  - Solved before: %s\n", mdEscape(t.Line()))
			}
		}
	}
	if len(v.Problems) > 0 || len(v.Consequences) > 0 {
		b.WriteString("\n### Problems\n\n")
		if len(v.Consequences) > 0 {
			codes := make([]string, len(v.Consequences))
			for i, l := range v.Consequences {
				codes[i] = "`" + mdCode(l) + "`"
			}
			fmt.Fprintf(&b, "- Explained by the likely cause above (details in the tables below): %s\n", strings.Join(codes, ", "))
		}
		for _, r := range v.Problems {
			fmt.Fprintf(&b, "- **%s** `%s`: %s\n", statusWord(r.Status), mdCode(r.Label), mdEscape(r.Summary))
			for _, f := range r.Findings {
				fmt.Fprintf(&b, "  - `%s` %s", f.Code, mdEscape(f.Message))
				if f.Hint != "" {
					fmt.Fprintf(&b, " *Hint:* %s", mdHint(f.Hint))
				}
				if s := report.EvidenceBrief(f); s != "" {
					fmt.Fprintf(&b, " *Seen:* %s", mdEscape(s))
				}
				b.WriteString("\n")
			}
			if r.Error != "" {
				fmt.Fprintf(&b, "  - Error: %s\n", mdEscape(r.Error))
			}
		}
	}
	for _, g := range v.Groups {
		fmt.Fprintf(&b, "\n### %s\n\n| Status | Check | Target | Summary | Time |\n|---|---|---|---|---|\n", g.Title)
		for _, r := range g.Results {
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %dms |\n", statusWord(r.Status), r.Check, cell(r.Target), cell(r.Summary), r.DurMS)
		}
	}
	if v.Handoff != nil {
		b.WriteString("\n### Hand-off\n\n")
		for _, l := range v.Handoff.Lines() {
			fmt.Fprintf(&b, "- %s\n", mdEscape(l))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdWhere links a known fix's URL, or shows its file path as code.
func mdWhere(where string) string {
	if strings.HasPrefix(where, "https://") || strings.HasPrefix(where, "http://") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20").Replace(where) + ">"
	}
	return "`" + mdCode(where) + "`"
}

// mdCode keeps a backtick in a label from ending its code span.
func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }

func statusWord(s report.Status) string { return strings.ToUpper(string(s)) }

// mdEscaper is built once: a Replacer builds its lookup tables on first
// use, which per call cost more than the escaping (75 MB for a 2000-name
// report).
var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`, "\n", " ")

// mdEscape keeps user-controlled text from turning into Markdown markup.
func mdEscape(s string) string { return mdEscaper.Replace(s) }

// mdHint escapes a hint but keeps its `code spans` (commands to copy),
// which the finding catalog writes on purpose. Unbalanced backticks are
// escaped like any other text.
func mdHint(s string) string {
	parts := strings.Split(s, "`")
	if len(parts) < 3 || len(parts)%2 == 0 {
		return mdEscape(s)
	}
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 {
			b.WriteString("`" + strings.ReplaceAll(p, "\n", " ") + "`")
			continue
		}
		b.WriteString(mdEscape(p))
	}
	return b.String()
}

func cell(s string) string {
	if s == "" {
		return ""
	}
	return mdEscape(s)
}
