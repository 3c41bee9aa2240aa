package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/l2diag/l2diag/diag/registry"
	"github.com/spf13/cobra"
)

func newExplainCommand(ios *IOStreams, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "explain CODE",
		Short: "Explain a finding code: what it means and what to do",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			code := strings.TrimSpace(args[0])
			var codes []string
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
