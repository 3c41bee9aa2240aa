package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report/render"
	"github.com/spf13/cobra"
)

// ChecksOptions are what `l2diag checks` works on.
type ChecksOptions struct {
	IO     *IOStreams
	Format render.Format
	Specs  func() []diag.Spec
}

func newChecksCmd(f *Factory, g *GlobalOptions, runF func(*ChecksOptions) error) *cobra.Command {
	opts := &ChecksOptions{IO: f.IO, Specs: f.Specs}
	return &cobra.Command{
		Use:   "checks",
		Short: "List every check with its ID, category and what it finds",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Format = g.format
			if runF != nil {
				return runF(opts)
			}
			return checksRun(opts)
		},
	}
}

// checksRun lists the checks, a table or (--output json) an array.
func checksRun(opts *ChecksOptions) error {
	specs := opts.Specs()
	if opts.Format == render.FormatJSON {
		type row struct {
			ID       string `json:"id"`
			Category string `json:"category"`
			Finds    string `json:"finds"`
		}
		rows := []row{}
		for _, s := range specs {
			rows = append(rows, row{s.ID, string(s.Category), s.Finds})
		}
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCATEGORY\tFINDS")
	for _, s := range specs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.ID, s.Category, s.Finds)
	}
	return tw.Flush()
}
