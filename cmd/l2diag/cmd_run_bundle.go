package main

import (
	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
	"github.com/spf13/cobra"
)

// bundleOptions are run's bundle flags (the bundle issue fills them in).
type bundleOptions struct{}

func addBundleFlags(cmd *cobra.Command, o *bundleOptions) {}

func (o *bundleOptions) validate() error { return nil }

// afterRunBundle writes the run's bundle and returns its path ("" when none).
func afterRunBundle(ios *IOStreams, g *GlobalOptions, o *runOptions, rep *report.Report, out *diag.Outcome, log *lockedBuffer) (string, error) {
	return "", nil
}
