package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/l2diag/l2diag/diag/registry"
	"github.com/l2diag/l2diag/diag/triage"
	"github.com/spf13/cobra"
)

func newExplainCommand(ios *IOStreams, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "explain CODE",
		Short: "Explain a finding or conclusion code: what it means and what to do",
		Long: `Explain a finding code (net.tcp-filtered: what a check saw) or a conclusion
code (cause.gateway-down: what triage concluded from several findings): what it
means, its usual causes and what to do. docs/findings.md and docs/triage.md list
them all.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			code := strings.TrimSpace(args[0])
			if spec, ok := triage.Lookup(code); ok {
				writeConclusionSpec(ios, spec)
				return nil
			}
			var codes []string
			for _, s := range triage.Specs() {
				codes = append(codes, s.Code)
			}
			for _, f := range registry.Findings() {
				if f.Code == code {
					fmt.Fprintf(ios.Out, "%s (%s)\n\n%s\n\nWhat to do: %s\n", f.Code, f.Status, f.Meaning, f.Hint)
					return nil
				}
				codes = append(codes, f.Code)
			}
			sort.Strings(codes)
			var near []string
			prefix, _, _ := strings.Cut(code, ".")
			for _, c := range codes {
				if strings.HasPrefix(c, prefix+".") {
					near = append(near, c)
				}
			}
			msg := fmt.Sprintf("unknown code %q", code)
			if len(near) > 0 {
				msg += fmt.Sprintf(" (codes of %s: %s)", prefix, strings.Join(near, ", "))
			} else {
				msg += " (codes look like dns.server-unreachable; see docs/findings.md)"
			}
			return usageErrorf("%s", msg)
		},
	}
}

// writeConclusionSpec prints a conclusion code's catalog entry.
func writeConclusionSpec(ios *IOStreams, s triage.Spec) {
	fmt.Fprintf(ios.Out, "%s (conclusion, %s; layer: %s; owner: %s)\n\n%s\n", s.Code, s.Status, s.Layer, s.Escalation, s.Meaning)
	if len(s.Causes) > 0 {
		fmt.Fprintf(ios.Out, "\nUsual causes:\n")
		for _, c := range s.Causes {
			fmt.Fprintf(ios.Out, "  - %s\n", c)
		}
	}
	fmt.Fprintf(ios.Out, "\nWhat to do: %s\n\nWhy triage draws it: %s\n", s.Fix, s.Why)
}
