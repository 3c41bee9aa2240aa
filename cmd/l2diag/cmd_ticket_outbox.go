package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/l2diag/l2diag/report/render"
	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/registry"
	"github.com/spf13/cobra"
)

func newTicketOutboxCommand(f *Factory, g *GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "List or deliver the deliveries that failed earlier",
		Long: `Deliveries that failed because the ticket system was unavailable, rate
limited or refused the credentials wait in the outbox (L2DIAG_OUTBOX, else
the user's cache folder). 'flush' delivers them and removes each entry only
after the server confirmed it.`,
	}
	cmd.AddCommand(newTicketOutboxListCmd(f, g, nil), newTicketOutboxFlushCmd(f, nil))
	return cmd
}

// outboxFromEnv is the outbox that getenv's environment and the ticket
// configuration name.
func outboxFromEnv(getenv func(string) string, systems registry.Set) (*ticketclient.Outbox, error) {
	cfg, err := systems.LoadConfig(getenv)
	if err != nil {
		return nil, err
	}
	dir, err := ticketclient.OutboxDir(getenv, cfg)
	if err != nil {
		return nil, err
	}
	return &ticketclient.Outbox{Dir: dir}, nil
}

// OutboxListOptions are what `ticket outbox list` works on.
type OutboxListOptions struct {
	IO  *IOStreams
	Env Env
	// Systems are the ticket systems the configuration is read with.
	Systems registry.Set
	Format  render.Format
}

func newTicketOutboxListCmd(f *Factory, g *GlobalOptions, runF func(*OutboxListOptions) error) *cobra.Command {
	opts := &OutboxListOptions{IO: f.IO, Env: f.Env, Systems: f.TicketSystems}
	return &cobra.Command{
		Use:   "list",
		Short: "List the queued deliveries",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Format = g.format
			if runF != nil {
				return runF(opts)
			}
			return outboxListRun(opts)
		},
	}
}

// outboxListRun lists the queued deliveries (stdout) and where they wait
// (stderr).
func outboxListRun(opts *OutboxListOptions) error {
	ios := opts.IO
	ob, err := outboxFromEnv(opts.Env.Getenv, opts.Systems)
	if err != nil {
		return err
	}
	list, err := ob.List()
	if err != nil {
		return err
	}
	if opts.Format == render.FormatJSON {
		if list == nil {
			list = []*ticketclient.Entry{}
		}
		enc := json.NewEncoder(ios.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if len(list) == 0 {
		fmt.Fprintf(ios.ErrOut, "l2diag: the outbox (%s) is empty\n", ob.Dir)
		return nil
	}
	for _, e := range list {
		var names []string
		for _, f := range e.Files {
			names = append(names, fmt.Sprintf("%s (%s)", f.Name, ticketclient.HumanBytes(f.Size)))
		}
		fmt.Fprintf(ios.Out, "%s  %s %s  %s  attempts %d\n", e.ID, e.Delivery.System, e.Delivery.Key, strings.Join(names, ", "), e.Attempts)
		if e.LastError != "" {
			fmt.Fprintf(ios.Out, "    last error: %s\n", e.LastError)
		}
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: %d queued in %s; deliver with: l2diag ticket outbox flush\n", len(list), ob.Dir)
	return nil
}

// OutboxFlushOptions are what `ticket outbox flush` works on.
type OutboxFlushOptions struct {
	IO   *IOStreams
	Env  Env
	Conn ticketConnFlags
}

func newTicketOutboxFlushCmd(f *Factory, runF func(*OutboxFlushOptions) error) *cobra.Command {
	opts := &OutboxFlushOptions{IO: f.IO, Env: f.Env}
	cmd := &cobra.Command{
		Use:   "flush",
		Short: "Deliver the queued deliveries; remove each only once confirmed",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return outboxFlushRun(cmd.Context(), opts)
		},
	}
	addTicketConnFlags(cmd, &opts.Conn, "dry-run", f.TicketSystems)
	// Each entry goes to the system it was queued for, with the choices
	// it was queued with: accepted, not shown.
	_ = cmd.Flags().MarkHidden("ticket-system")
	for name := range opts.Conn.Settings {
		_ = cmd.Flags().MarkHidden(name)
	}
	return withExitHelp(cmd)
}

// outboxFlushRun delivers every queued entry it can claim and removes it
// once confirmed; it returns the worst failure (credentials first).
func outboxFlushRun(ctx context.Context, opts *OutboxFlushOptions) error {
	ios, getenv, fl := opts.IO, opts.Env.Getenv, &opts.Conn
	ctx = orBackground(ctx)
	ob, err := outboxFromEnv(getenv, fl.systems)
	if err != nil {
		return err
	}
	list, err := ob.List()
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(ios.ErrOut, "l2diag: the outbox (%s) is empty\n", ob.Dir)
		return nil
	}
	if fl.DryRun {
		for _, e := range list {
			if err := flushEntry(ctx, ios, getenv, fl, ob, e); err != nil {
				return err
			}
		}
		fmt.Fprintf(ios.ErrOut, "l2diag: dry run: %d queued in %s; nothing was sent or removed\n", len(list), ob.Dir)
		return nil
	}
	var worst error
	delivered, others := 0, 0
	for _, e := range list {
		err := claimAndFlush(ctx, ios, getenv, fl, ob, e)
		var busy *ticketclient.ClaimedError
		switch {
		case err == nil:
			delivered++
			continue
		case errors.As(err, &busy):
			fmt.Fprintf(ios.ErrOut, "l2diag: %s: left to the other flush\n", busy)
			others++
			continue
		case errors.Is(err, ticketclient.ErrGone):
			fmt.Fprintf(ios.ErrOut, "l2diag: %s was delivered by another flush\n", e.ID)
			others++
			continue
		}
		fmt.Fprintf(ios.ErrOut, "l2diag: %s stays in the outbox: %v\n", e.ID, err)
		if worst == nil || exitCode(err) == ExitNoPerm {
			worst = err
		}
	}
	ob.PruneLocks()
	if others > 0 {
		fmt.Fprintf(ios.ErrOut, "l2diag: delivered %d of %d (%d by another flush)\n", delivered, len(list), others)
	} else {
		fmt.Fprintf(ios.ErrOut, "l2diag: delivered %d of %d\n", delivered, len(list))
	}
	return worst
}

// claimAndFlush delivers one entry under its claim, so a concurrent flush
// skips it instead of delivering it a second time. The entry is re-read
// once claimed: another flush may have recorded progress or removed it.
func claimAndFlush(ctx context.Context, ios *IOStreams, getenv func(string) string, fl *ticketConnFlags, ob *ticketclient.Outbox, e *ticketclient.Entry) error {
	c, err := ob.Claim(e)
	if err != nil {
		return err
	}
	defer c.Release()
	return flushEntry(ctx, ios, getenv, fl, ob, c.Entry)
}

// flushEntry delivers one entry with the current configuration, recording
// each confirmed step, and removes it only when everything is confirmed.
// In a dry run it prints the plan and keeps the entry. getenv reads the
// configuration's environment.
func flushEntry(ctx context.Context, ios *IOStreams, getenv func(string) string, fl *ticketConnFlags, ob *ticketclient.Outbox, e *ticketclient.Entry) error {
	efl := *fl
	efl.System = e.Delivery.System
	efl.settings = e.Delivery.Settings
	if efl.settings == nil {
		efl.settings = map[string]string{}
	}
	s, err := openTicketSession(getenv, ios, &efl, e.Delivery.Key, promptFor(ios))
	if err != nil {
		return err
	}
	dl, err := e.DeliveryFiles()
	if err != nil {
		return err
	}
	if s.dryRun {
		printPlan(ios, s, dl.Key, dl.Files, dl.Note)
		return nil
	}
	d := &ticketclient.Deliverer{Client: s.client, Backoff: s.opts.Backoff,
		Say: func(format string, args ...any) { fmt.Fprintf(ios.ErrOut, "l2diag: "+format, args...) },
		Saved: func(dl *ticketclient.Delivery) {
			e.Delivery.Attached, e.Delivery.Commented = dl.Attached, dl.Commented
			_ = ob.Save(e)
		}}
	t, err := d.Deliver(ctx, dl)
	if err != nil {
		e.Attempts++
		e.LastError = err.Error()
		_ = ob.Save(e)
		return err
	}
	if err := ob.Remove(e); err != nil {
		return fmt.Errorf("delivered, but removing the entry failed: %w", err)
	}
	s.markCauses(ctx, ios, t, dl.Note)
	as := ""
	if dl.Note != nil {
		as = "; note posted as " + s.client.Audience(dl.Note)
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: delivered %s to %s %s%s%s\n", e.ID, s.client.Name(), t.Key, where(t), as)
	return nil
}
