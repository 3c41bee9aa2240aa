package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/l2diag/l2diag/report/bundle"
	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/registry"
	"github.com/spf13/cobra"
)

const ticketExitHelp = `Exit codes:
  0    done
  64   usage or configuration error (bad key, missing credential); nothing was sent
  69   the system is unavailable or rate limiting (a delivery is kept in the
       outbox), the ticket does not exist, or the file is too large
  77   credentials or permission refused (a delivery is kept in the outbox)`

func newTicketCommand(f *Factory, g *GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ticket",
		Short: "Attach bundles to Jira or ServiceNow tickets",
		Long: `Attach bundles and summary comments to Jira (Cloud or Data Center) or
ServiceNow tickets, or deliver them into a folder (the dir system).
Configuration: docs/tickets.md. Failed deliveries wait in the outbox.`,
	}
	cmd.AddCommand(
		newTicketAttachCmd(f, nil),
		newTicketCommentCmd(f, nil),
		newTicketCreateCmd(f, nil),
		newTicketCheckCmd(f, nil),
		newTicketOutboxCommand(f, g),
	)
	return cmd
}

func withExitHelp(c *cobra.Command) *cobra.Command {
	c.SetUsageTemplate(c.UsageTemplate() + "\n" + ticketExitHelp + "\n")
	return c
}

// sessionForKey opens the session (its configuration from getenv's
// environment) and validates the key.
func sessionForKey(getenv func(string) string, ios *IOStreams, fl *ticketConnFlags, key string) (*ticketSession, string, error) {
	s, err := openTicketSession(getenv, ios, fl, key, promptFor(ios))
	if err != nil {
		return nil, "", err
	}
	k, err := s.client.NormalizeKey(key)
	if err != nil {
		return nil, "", err
	}
	return s, k, nil
}

// AttachOptions are what `ticket attach` works on.
type AttachOptions struct {
	IO    *IOStreams
	Env   Env
	Key   string
	Paths []string
	Conn  ticketConnFlags
}

func newTicketAttachCmd(f *Factory, runF func(*AttachOptions) error) *cobra.Command {
	opts := &AttachOptions{IO: f.IO, Env: f.Env}
	cmd := &cobra.Command{
		Use:   "attach KEY FILE...",
		Short: "Attach files (bundles) to a ticket",
		Example: `  l2diag ticket attach SUP-123 l2diag-pc042-20250101T100000Z.zip
  l2diag ticket attach INC0010001 bundle.zip --ticket-system servicenow`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key, opts.Paths = args[0], args[1:]
			if runF != nil {
				return runF(opts)
			}
			return ticketAttachRun(cmd.Context(), opts)
		},
	}
	addTicketConnFlags(cmd, &opts.Conn, "dry-run", f.TicketSystems)
	return withExitHelp(cmd)
}

func openFiles(paths []string) ([]*ticketclient.File, error) {
	var files []*ticketclient.File
	seen := map[string]bool{}
	for _, p := range paths {
		f, err := ticketclient.OpenFile(p)
		if err != nil {
			return nil, usageErrorf("%v", err)
		}
		if seen[f.Name] {
			return nil, usageErrorf("two files named %s: a ticket tells attachments apart by name", f.Name)
		}
		seen[f.Name] = true
		files = append(files, f)
	}
	return files, nil
}

// ticketAttachRun attaches the files and prints one line per attachment
// (key, name, size, id); a dry run prints the plan.
func ticketAttachRun(ctx context.Context, opts *AttachOptions) error {
	ios := opts.IO
	ctx = orBackground(ctx)
	files, err := openFiles(opts.Paths)
	if err != nil {
		return err
	}
	s, k, err := sessionForKey(opts.Env.Getenv, ios, &opts.Conn, opts.Key)
	if err != nil {
		return err
	}
	if s.dryRun {
		printPlan(ios, s, k, files, nil)
		return nil
	}
	dl := &ticketclient.Delivery{Key: k, Files: files}
	t, err := s.deliver(ctx, ios, dl)
	if err != nil {
		return err
	}
	for _, f := range files {
		a := dl.Attached[f.Name]
		fmt.Fprintf(ios.Out, "%s\t%s\t%d\t%s\n", t.Key, a.Name, a.Size, a.ID)
	}
	return nil
}

func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// CommentOptions are what `l2diag ticket comment` works on.
type CommentOptions struct {
	IO  *IOStreams
	Env Env
	Key string
	// FromBundle and Text: exactly one is the note.
	FromBundle, Text string
	Conn             ticketConnFlags
	Note             noteFlags
}

func newTicketCommentCmd(f *Factory, runF func(*CommentOptions) error) *cobra.Command {
	opts := &CommentOptions{IO: f.IO, Env: f.Env}
	cmd := &cobra.Command{
		Use:   "comment KEY (--from-bundle FILE | --text TEXT)",
		Short: "Post a bundle's summary (or a text) as a comment / work note",
		Example: `  l2diag ticket comment SUP-123 --from-bundle l2diag-pc042-20250101T100000Z.zip
  l2diag ticket comment INC0010001 --text "re-ran after the VPN fix: all ok"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			if runF != nil {
				return runF(opts)
			}
			return commentRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.FromBundle, "from-bundle", "", "summarize this bundle `FILE` (status, problems with hints, name and SHA-256)")
	cmd.Flags().StringVar(&opts.Text, "text", "", "post this `TEXT`")
	addTicketConnFlags(cmd, &opts.Conn, "dry-run", f.TicketSystems)
	addNoteFlags(cmd, &opts.Note)
	return withExitHelp(cmd)
}

// commentRun posts the note (a bundle's summary or the text), or prints
// the plan of a dry run.
func commentRun(ctx context.Context, opts *CommentOptions) error {
	ios := opts.IO
	if (opts.FromBundle == "") == (opts.Text == "") {
		return usageErrorf("ticket comment: give exactly one of --from-bundle FILE or --text TEXT")
	}
	var note *ticketclient.Note
	if opts.FromBundle != "" {
		var err error
		if note, err = noteFromBundle(opts.FromBundle); err != nil {
			return err
		}
	} else {
		note = &ticketclient.Note{Text: opts.Text}
	}
	scrubNote(note, opts.Env, opts.Conn.systems)
	var err error
	if note.Visibility, err = opts.Note.visibility(); err != nil {
		return err
	}
	s, k, err := sessionForKey(opts.Env.Getenv, ios, &opts.Conn, opts.Key)
	if err != nil {
		return err
	}
	if s.dryRun {
		printPlan(ios, s, k, nil, note)
		return nil
	}
	t, err := s.deliver(orBackground(ctx), ios, &ticketclient.Delivery{Key: k, Note: note})
	if err != nil {
		return err
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: posted on %s%s as %s\n", t.Key, where(t), s.client.Audience(note))
	return nil
}

// scrubNote masks secrets in a note built from a file or text the user
// gave (a bundle's report, --text): the comment leaves the machine, so it
// passes the same secret scrub as every other output. Notes of a run are
// built from the run's already filtered report. env holds the secrets.
func scrubNote(n *ticketclient.Note, env Env, systems registry.Set) {
	if n == nil {
		return
	}
	og := bundle.NewOutgoing(nil, bundle.OutgoingOptions{Secrets: runSecrets(env, systems)})
	for _, p := range []*string{&n.Title, &n.Host, &n.Summary, &n.Text, &n.BundleName} {
		*p = og.String(*p)
	}
	for i := range n.Problems {
		p := &n.Problems[i]
		p.Label, p.Message, p.Hint = og.String(p.Label), og.String(p.Message), og.String(p.Hint)
	}
}

// noteFromBundle reads a bundle's report.json and summarizes it.
func noteFromBundle(path string) (*ticketclient.Note, error) {
	f, err := ticketclient.OpenFile(path)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	rep, err := ticketclient.ReadBundleReport(path, f)
	if err != nil {
		return nil, &UsageError{Err: err}
	}
	return ticketclient.NoteFromReport(rep, f)
}

// CreateOptions are what `l2diag ticket create` works on.
type CreateOptions struct {
	IO  *IOStreams
	Env Env
	// Summary is the new ticket's title; Attach a bundle to attach, whose
	// findings become the description.
	Summary, Attach string
	Project, Type   string
	Conn            ticketConnFlags
}

func newTicketCreateCmd(f *Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{IO: f.IO, Env: f.Env}
	cmd := &cobra.Command{
		Use:   "create --summary TEXT [--attach FILE]",
		Short: "Open a new ticket (prints its key), optionally with a bundle",
		Example: `  l2diag ticket create --summary "VPN drops every hour on pc042" --attach l2diag-pc042.zip
  KEY=$(l2diag ticket create --summary "Printer share unreachable")`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return createRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Summary, "summary", "", "the new ticket's title, a one-line `TEXT` (required)")
	cmd.Flags().StringVar(&opts.Attach, "attach", "", "attach this bundle `FILE`; its findings become the description")
	cmd.Flags().StringVar(&opts.Project, "project", "", "Jira project `KEY` (default: jira.project in the config)")
	cmd.Flags().StringVar(&opts.Type, "type", "", "Jira issue `TYPE` (default Task) or ServiceNow table (default incident)")
	addTicketConnFlags(cmd, &opts.Conn, "dry-run", f.TicketSystems)
	return withExitHelp(cmd)
}

// createRun opens the ticket, prints its key on stdout and attaches the
// bundle; a dry run prints the plan.
func createRun(ctx context.Context, opts *CreateOptions) error {
	ios := opts.IO
	if strings.TrimSpace(opts.Summary) == "" {
		return usageErrorf("ticket create: --summary is required")
	}
	var files []*ticketclient.File
	var note *ticketclient.Note
	if opts.Attach != "" {
		var err error
		if files, err = openFiles([]string{opts.Attach}); err != nil {
			return err
		}
		if rep, err := ticketclient.ReadBundleReport(opts.Attach, files[0]); err == nil {
			if note, err = ticketclient.NoteFromReport(rep, files[0]); err != nil {
				return err
			}
			scrubNote(note, opts.Env, opts.Conn.systems)
		}
	}
	s, err := openTicketSession(opts.Env.Getenv, ios, &opts.Conn, "", promptFor(ios))
	if err != nil {
		return err
	}
	if s.dryRun {
		fmt.Fprintf(ios.Out, "dry run: would create a ticket on %s at %s: %q\n", s.client.Name(), s.client.Endpoint(), opts.Summary)
		if len(files) > 0 {
			printPlan(ios, s, "NEW-1", files, nil)
		}
		return nil
	}
	ctx = orBackground(ctx)
	t, err := s.client.Create(ctx, &ticketclient.NewTicket{Summary: opts.Summary, Description: note, Project: opts.Project, Type: opts.Type})
	if err != nil {
		return err
	}
	fmt.Fprintln(ios.Out, t.Key)
	if len(files) > 0 {
		if _, err := s.deliver(ctx, ios, &ticketclient.Delivery{Key: t.Key, Files: files}); err != nil {
			return err
		}
		fmt.Fprintf(ios.ErrOut, "l2diag: created %s%s with %s attached\n", t.Key, where(t), files[0].Name)
	}
	return nil
}

// TicketCheckOptions are what `ticket check` works on.
type TicketCheckOptions struct {
	IO  *IOStreams
	Env Env
	// Key, when set, is looked up too.
	Key  string
	Conn ticketConnFlags
}

func newTicketCheckCmd(f *Factory, runF func(*TicketCheckOptions) error) *cobra.Command {
	opts := &TicketCheckOptions{IO: f.IO, Env: f.Env}
	cmd := &cobra.Command{
		Use:   "check [KEY]",
		Short: "Check URL, credentials, the ticket and the upload limit, writing nothing",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = ""
			if len(args) == 1 {
				opts.Key = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return ticketCheckRun(orBackground(cmd.Context()), opts)
		},
	}
	addTicketConnFlags(cmd, &opts.Conn, "dry-run", f.TicketSystems)
	cmd.Flags().Lookup("dry-run").Usage = "only load and show the configuration; contact nothing"
	return withExitHelp(cmd)
}

// ticketCheckRun shows the configuration, then checks the credentials,
// the ticket (when given) and the upload limit, writing nothing.
func ticketCheckRun(ctx context.Context, opts *TicketCheckOptions) error {
	ios, key := opts.IO, opts.Key
	s, err := openTicketSession(opts.Env.Getenv, ios, &opts.Conn, key, promptFor(ios))
	if err != nil {
		return err
	}
	c := s.client
	if key != "" {
		if key, err = c.NormalizeKey(key); err != nil {
			return err
		}
	}
	fmt.Fprintf(ios.Out, "system       %s\nendpoint     %s\n", c.Name(), c.Endpoint())
	if s.cfg.File != "" {
		fmt.Fprintf(ios.Out, "config       %s\n", s.cfg.File)
	}
	fmt.Fprintf(ios.Out, "outbox       %s\n", s.outbox.Dir)
	fmt.Fprintf(ios.Out, "notes        %s (--public to change)\n", c.Audience(&ticketclient.Note{}))
	if s.dryRun {
		// A dry run contacts nothing; without it a missing secret would be
		// replaced by a placeholder and the server would refuse it.
		fmt.Fprintf(ios.Out, "dry run      the configuration above loads; the server was not contacted\n")
		return nil
	}
	who, err := c.Whoami(ctx)
	if err != nil {
		fmt.Fprintf(ios.Out, "credentials  FAILED\n")
		return err
	}
	fmt.Fprintf(ios.Out, "credentials  ok: %s\n", who)
	if key != "" {
		t, err := c.Lookup(ctx, key)
		if err != nil {
			fmt.Fprintf(ios.Out, "ticket       FAILED: %s\n", key)
			return err
		}
		fmt.Fprintf(ios.Out, "ticket       ok: %s %q%s\n", t.Key, t.Summary, where(t))
	}
	lim, err := c.Limits(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(ios.Out, "upload limit unknown: %v\n", err)
	case !lim.Enabled:
		fmt.Fprintf(ios.Out, "upload limit attachments DISABLED\n")
		return ticketclient.Errorf(ticketclient.KindTooLarge, c.Name(), "check", "ask the admin to enable attachments", "attachments are disabled")
	case lim.MaxBytes > 0:
		fmt.Fprintf(ios.Out, "upload limit %s (%d bytes, %s)\n", ticketclient.HumanBytes(lim.MaxBytes), lim.MaxBytes, lim.Source)
	default:
		fmt.Fprintf(ios.Out, "upload limit %s\n", lim.Source)
	}
	return nil
}
