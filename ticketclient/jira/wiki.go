package jira

import (
	"fmt"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
)

// wikiEscaper escapes the wiki markup characters that can act alone or
// across a line, so a message such as "C:\share" or "*.example.com" shows
// as written. Pair markup such as -strike- or +ins+ needs word boundaries
// our generated lines do not produce, so hyphens stay readable.
var wikiEscaper = strings.NewReplacer(
	`\`, `\\`, `*`, `\*`, `_`, `\_`, `{`, `\{`, `}`, `\}`, `[`, `\[`, `]`, `\]`,
	`|`, `\|`, `!`, `\!`,
)

// Wiki renders the note as Jira wiki text (Data Center, REST v2).
func Wiki(n *ticketclient.Note) string {
	var b strings.Builder
	if t := strings.TrimSpace(n.Text); t != "" {
		b.WriteString(wikiEscaper.Replace(t) + "\n\n")
	}
	if n.Title != "" {
		fmt.Fprintf(&b, "h3. %s\n", wikiEscaper.Replace(n.Title))
	}
	if n.Summary != "" {
		b.WriteString(wikiEscaper.Replace(n.Summary) + "\n")
	}
	if len(n.Problems) > 0 {
		b.WriteString("\n")
		for _, p := range n.Problems {
			fmt.Fprintf(&b, "* *%s* %s: %s\n", strings.ToUpper(p.Status), wikiEscaper.Replace(p.Label), wikiEscaper.Replace(orDash(p.Message)))
			if p.Hint != "" {
				fmt.Fprintf(&b, "** _hint:_ %s\n", wikiEscaper.Replace(p.Hint))
			}
			for _, k := range p.Known {
				fmt.Fprintf(&b, "** *Known fix:* %s\n", wikiEscaper.Replace(k))
			}
			for _, sv := range p.Solved {
				fmt.Fprintf(&b, "** _Solved before:_ %s\n", wikiEscaper.Replace(sv))
			}
		}
		if n.More > 0 {
			fmt.Fprintf(&b, "* … and %d more in the bundle\n", n.More)
		}
	} else if n.Status != "" {
		b.WriteString("\nNo problems found.\n")
	}
	if len(n.Handoff) > 0 {
		b.WriteString("\nh4. Hand-off\n")
		for _, l := range n.Handoff {
			fmt.Fprintf(&b, "* %s\n", wikiEscaper.Replace(l))
		}
	}
	if n.BundleName != "" {
		fmt.Fprintf(&b, "\nBundle: {{%s}} (%s)\nSHA-256: {{%s}}\n", n.BundleName, ticketclient.HumanBytes(n.BundleSize), n.BundleSHA256)
	}
	if ref := n.RefLine(); ref != "" {
		// The marker is letters, digits and a colon: nothing to escape, so
		// the stored text holds it verbatim for the duplicate check.
		b.WriteString("\n" + ref + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
