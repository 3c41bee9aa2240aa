package fleet

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// maxTextColumns bounds the text and Markdown matrices; JSON and HTML
// carry every target.
const maxTextColumns = 12

// RenderJSON writes the fleet report as indented JSON.
func RenderJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// Lead is the one sentence an incident manager reads first.
func (rep *Report) Lead() string {
	usable := rep.Counts.OK + rep.Counts.Affected
	if len(rep.Causes) == 0 {
		if rep.Counts.Affected == 0 {
			return fmt.Sprintf("No common cause: none of the %d readable bundles draws a conclusion.", usable)
		}
		return fmt.Sprintf("%d of %d hosts have problems, but no run drew a likely cause.", rep.Counts.Affected, usable)
	}
	c := rep.Causes[0]
	s := fmt.Sprintf("%s — %d of %d hosts", clean(c.Headline), len(c.Hosts), c.Of)
	if len(c.Shared) > 0 && !c.EveryHost {
		sh := c.Shared[0]
		s += fmt.Sprintf(", all sharing %s %s", attrLabel(sh.Attribute), clean(sh.Value))
		if sh.Others == 0 {
			s += " (no unaffected host has it)"
		}
	}
	return s + "."
}

// RenderText writes the report for a terminal.
func RenderText(w io.Writer, rep *Report) error {
	p := &printer{w: w}
	p.line("Fleet report%s: %s", incidentSuffix(rep), countsLine(rep.Counts))
	p.line("")
	p.line("%s", rep.Lead())
	if len(rep.Causes) > 0 {
		p.line("")
		p.line("Causes across hosts")
		for _, c := range rep.Causes {
			p.line("  %s %s — %d of %d hosts: %s", mark(c.Status), c.Code, len(c.Hosts), c.Of, clean(c.Headline))
			if c.Variants > 0 {
				p.line("      (%d other wording(s) on some hosts)", c.Variants)
			}
			p.line("      hosts: %s", clean(listN(c.Hosts, 20)))
			p.line("      %s", sharedLine(c))
		}
	}
	if len(rep.Outliers) > 0 {
		p.line("")
		p.line("Outliers (a host that fails where its peers pass)")
		for _, o := range rep.Outliers {
			p.line("  %s: %s", clean(o.Host), outlierText(o))
		}
	}
	if bad := badHosts(rep); len(bad) > 0 {
		p.line("")
		p.line("Bundles not counted or suspicious")
		for _, h := range bad {
			p.line("  %s (%s): %s — %s", clean(h.Name), clean(h.Bundle), h.State, clean(h.Problem))
		}
	}
	if len(rep.Targets) > 0 {
		p.line("")
		p.line("Reachability (host × target; ✓ ok, ! warn, ✗ fail, E error, · not probed)")
		cols := rep.Targets
		if len(cols) > maxTextColumns {
			cols = cols[:maxTextColumns]
		}
		for i, t := range cols {
			p.line("  [%d] %s", i+1, clean(t))
		}
		if len(rep.Targets) > len(cols) {
			p.line("  … %d more targets in the JSON and HTML reports", len(rep.Targets)-len(cols))
		}
		width := 4
		for _, h := range rep.Hosts {
			width = max(width, len([]rune(clean(h.Name))))
		}
		head := fmt.Sprintf("  %-*s", width, "host")
		for i := range cols {
			head += fmt.Sprintf(" %3d", i+1)
		}
		p.line("%s", head)
		for _, h := range rep.Hosts {
			if !h.usable() {
				continue
			}
			row := fmt.Sprintf("  %-*s", width, clean(h.Name))
			for _, t := range cols {
				row += fmt.Sprintf(" %3s", cellMark(h.Targets, t))
			}
			p.line("%s", row)
		}
	}
	return p.err
}

// RenderMarkdown writes the report for a ticket or a wiki.
func RenderMarkdown(w io.Writer, rep *Report) error {
	p := &printer{w: w}
	p.line("# Fleet report%s", incidentSuffix(rep))
	p.line("")
	p.line("**%s**", mdEscape(rep.Lead()))
	p.line("")
	p.line("%s, generated %s.", countsLine(rep.Counts), rep.GeneratedAt.Format("2006-01-02 15:04 UTC"))
	if len(rep.Causes) > 0 {
		p.line("")
		p.line("## Causes across hosts")
		p.line("")
		for _, c := range rep.Causes {
			p.line("- **%s** `%s` — %d of %d hosts (owner: %s)", mdEscape(clean(c.Headline)), c.Code, len(c.Hosts), c.Of, c.Owner)
			p.line("  - hosts: %s", mdEscape(clean(listN(c.Hosts, 50))))
			p.line("  - %s", mdEscape(sharedLine(c)))
		}
	}
	if len(rep.Outliers) > 0 {
		p.line("")
		p.line("## Outliers")
		p.line("")
		for _, o := range rep.Outliers {
			p.line("- %s: %s", mdEscape(clean(o.Host)), mdEscape(outlierText(o)))
		}
	}
	if bad := badHosts(rep); len(bad) > 0 {
		p.line("")
		p.line("## Bundles not counted or suspicious")
		p.line("")
		for _, h := range bad {
			p.line("- %s (`%s`): %s — %s", mdEscape(clean(h.Name)), strings.ReplaceAll(clean(h.Bundle), "`", "'"), h.State, mdEscape(clean(h.Problem)))
		}
	}
	if len(rep.Targets) > 0 {
		cols := rep.Targets
		if len(cols) > maxTextColumns {
			cols = cols[:maxTextColumns]
		}
		p.line("")
		p.line("## Reachability")
		p.line("")
		head, sep := "| host |", "|---|"
		for _, t := range cols {
			head += " " + mdCell(clean(t)) + " |"
			sep += ":-:|"
		}
		p.line("%s", head)
		p.line("%s", sep)
		for _, h := range rep.Hosts {
			if !h.usable() {
				continue
			}
			row := "| " + mdCell(clean(h.Name)) + " |"
			for _, t := range cols {
				row += " " + cellMark(h.Targets, t) + " |"
			}
			p.line("%s", row)
		}
		if len(rep.Targets) > len(cols) {
			p.line("")
			p.line("%d more targets in the JSON and HTML reports.", len(rep.Targets)-len(cols))
		}
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(format string, a ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, format+"\n", a...)
}

func incidentSuffix(rep *Report) string {
	if rep.Incident == "" {
		return ""
	}
	return " for " + clean(rep.Incident)
}

func countsLine(c Counts) string {
	s := fmt.Sprintf("%d bundle(s): %d affected, %d without problems", c.Bundles, c.Affected, c.OK)
	if c.Tampered > 0 {
		s += fmt.Sprintf(", %d failing verification", c.Tampered)
	}
	if c.Unreadable > 0 {
		s += fmt.Sprintf(", %d unreadable", c.Unreadable)
	}
	return s
}

func sharedLine(c Cause) string {
	if len(c.Shared) == 0 {
		if c.EveryHost {
			return "every host has it; they share no configuration value"
		}
		return "the affected hosts share nothing that sets them apart from the others"
	}
	parts := make([]string, len(c.Shared))
	for i, sh := range c.Shared {
		if c.EveryHost {
			parts[i] = fmt.Sprintf("%s %s", attrLabel(sh.Attribute), clean(sh.Value))
			continue
		}
		parts[i] = fmt.Sprintf("%s %s (%d of %d affected, %d of %d others)", attrLabel(sh.Attribute), clean(sh.Value),
			sh.Affected, sh.AffectedTotal, sh.Others, sh.OthersTotal)
	}
	if c.EveryHost {
		return "every host has it, so nothing healthy to compare with; all share: " + strings.Join(parts, "; ")
	}
	return "they share: " + strings.Join(parts, "; ")
}

func outlierText(o Outlier) string {
	if o.Kind == OutlierOwnCause {
		return fmt.Sprintf("%s, no other host has it: %s", o.Code, clean(o.Detail))
	}
	return fmt.Sprintf("fails %s; %s", clean(o.Target), o.Detail)
}

func badHosts(rep *Report) []Host {
	var out []Host
	for _, h := range rep.Hosts {
		if !h.usable() {
			out = append(out, h)
		}
	}
	return out
}

var attrLabels = map[string]string{
	AttrDNSServer: "DNS server", AttrGateway: "gateway", AttrSubnet: "subnet", AttrProxy: "proxy",
	AttrSearchDomain: "DNS search domain", AttrDomain: "domain", AttrOS: "OS", AttrOSVersion: "OS version",
	AttrProfile: "profile", AttrToolVersion: "l2diag version",
}

func attrLabel(a string) string {
	if l, ok := attrLabels[a]; ok {
		return l
	}
	return a
}

func mark(s report.Status) string {
	switch s {
	case report.StatusFail:
		return "✗"
	case report.StatusWarn, report.StatusError:
		return "!"
	}
	return "✓"
}

func cellMark(targets map[string]report.Status, t string) string {
	st, ok := targets[t]
	if !ok {
		return "·"
	}
	switch st {
	case report.StatusOK:
		return "✓"
	case report.StatusWarn:
		return "!"
	case report.StatusFail:
		return "✗"
	case report.StatusError:
		return "E"
	}
	return "·"
}

func listN(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}

// clean keeps a hostile bundle's text from steering the terminal: control
// characters (escape sequences, carriage returns) become spaces.
func clean(s string) string { return report.PrintableLine(s) }

var mdReplacer = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "|", `\|`)

func mdEscape(s string) string { return mdReplacer.Replace(s) }

func mdCell(s string) string { return mdEscape(s) }
