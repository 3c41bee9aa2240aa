package main

import "github.com/spf13/cobra"

func newBundleCommand(ios *IOStreams, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{Use: "bundle", Short: "Show, verify and compare bundles", Hidden: true}
}
