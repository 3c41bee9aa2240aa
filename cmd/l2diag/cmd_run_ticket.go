package main

import (
	"context"

	"github.com/l2diag/l2diag/report"
	"github.com/spf13/cobra"
)

// ticketOptions are run's ticket flags (the ticket issue fills them in).
type ticketOptions struct{}

func addTicketFlags(cmd *cobra.Command, o *ticketOptions) {}

func (o *ticketOptions) validate() error { return nil }

// afterRunTicket delivers the bundle to the ticket named by --ticket.
func afterRunTicket(ctx context.Context, ios *IOStreams, g *GlobalOptions, o *runOptions, rep *report.Report, bundlePath string) error {
	return nil
}
