package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/l2diag/l2diag/diag/registry"
	"github.com/l2diag/l2diag/report"
	"github.com/spf13/cobra"
)

func newChecksCommand(ios *IOStreams, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "checks",
		Short: "List every check with its ID, category and what it finds",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			specs := registry.Specs()
			if g.format == report.FormatJSON {
				type row struct {
					ID       string `json:"id"`
					Category string `json:"category"`
					Finds    string `json:"finds"`
				}
				rows := []row{}
				for _, s := range specs {
					rows = append(rows, row{s.ID, string(s.Category), s.Finds})
				}
				enc := json.NewEncoder(ios.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCATEGORY\tFINDS")
			for _, s := range specs {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", s.ID, s.Category, s.Finds)
			}
			return tw.Flush()
		},
	}
}
