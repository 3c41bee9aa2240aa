package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/l2diag/l2diag/report"
)

func markFor(s report.Status, ascii bool) string {
	if ascii {
		return s.ASCIIMark()
	}
	return s.Mark()
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiPurple = "\x1b[35m"
)

func statusColor(s report.Status) string {
	switch s {
	case report.StatusOK:
		return ansiGreen
	case report.StatusSkipped:
		return ansiDim
	case report.StatusWarn:
		return ansiYellow
	case report.StatusError:
		return ansiPurple
	case report.StatusFail:
		return ansiRed
	}
	return ""
}

type painter bool

func (p painter) paint(code, s string) string {
	if !p || code == "" {
		return s
	}
	return code + s + ansiReset
}

// Text writes the doctor-style report: a header, the conclusions,
// results grouped by category with a status mark each, every warning or
// failure with its finding and hint, and a last line of counts.
func Text(w io.Writer, rep *report.Report, opt Options) error {
	v := NewView(rep, opt)
	p := painter(opt.Color)
	var b strings.Builder
	fmt.Fprintf(&b, "%s · %s (%s/%s)", v.Tool, v.Host.Hostname, v.Host.OS, v.Host.Arch)
	if v.Profile != "" {
		fmt.Fprintf(&b, " · profile %s", v.Profile)
	}
	b.WriteString("\n")
	if len(v.Intake) > 0 {
		b.WriteString("\n")
		for _, l := range v.Intake {
			b.WriteString("  " + l + "\n")
		}
	}
	if v.TellUser != "" {
		b.WriteString("\n" + p.paint(ansiBold, "What to tell the user: ") + v.TellUser + "\n")
	}
	if len(v.Conclusions) > 0 {
		b.WriteString("\n" + p.paint(ansiBold, "Likely cause") + "\n")
		for _, c := range v.Conclusions {
			fmt.Fprintf(&b, "  %s %s\n", p.paint(statusColor(c.Status), markFor(c.Status, opt.ASCII)), c.Headline)
			if c.NextStep != "" {
				fmt.Fprintf(&b, "      next: %s\n", c.NextStep)
			}
			if c.Escalation != "" {
				fmt.Fprintf(&b, "      who should fix it: %s · confidence %s · %s\n", report.OwnerLabel(c.Escalation), c.Confidence, c.Code)
			}
			if len(c.Evidence) > 0 {
				fmt.Fprintf(&b, "      evidence: %s\n", report.EvidenceLine(c.Evidence, 3))
			}
			if c.Detail != "" {
				fmt.Fprintf(&b, "      seen: %s\n", c.Detail)
			}
			for _, f := range c.KnownFixes {
				fmt.Fprintf(&b, "      %s\n", p.paint(ansiBold, "known fix: "+f.Line()))
			}
			for _, t := range c.SolvedTickets {
				fmt.Fprintf(&b, "      solved before: %s\n", t.Line())
			}
		}
	}
	for _, g := range v.Groups {
		b.WriteString("\n" + p.paint(ansiBold, g.Title) + "\n")
		for _, r := range g.Results {
			pad := max(v.LabelWidth-len([]rune(r.Label)), 0)
			fmt.Fprintf(&b, "  %s %s%s  %s\n", p.paint(statusColor(r.Status), markFor(r.Status, opt.ASCII)), r.Label, strings.Repeat(" ", pad), p.paint(dimIf(r.Status), r.Summary))
			for _, f := range r.Findings {
				fmt.Fprintf(&b, "      %s %s: %s\n", p.paint(statusColor(f.Status), markFor(f.Status, opt.ASCII)), f.Code, f.Message)
				if f.Hint != "" {
					fmt.Fprintf(&b, "        hint: %s\n", f.Hint)
				}
				if s := report.EvidenceBrief(f); s != "" && f.Status.Problem() {
					fmt.Fprintf(&b, "        seen: %s\n", s)
				}
			}
			if r.Error != "" {
				fmt.Fprintf(&b, "        error: %s\n", r.Error)
			}
		}
	}
	if v.Handoff != nil {
		b.WriteString("\n" + p.paint(ansiBold, "Hand-off") + "\n")
		for _, l := range v.Handoff.Lines() {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	b.WriteString("\n" + p.paint(statusColor(v.Status), v.SummaryLine) + "\n")
	out := b.String()
	if opt.ASCII {
		out = ToASCII(out)
	}
	_, err := io.WriteString(w, out)
	return err
}

func dimIf(s report.Status) string {
	if s == report.StatusOK || s == report.StatusSkipped {
		return ansiDim
	}
	return ""
}

// asciiLookAlikes are the non-ASCII characters l2diag's own texts use.
var asciiLookAlikes = strings.NewReplacer("·", "-", "…", "...", "—", "-", "–", "-", "→", "->", "←", "<-",
	"✓", "[ok]", "✗", "[FAIL]", "×", "x", "≥", ">=", "≤", "<=", "±", "+/-", "µ", "u", "°", " deg", "“", "\"", "”", "\"", "‘", "'", "’", "'")

// ToASCII makes s safe for an output that cannot show UTF-8: l2diag's own
// symbols become look-alikes, any other non-ASCII character (a user's or
// host's name) becomes "?", so nothing turns into mojibake.
func ToASCII(s string) string {
	s = asciiLookAlikes.Replace(s)
	var b strings.Builder
	for _, r := range s {
		if r > 0x7e {
			b.WriteByte('?')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
