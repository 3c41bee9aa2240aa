package main

import "github.com/spf13/cobra"

// addExtraCommands adds the bundle and ticket command trees.
func addExtraCommands(root *cobra.Command, ios *IOStreams, g *GlobalOptions) {
	root.AddCommand(newBundleCommand(ios, g), newTicketCommand(ios, g))
}
