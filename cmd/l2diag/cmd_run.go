package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/diag/triage"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"github.com/l2diag/l2diag/report/redact"
	"github.com/l2diag/l2diag/report/render"
	"github.com/spf13/cobra"
)

// runOptions are the flags of `l2diag run`.
type runOptions struct {
	Ping, TCP, HTTP, DNSNames, DNSServers, Paths []string
	Only, Skip                                   []string
	Timeout                                      string
	Profile                                      string

	Bundle bundleOptions
	Ticket ticketOptions
	Intake intakeOptions
	// KBTickets searches the ticket system for solved tickets about the
	// run's causes without a --ticket to deliver to.
	KBTickets bool

	// Set by validate.
	targets  *diag.Targets
	only     []diag.Category
	budget   time.Duration
	profile  *profile.Profile
	argsLine []string
	// specs are the checks the run may plan and --skip accepts.
	specs []diag.Spec
	// stdinTTY: stdin is a terminal, so --ticket may ask for a missing
	// secret after the run.
	stdinTTY bool
	// env is the environment: secrets to mask, the ticket configuration,
	// L2DIAG_KB, the bundle's fallback folders.
	env Env
	// onlyGiven: --only was on the command line (an empty one must not
	// mean "everything").
	onlyGiven bool
	intake    *report.Intake
	// kbSession is the ticket session of --kb-tickets without --ticket.
	kbSession *ticketSession
}

// newRunCmd wires `l2diag run`; runF, when set, gets the validated options
// instead of runRun (tests of the flag wiring).
func newRunCmd(factory *Factory, g *GlobalOptions, runF func(*runOptions) error) *cobra.Command {
	ios := factory.IO
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the diagnostics of a profile and report what is wrong",
		Long: `Run every applicable check of the profile (the built-in default unless
--profile says otherwise) concurrently, within the run's time budget, and
report the results grouped by category, each problem with a hint for the
next step. Ad-hoc targets add to the profile's. The evidence goes into a
bundle, l2diag-<host>-<UTC time>.zip in the current directory, unless
--bundle or --no-bundle says otherwise.`,
		Example: `  l2diag run
  l2diag run --tcp intranet.example.com:443 --http https://intranet.example.com/
  l2diag run --only dns --dns-name ad.example.com --dns-server 10.0.0.53
  l2diag run --only dns --dns-name intranet.example.com=10.20.0.5
  l2diag run --path rw=/srv/share --output markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.from(factory)
			opts.onlyGiven = cmd.Flags().Changed("only")
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runRun(cmd.Context(), ios, g, opts)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.Ping, "ping", nil, "ping `HOST` (repeatable)")
	f.StringArrayVar(&opts.TCP, "tcp", nil, "connect to `HOST:PORT` (repeatable)")
	f.StringArrayVar(&opts.HTTP, "http", nil, "fetch `URL` with timings and certificate checks (repeatable)")
	f.StringArrayVar(&opts.DNSNames, "dns-name", nil, "resolve `NAME` against every DNS server; NAME=IP[,IP...] or NAME=private also says what it must resolve to (repeatable)")
	f.StringArrayVar(&opts.DNSServers, "dns-server", nil, "also query DNS server `IP[:PORT]` (repeatable)")
	f.StringArrayVar(&opts.Paths, "path", nil, "check access to `[MODES=]PATH`, MODES from r, w, x (default r; repeatable)")
	f.StringSliceVar(&opts.Only, "only", nil, "run and report only these `CATEGORY`s: net, dns, host, perm, org (comma-separated or repeated)")
	f.StringSliceVar(&opts.Skip, "skip", nil, "do not run these `CHECK-ID`s (comma-separated or repeated; see 'l2diag checks')")
	f.StringVar(&opts.Timeout, "timeout", "", "time budget of the whole run, a `DURATION` such as 30s or 2m (default: the profile's, 30s)")
	f.StringVar(&opts.Profile, "profile", "", "run the profile `NAME|FILE` (default: the built-in default; see 'l2diag profile show')")
	addBundleFlags(cmd, &opts.Bundle)
	addTicketFlags(cmd, &opts.Ticket, factory.TicketSystems)
	addIntakeFlags(cmd, &opts.Intake)
	f.BoolVar(&opts.KBTickets, "kb-tickets", false, "look up solved tickets with the same cause in the configured ticket system (on by default with --ticket; docs/knowledge.md)")
	cmd.SetUsageTemplate(cmd.UsageTemplate() + "\n" + exitCodesHelp + "\n")
	return cmd
}

// from takes what a run needs of the process from f: the command line to
// log, the checks, whether stdin is a terminal, the environment and the
// ticket systems.
func (o *runOptions) from(f *Factory) {
	o.argsLine, o.specs, o.stdinTTY, o.env = f.Args, f.Specs(), f.IO.StdinTTY, f.Env
	o.Ticket.Conn.systems = f.TicketSystems
}

// validate parses every flag value before anything runs; a bad one is a
// usage error naming the value and the accepted form.
func (o *runOptions) validate() error {
	t := &diag.Targets{}
	for _, h := range o.Ping {
		if err := target.Host(h); err != nil {
			return usageErrorf("--ping: %v", err)
		}
		t.Ping = append(t.Ping, h)
	}
	for _, s := range o.TCP {
		hp, err := target.ParseHostPort(s)
		if err != nil {
			return usageErrorf("--tcp: %v", err)
		}
		t.TCP = append(t.TCP, hp)
	}
	for _, s := range o.HTTP {
		u, err := target.ParseURL(s)
		if err != nil {
			return usageErrorf("--http: %v", err)
		}
		t.HTTP = append(t.HTTP, u)
	}
	for _, s := range o.DNSNames {
		name, exp, err := target.ParseNameExpect(s)
		if err != nil {
			return usageErrorf("--dns-name: %v", err)
		}
		t.DNSNames = append(t.DNSNames, name)
		if exp.Set() {
			if t.DNSExpect == nil {
				t.DNSExpect = map[string]target.Expectation{}
			}
			t.DNSExpect[strings.ToLower(strings.TrimSuffix(name, "."))] = exp
		}
	}
	for _, s := range o.DNSServers {
		ap, err := target.ParseDNSServer(s)
		if err != nil {
			return usageErrorf("--dns-server: %v", err)
		}
		t.DNSServers = append(t.DNSServers, ap)
	}
	for _, s := range o.Paths {
		p, err := target.ParsePath(s)
		if err != nil {
			return usageErrorf("--path: %v", err)
		}
		t.Paths = append(t.Paths, p)
	}
	o.targets = t
	for _, c := range splitList(o.Only) {
		cat, err := diag.ParseCategory(c)
		if err != nil {
			return usageErrorf("--only: %v", err)
		}
		o.only = append(o.only, cat)
	}
	if o.onlyGiven && len(o.only) == 0 {
		return usageErrorf("--only: empty: name at least one category (net, dns, host, perm, org), or drop --only to run them all")
	}
	o.Skip = splitList(o.Skip)
	known := knownCheckIDs(o.specs)
	for _, id := range o.Skip {
		if !known[id] {
			return usageErrorf("--skip: unknown check ID %q (see 'l2diag checks' for the IDs)", id)
		}
	}
	if o.Timeout != "" {
		d, err := time.ParseDuration(o.Timeout)
		if err != nil || d <= 0 {
			return usageErrorf("--timeout: %q is not a positive duration (use e.g. 30s, 90s or 2m)", o.Timeout)
		}
		if d > profile.MaxRunTimeout {
			return usageErrorf("--timeout: %q is longer than %s, the most a run may take (use e.g. 30s, 90s or 2m)", o.Timeout, profile.MaxRunTimeout)
		}
		o.budget = d
	}
	in, err := o.Intake.intake()
	if err != nil {
		return err
	}
	o.intake = in
	p, err := profile.Load(intakeProfile(o.Intake.Symptom, o.Profile))
	if err != nil {
		return &UsageError{Err: err}
	}
	if err := checkProfileSkip(p, o.specs); err != nil {
		return err
	}
	o.profile = p
	o.Bundle.getenv = o.env.Getenv
	if err := o.Bundle.validate(); err != nil {
		return err
	}
	if err := o.Ticket.validate(o.env.Getenv, o.stdinTTY, o.Bundle.No); err != nil {
		return err
	}
	if o.KBTickets && o.Ticket.Key == "" {
		s, err := openTicketSession(o.env.Getenv, nil, &o.Ticket.Conn, "", nil)
		if err != nil {
			return fmt.Errorf("--kb-tickets: %w", err)
		}
		o.kbSession = s
	}
	return nil
}

// lookupSession is the ticket session solved tickets are searched with:
// --kb-tickets's, or --ticket's (opened now when stdin is a terminal and
// the credentials need no prompt; else the lookup is skipped).
func (o *runOptions) lookupSession(ios *IOStreams) *ticketSession {
	switch {
	case o.kbSession != nil:
		return o.kbSession
	case o.Ticket.Key == "":
		return nil
	case o.Ticket.session != nil:
		return o.Ticket.session
	}
	s, err := openTicketSession(o.env.Getenv, nil, &o.Ticket.Conn, o.Ticket.key, nil)
	if err != nil {
		fmt.Fprintf(ios.ErrOut, "l2diag: solved tickets: not searched before the credentials are asked for (%v)\n", err)
		return nil
	}
	return s
}

func runRun(parent context.Context, ios *IOStreams, g *GlobalOptions, o *runOptions) error {
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Everything that leaves the process goes through the run's outgoing
	// filter (bundle.Outgoing). The -v log streams through the secret
	// scrub; with --redact the pseudonyms depend on the finished report,
	// so the log is printed after the run, through the same filter as
	// the report and the bundle.
	secrets := runSecrets(o.env, o.Ticket.Conn.systems)
	logBuf := &lockedBuffer{}
	var logW io.Writer = logBuf
	var liveLog io.WriteCloser
	if g.Verbose && !o.Bundle.Redact {
		liveLog = bundle.NewOutgoing(nil, bundle.OutgoingOptions{Secrets: secrets}).Writer(ios.ErrOut)
		logW = io.MultiWriter(logBuf, liveLog)
	}
	log := slog.New(slog.NewTextHandler(logW, &slog.HandlerOptions{Level: slog.LevelDebug}))
	log.Info("run starting", "version", toolVersion(), "profile", o.profile.Source, "args", maskArgs(o.argsLine))

	prog := newProgressLine(ios, g)
	r := &diag.Runner{
		Specs:    o.specs,
		Profile:  o.profile,
		Targets:  o.targets,
		Log:      log,
		Only:     o.only,
		Skip:     o.Skip,
		Budget:   o.budget,
		Progress: prog.event,
	}
	out := r.Run(ctx)
	prog.clear()

	diag.MarkBackground(out.Results, o.profile, o.targets)
	rep := buildReport(o.profile, out)
	rep.Intake = o.intake
	kbWhy := matchKnownFixes(ctx, ios, kbPaths(o.profile, o.env.Getenv), rep)
	log.Info("run finished", "status", rep.Status, "duration_ms", rep.DurationMS, "interrupted", out.Interrupted)

	var id redact.Identity
	if o.Bundle.Redact { // reading it asks the OS (interfaces, Wi-Fi): only when used
		id = machineIdentity(rep, out.Facts, o.env.Getenv)
	}
	og := bundle.NewOutgoing(rep, bundle.OutgoingOptions{Secrets: secrets, Redact: o.Bundle.Redact, Identity: id})
	if liveLog != nil {
		_ = liveLog.Close()
	} else if g.Verbose {
		_, _ = io.WriteString(ios.ErrOut, og.String(string(logBuf.Bytes())))
	}
	if g.Verbose {
		_, _ = io.WriteString(ios.ErrOut, og.String(strings.Join(kbWhy, "")))
	}
	var lookup *solvedLookup
	if !out.Interrupted {
		lookup = startSolvedLookup(ctx, o.lookupSession(ios), rep)
	}
	outRep, err := og.Report(rep)
	if err != nil {
		return err
	}
	// A report that cannot reach stdout (closed pipe, full disk) must not
	// cost the evidence: the bundle and the ticket go on, then exit 74.
	var stdoutErr error
	printReport := func() {
		if err := render.Render(ios.Out, outRep, g.format, render.Options{Color: ios.Color(g), Verbose: g.Verbose, ASCII: ios.ASCII}); err != nil && stdoutErr == nil {
			stdoutErr = &IOError{Err: fmt.Errorf("writing the report to stdout failed: %w", err)}
			fmt.Fprintf(ios.ErrOut, "l2diag: %v; the bundle is written all the same\n", stdoutErr)
		}
	}
	// The verdict is printed at once; solved tickets follow it. JSON is one
	// document, so it waits for the (bounded) lookup.
	if g.format != render.FormatJSON {
		printReport()
	}
	if lookup != nil {
		lookup.finish(ios, rep)
		if outRep, err = og.Report(rep); err != nil {
			return err
		}
		writeSolved(ios, g.format, lookup, outRep)
	}
	if g.format == render.FormatJSON {
		printReport()
	}
	bundlePath, err := afterRunBundle(ios, o, rep, outRep, og, out, logBuf)
	if err != nil {
		return err
	}
	if out.Interrupted {
		return &ExitError{Code: ExitInterrupted}
	}
	if err := afterRunTicket(ctx, ios, g, o, outRep, bundlePath); err != nil {
		return err
	}
	if stdoutErr != nil {
		// Already said above.
		return &ExitError{Code: ExitIOErr}
	}
	if code := ExitCodeForStatus(rep.Status); code != ExitOK {
		return &ExitError{Code: code}
	}
	return nil
}

// buildReport turns the runner's outcome into the schema-1 report.
func buildReport(p *profile.Profile, out *diag.Outcome) *report.Report {
	rep := &report.Report{
		Tool:        report.Tool{Name: "l2diag", Version: toolVersion()},
		Host:        hostInfo(),
		Profile:     p.Name,
		StartedAt:   out.Started.UTC().Truncate(time.Millisecond),
		DurationMS:  out.Duration.Milliseconds(),
		Interrupted: out.Interrupted,
		Results:     out.Results,
	}
	rep.Finish()
	rep.Conclusions = triage.Conclude(rep)
	rep.TellUser = triage.Tell(rep.Conclusions, rep.Status)
	return rep
}

func hostInfo() report.Host {
	h, _ := os.Hostname()
	return report.Host{Hostname: h, OS: runtime.GOOS, Arch: runtime.GOARCH}
}

// secretFlags are flags whose values are masked wherever the command line
// is logged or stored.
var secretFlags = []string{"--token", "--password", "--secret"}

// maskArgs masks the values of secret-looking flags and user:password@ in
// URLs so the command line can be logged and bundled.
func maskArgs(args []string) []string {
	out := slices.Clone(args)
	for i, a := range out {
		for _, f := range secretFlags {
			if a == f && i+1 < len(out) {
				out[i+1] = "***"
			}
			if strings.HasPrefix(a, f+"=") {
				out[i] = f + "=***"
			}
		}
		if j := strings.Index(a, "://"); j >= 0 {
			if at := strings.Index(a[j+3:], "@"); at >= 0 && strings.Contains(a[j+3:j+3+at], ":") {
				out[i] = a[:j+3] + "***@" + a[j+3+at+1:]
			}
		}
	}
	return out
}
