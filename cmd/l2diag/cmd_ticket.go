package main

import "github.com/spf13/cobra"

func newTicketCommand(ios *IOStreams, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{Use: "ticket", Short: "Attach bundles to Jira or ServiceNow tickets", Hidden: true}
}
