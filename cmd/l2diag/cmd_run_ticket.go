package main

import (
	"context"
	"fmt"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/registry"
	"github.com/spf13/cobra"
)

// ticketOptions are run's ticket flags.
type ticketOptions struct {
	Key  string
	Conn ticketConnFlags
	Note noteFlags

	// Set by validate when --ticket is given and stdin is no terminal
	// (with a terminal, a missing secret is asked for after the run).
	session *ticketSession
	key     string
}

func addTicketFlags(cmd *cobra.Command, o *ticketOptions, systems registry.Set) {
	cmd.Flags().StringVar(&o.Key, "ticket", "", "attach the bundle and a summary comment to ticket `KEY` (e.g. SUP-123 or INC0010001)")
	addTicketConnFlags(cmd, &o.Conn, "ticket-dry-run", systems)
	addNoteFlags(cmd, &o.Note)
}

// validate checks the key's form and the configuration before anything
// runs: a wrong key or a missing credential is exit 64 naming what to set,
// and nothing is uploaded. getenv reads the configuration's environment;
// tty: stdin is a terminal, where a missing secret is asked for after the
// run; noBundle: --no-bundle was given.
func (o *ticketOptions) validate(getenv func(string) string, tty, noBundle bool) error {
	if o.Key == "" {
		return nil
	}
	if noBundle {
		return usageErrorf("--ticket attaches the bundle, but --no-bundle was given: drop one of them")
	}
	if _, err := o.Note.visibility(); err != nil {
		return err
	}
	var prompt func(string) (string, error)
	if tty {
		// Checked for presence only; the real prompt comes after the run.
		prompt = func(string) (string, error) { return "(asked later)", nil }
	}
	s, err := openTicketSession(getenv, nil, &o.Conn, o.Key, prompt)
	if err != nil {
		return err
	}
	key, err := s.client.NormalizeKey(o.Key)
	if err != nil {
		return err
	}
	o.key = key
	if !tty {
		o.session = s
	}
	return nil
}

// afterRunTicket delivers the bundle to the ticket named by --ticket.
func afterRunTicket(ctx context.Context, ios *IOStreams, g *GlobalOptions, o *runOptions, rep *report.Report, bundlePath string) error {
	t := &o.Ticket
	if t.Key == "" {
		return nil
	}
	if bundlePath == "" {
		return usageErrorf("--ticket attaches the bundle, but none was written (--no-bundle?): drop --no-bundle")
	}
	s := t.session
	if s == nil {
		var err error
		if s, err = openTicketSession(o.env.Getenv, ios, &t.Conn, t.key, promptFor(ios)); err != nil {
			return err
		}
	} else {
		if t.Conn.Insecure || s.cfg.Insecure {
			fmt.Fprintln(ios.ErrOut, "l2diag: warning: --insecure: the ticket server's certificate is not verified; anyone on the path can read the credentials and the bundle")
		}
		warnCleartext(ios, s.client)
	}
	f, err := ticketclient.OpenFile(bundlePath)
	if err != nil {
		return fmt.Errorf("ticket: bundle: %w", err)
	}
	note, err := ticketclient.NoteFromReport(rep, f)
	if err != nil {
		return fmt.Errorf("ticket: %w", err)
	}
	if note.Visibility, err = t.Note.visibility(); err != nil {
		return err
	}
	if s.dryRun {
		// stdout holds the report (JSON for scripts): the plan goes to stderr.
		planIOS := *ios
		planIOS.Out = ios.ErrOut
		printPlan(&planIOS, s, t.key, []*ticketclient.File{f}, note)
		return nil
	}
	tk, err := s.deliver(ctx, ios, &ticketclient.Delivery{Key: t.key, Files: []*ticketclient.File{f}, Note: note})
	if err != nil {
		return err
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: attached %s to %s %s%s; summary posted as %s\n", f.Name, s.client.Name(), tk.Key, where(tk), s.client.Audience(note))
	return nil
}

func where(t *ticketclient.Ticket) string {
	if t.URL != "" {
		return " (" + t.URL + ")"
	}
	return ""
}
