package triage

import (
	"fmt"
	"slices"
	"strings"
)

// CatalogMarkdown renders the conclusion catalog for docs/triage.md: one
// section per layer, one entry per conclusion code, in rule order.
func CatalogMarkdown() string {
	var b strings.Builder
	sorted := slices.Clone(rules)
	slices.SortStableFunc(sorted, func(a, b Rule) int { return int(a.Spec.Layer) - int(b.Spec.Layer) })
	layer := Layer(-1)
	for _, r := range sorted {
		s := r.Spec
		if s.Layer != layer {
			layer = s.Layer
			fmt.Fprintf(&b, "\n### Layer: %s\n", layer)
		}
		fmt.Fprintf(&b, "\n#### `%s`: %s\n\n", s.Code, s.Title)
		fmt.Fprintf(&b, "- **Status** `%s` · **owner** `%s` · **reads** %s\n", s.Status, s.Escalation, codeList(r.Uses))
		fmt.Fprintf(&b, "- **Meaning:** %s\n", s.Meaning)
		fmt.Fprintf(&b, "- **Usual causes:** %s.\n", strings.Join(s.Causes, "; "))
		fmt.Fprintf(&b, "- **Next step:** %s\n", s.Fix)
		fmt.Fprintf(&b, "- **Why drawn:** %s\n", s.Why)
	}
	return b.String()
}

func codeList(codes []string) string {
	var parts []string
	for _, c := range codes {
		parts = append(parts, "`"+c+"`")
	}
	return strings.Join(parts, ", ")
}
