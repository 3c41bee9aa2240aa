package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/registry"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// ticketConnFlags are the connection flags of `run --ticket` and every
// `ticket` command. Secrets are never flags (they would show in the
// process list): they come from the environment, a file or a prompt.
type ticketConnFlags struct {
	System    string
	CAFile    string
	Insecure  bool
	AllowHTTP bool
	Timeout   string
	DryRun    bool
	// Settings are the values of the systems' own flags (--table, ...),
	// by flag name; only the chosen system's may be set.
	Settings map[string]*string
	// settings, when set, replace Settings (an outbox entry's own).
	settings map[string]string
	// systems are the ticket systems the flags name and the session
	// chooses from (the Factory's).
	systems registry.Set
}

// addTicketConnFlags adds the connection flags of systems to cmd.
func addTicketConnFlags(cmd *cobra.Command, o *ticketConnFlags, dryRunName string, systems registry.Set) {
	o.systems = systems
	f := cmd.Flags()
	f.StringVar(&o.System, "ticket-system", "", "ticket `SYSTEM`: "+strings.Join(systems.Names(), ", ")+" (default: from the config, else the configured one)")
	o.Settings = map[string]*string{}
	for _, sf := range systems.Flags() {
		o.Settings[sf.Name] = f.String(sf.Name, "", sf.Usage)
	}
	f.StringVar(&o.CAFile, "ca-file", "", "trust the CA certificates in this PEM `FILE` (corporate instances)")
	f.BoolVar(&o.Insecure, "insecure", false, "do not verify the ticket server's TLS certificate (warns; test servers only)")
	f.BoolVar(&o.AllowHTTP, "allow-http", false, "allow an http:// ticket URL (test servers only: credentials travel in clear text)")
	f.StringVar(&o.Timeout, "ticket-timeout", "", "timeout of each ticket request, a `DURATION` such as 30s (default: the config's, else 30s)")
	f.BoolVar(&o.DryRun, dryRunName, false, "print what would be sent (method, URL, sizes, the comment), secrets masked; send nothing")
}

// ticketSession is a configured client plus what delivering needs.
type ticketSession struct {
	cfg    *ticketclient.Config
	client ticketclient.Client
	outbox *ticketclient.Outbox
	opts   *ticketclient.Options
	dryRun bool
}

// openTicketSession loads the config (from getenv's environment and the
// file it names) and builds the client for system (chosen by flag, config
// or key). prompt may be nil.
func openTicketSession(getenv func(string) string, ios *IOStreams, fl *ticketConnFlags, key string, prompt func(string) (string, error)) (*ticketSession, error) {
	cfg, err := fl.systems.LoadConfig(getenv)
	if err != nil {
		return nil, err
	}
	if fl.Timeout != "" {
		d, err := time.ParseDuration(fl.Timeout)
		if err != nil || d <= 0 {
			return nil, usageErrorf("--ticket-timeout: %q is not a positive duration (use e.g. 30s)", fl.Timeout)
		}
		cfg.TimeoutDur = d
	}
	cfgPath, _ := ticketclient.ConfigPath(getenv)
	name, err := fl.systems.Choose(fl.System, cfg, key, cfgPath)
	if err != nil {
		return nil, err
	}
	sys, _ := fl.systems.Lookup(name)
	settings, err := fl.systemSettings(sys)
	if err != nil {
		return nil, err
	}
	o := &ticketclient.Options{Config: cfg, AllowHTTP: fl.AllowHTTP, Prompt: prompt, Settings: settings, KeySyntaxes: fl.systems.KeySyntaxes()}
	if cfg.Retries > 0 {
		o.Backoff.Attempts = cfg.Retries + 1
	}
	if sys.NeedsHTTP {
		caFile := fl.CAFile
		if caFile == "" {
			caFile = cfg.CAFile
		}
		insecure := fl.Insecure || cfg.Insecure
		if insecure && ios != nil {
			fmt.Fprintln(ios.ErrOut, "l2diag: warning: --insecure: the ticket server's certificate is not verified; anyone on the path can read the credentials and the bundle")
		}
		hc, err := ticketclient.NewHTTPClient(ticketclient.TransportOptions{CAFile: caFile, Insecure: insecure, Timeout: cfg.TimeoutDur,
			ClientCert: cfg.ClientCert, ClientKey: cfg.ClientKey, Proxy: ticketProxy(context.Background())})
		if err != nil {
			return nil, err
		}
		o.HTTP = hc
	}
	if fl.DryRun && o.Prompt != nil {
		// A dry run sends nothing, so it needs no secret.
		o.Prompt = func(string) (string, error) { return "(not asked in a dry run)", nil }
	}
	c, err := sys.New(o)
	if err != nil {
		return nil, err
	}
	if ios != nil {
		warnCleartext(ios, c)
	}
	dir, err := ticketclient.OutboxDir(getenv, cfg)
	if err != nil {
		return nil, err
	}
	return &ticketSession{cfg: cfg, client: c, outbox: &ticketclient.Outbox{Dir: dir}, opts: o, dryRun: fl.DryRun}, nil
}

// warnCleartext says on stderr, every time, that an http:// ticket URL
// (allowed by --allow-http or allow_http) sends the credentials and the
// bundle unencrypted.
func warnCleartext(ios *IOStreams, c ticketclient.Client) {
	if ep := c.Endpoint(); strings.HasPrefix(strings.ToLower(ep), "http://") {
		fmt.Fprintf(ios.ErrOut, "l2diag: warning: --allow-http: the credentials and the bundle go to %s unencrypted; anyone on the path can read them (test servers only)\n", ep)
	}
}

// systemSettings collects the per-call flags given, refusing one that
// belongs to another system than the chosen one.
func (fl *ticketConnFlags) systemSettings(sys registry.System) (map[string]string, error) {
	if fl.settings != nil {
		return fl.settings, nil
	}
	own := map[string]bool{}
	for _, f := range sys.Flags {
		own[f.Name] = true
	}
	out := map[string]string{}
	for _, sf := range fl.systems.Flags() {
		v := fl.Settings[sf.Name]
		if v == nil || *v == "" {
			continue
		}
		if !own[sf.Name] {
			return nil, usageErrorf("--%s applies to %s only, and the ticket system is %s", sf.Name, sf.System, sys.Name)
		}
		out[sf.Name] = *v
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// noteFlags choose who may read the note (--internal, --public).
type noteFlags struct {
	Internal, Public bool
}

func addNoteFlags(cmd *cobra.Command, o *noteFlags) {
	cmd.Flags().BoolVar(&o.Internal, "internal", false, "post the summary as an internal note, for agents only (the default: Jira internal comment, ServiceNow work note)")
	cmd.Flags().BoolVar(&o.Public, "public", false, "post the summary so the customer sees it too (Jira public comment, ServiceNow additional comment)")
}

// visibility is the note's Visibility, or a usage error for both flags.
func (o *noteFlags) visibility() (string, error) {
	switch {
	case o.Internal && o.Public:
		return "", usageErrorf("--internal and --public contradict each other: give one")
	case o.Public:
		return ticketclient.VisibilityPublic, nil
	case o.Internal:
		return ticketclient.VisibilityInternal, nil
	}
	return "", nil
}

// promptFor returns a no-echo prompt when stdin is a terminal, else nil.
func promptFor(ios *IOStreams) func(string) (string, error) {
	f, ok := ios.In.(*os.File)
	if !ios.StdinTTY || !ok {
		return nil
	}
	return func(label string) (string, error) {
		fmt.Fprintf(ios.ErrOut, "%s (input hidden): ", label)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(ios.ErrOut)
		if err != nil {
			return "", fmt.Errorf("read secret: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
}

// printPlan prints a dry run.
func printPlan(ios *IOStreams, s *ticketSession, key string, files []*ticketclient.File, n *ticketclient.Note) {
	fmt.Fprintf(ios.Out, "dry run: %s at %s, ticket %s; nothing is sent\n", s.client.Name(), s.client.Endpoint(), key)
	for _, p := range s.client.Plan(key, files, n) {
		fmt.Fprintf(ios.Out, "\n%s %s\n", p.Method, p.URL)
		for _, h := range p.Headers {
			if h != "" {
				fmt.Fprintf(ios.Out, "  %s\n", h)
			}
		}
		if p.Body != "" {
			fmt.Fprintf(ios.Out, "  %s\n", strings.ReplaceAll(strings.TrimRight(p.Body, "\n"), "\n", "\n  "))
		}
	}
}

// deliver runs a delivery; on a failure worth retrying later it queues the
// delivery in the outbox and says where and how to flush.
func (s *ticketSession) deliver(ctx context.Context, ios *IOStreams, dl *ticketclient.Delivery) (*ticketclient.Ticket, error) {
	dl.System = s.client.Name()
	dl.Settings = s.opts.Settings
	d := &ticketclient.Deliverer{Client: s.client, Backoff: s.opts.Backoff, Sleep: s.opts.Sleep,
		Say: func(format string, args ...any) { fmt.Fprintf(ios.ErrOut, "l2diag: "+format, args...) }}
	t, err := d.Deliver(ctx, dl)
	if err == nil {
		s.markCauses(ctx, ios, t, dl.Note)
		return t, nil
	}
	return t, s.queue(ios, dl, err)
}

// queue keeps a failed delivery in the outbox when a later attempt can
// succeed (server down, rate limit, credentials to fix) and adds the where
// and how to the error's hint. A missing ticket, a too-large file or a
// configuration error would fail again: those are not queued.
func (s *ticketSession) queue(ios *IOStreams, dl *ticketclient.Delivery, cause error) error {
	var te *ticketclient.Error
	if !errors.As(cause, &te) {
		return cause
	}
	switch te.Kind {
	case ticketclient.KindUnavailable, ticketclient.KindRateLimited, ticketclient.KindAuth:
	default:
		return cause
	}
	e, err := s.outbox.Add(dl, cause)
	if err != nil {
		return fmt.Errorf("%w (and keeping it in the outbox failed: %v)", cause, err)
	}
	out := *te
	if out.Hint != "" {
		out.Hint += "; "
	}
	out.Hint += fmt.Sprintf("the delivery is kept in the outbox (%s); once fixed, run: l2diag ticket outbox flush", e.Path())
	return &out
}
