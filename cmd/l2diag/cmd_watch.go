package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/l2diag/l2diag/diag"
	dnscheck "github.com/l2diag/l2diag/diag/dns"
	netcheck "github.com/l2diag/l2diag/diag/net"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/watch"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"github.com/l2diag/l2diag/report/redact"
	"github.com/l2diag/l2diag/report/render"
	"github.com/spf13/cobra"
)

const watchExitCodes = `Exit codes (the worst state seen while watching):
  0    no outage, no loss burst, no latency spike, no network change
  1    degradations (loss bursts, latency spikes) or network changes, no outage
  2    at least one outage
  64   usage or configuration error (nothing was watched)
  69 / 73 / 77  as for 'l2diag run' (ticket delivery, bundle)`

// watchOptions are the flags of `l2diag watch`.
type watchOptions struct {
	run      runOptions
	For      string
	Interval string
	// AttachOnFault attaches a bundle of the first fault's snapshot to
	// --ticket right away, so a long watch reports early.
	AttachOnFault bool

	dur      time.Duration
	interval time.Duration
}

// newWatchCmd wires `l2diag watch`; runF, when set, gets the validated
// options instead of watchRun (tests of the flag wiring).
func newWatchCmd(factory *Factory, g *GlobalOptions, runF func(*watchOptions) error) *cobra.Command {
	ios := factory.IO
	o := &watchOptions{}
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Watch the gateway, DNS servers and targets over time to catch intermittent faults",
		Long: `Probe the default gateways, the DNS servers and the profile's and the command
line's targets over time, until Ctrl-C or --for ends it. An outage, a loss
burst, a latency spike far above a target's own baseline, or a change of
the machine's network (link, address, gateway, DNS servers, VPN, Wi-Fi
signal) is recorded as an event, and the one-shot checks run at that moment
(a snapshot). At the end a bundle holds the timeline, the events, the
snapshots and an HTML timeline; the summary says where the fault sits.
See docs/watch.md.`,
		Example: `  l2diag watch
  l2diag watch --for 2h --ping erp.corp.example --http https://erp.corp.example/ --ticket SUP-123
  l2diag watch --output json --for 10m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.run.from(factory)
			if err := o.validate(g); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return watchRun(cmd.Context(), ios, g, o)
		},
	}
	f := cmd.Flags()
	r := &o.run
	f.StringArrayVar(&r.Ping, "ping", nil, "also watch `HOST` with echo requests (repeatable)")
	f.StringArrayVar(&r.TCP, "tcp", nil, "also watch `HOST:PORT` with timed connects (repeatable)")
	f.StringArrayVar(&r.HTTP, "http", nil, "also watch `URL` (repeatable)")
	f.StringArrayVar(&r.DNSNames, "dns-name", nil, "ask the DNS servers for `NAME` (default: a name of the targets, else the root)")
	f.StringArrayVar(&r.DNSServers, "dns-server", nil, "also watch DNS server `IP[:PORT]` (repeatable)")
	f.StringVar(&r.Profile, "profile", "", "take targets and the watch: section from profile `NAME|FILE`")
	f.StringVar(&o.For, "for", "", "stop after `DURATION` (e.g. 10m, 2h; default: until Ctrl-C)")
	f.StringVar(&o.Interval, "interval", "", "probe ping targets every `DURATION` (default: the profile's watch.interval.ping, 1s)")
	f.BoolVar(&o.AttachOnFault, "attach-on-fault", false, "with --ticket: attach a bundle of the first fault's snapshot at once (the full bundle follows at the end)")
	addBundleFlags(cmd, &r.Bundle)
	addTicketFlags(cmd, &r.Ticket, factory.TicketSystems)
	cmd.SetUsageTemplate(cmd.UsageTemplate() + "\n" + watchExitCodes + "\n")
	return cmd
}

func (o *watchOptions) validate(g *GlobalOptions) error {
	if o.AttachOnFault && o.run.Ticket.Key == "" {
		return usageErrorf("--attach-on-fault attaches to the --ticket: give --ticket KEY too")
	}
	if g.format == render.FormatMarkdown {
		return usageErrorf("--output markdown: watch writes text (a live view) or json (one object per line)")
	}
	if o.For != "" {
		d, err := time.ParseDuration(o.For)
		if err != nil || d <= 0 || d > 30*24*time.Hour {
			return usageErrorf("--for: %q is not a duration between 1s and 720h (use e.g. 10m or 2h)", o.For)
		}
		o.dur = d
	}
	if o.Interval != "" {
		d, err := time.ParseDuration(o.Interval)
		if err != nil || d < 100*time.Millisecond || d > 10*time.Minute {
			return usageErrorf("--interval: %q is not a duration between 100ms and 10m (use e.g. 1s)", o.Interval)
		}
		o.interval = d
	}
	return o.run.validate()
}

func watchRun(parent context.Context, ios *IOStreams, g *GlobalOptions, o *watchOptions) error {
	if parent == nil {
		parent = context.Background()
	}
	// Ctrl-C and SIGTERM end the watch normally: the bundle is written.
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := o.run.profile
	if o.interval > 0 {
		p.Watch.Interval.Ping = profile.Duration(o.interval)
	}
	logBuf := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))

	// A first snapshot of the network finds the gateways and DNS servers
	// and records the state before anything happened.
	if ios.StderrTTY {
		fmt.Fprintln(ios.ErrOut, "l2diag: taking a first snapshot of the network (up to 20 s)…")
	}
	first, firstOut := watchSnapshot(ctx, o, log, p.Watch.Snapshot)
	secrets := runSecrets(o.run.env, o.run.Ticket.Conn.systems)
	var id redact.Identity
	if o.run.Bundle.Redact { // reading it asks the OS (interfaces, Wi-Fi): only when used
		id = machineIdentity(first, firstOut.Facts, o.run.env.Getenv)
	}
	og := bundle.NewOutgoing(first, bundle.OutgoingOptions{Secrets: secrets, Redact: o.run.Bundle.Redact, Identity: id})
	gws, _ := diag.GetFact(firstOut.Facts, diag.FactGateways)
	dnss, _ := diag.GetFact(firstOut.Facts, diag.FactDNSServers)
	targets := watch.BuildTargets(watch.Plan{Profile: p, Targets: o.run.targets, Gateways: gws, DNS: dnss})
	if len(targets) == 0 {
		return usageErrorf("nothing to watch: no gateway or DNS server was found and no target given (add --ping, --tcp, --http or --dns-server)")
	}
	if ctx.Err() != nil {
		return &ExitError{Code: ExitInterrupted}
	}

	work, err := watchWorkDir(&o.run.Bundle)
	if err != nil {
		return &BundleError{Err: err}
	}
	defer os.RemoveAll(work)
	samplesPath := filepath.Join(work, "samples.csv")
	sf, err := os.OpenFile(samplesPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return &BundleError{Err: fmt.Errorf("watch: %w", err)}
	}
	samples := &diskFullWriter{w: sf, ios: ios}

	view := newWatchView(ios, g, og, targets)
	view.header(o.dur)
	wctx := ctx
	if o.dur > 0 {
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, o.dur)
		defer cancel()
	}
	var snapMu sync.Mutex
	snapReports := map[int]*report.Report{}
	snapN := 0
	attached := false
	// The early attachment finishes (or fails) before the final one.
	var faults sync.WaitGroup
	cfg := watch.Config{
		Targets: targets,
		Detect: watch.DetectConfig{OutageAfter: p.Watch.OutageAfter, LossWindow: p.Watch.LossWindow,
			LossEvent: float64(p.Watch.LossEvent) / 100, LatencyFactor: p.Watch.LatencyFactor, LatencyMin: p.Watch.LatencyMin.D()},
		Timeout:     p.Watch.Timeout.D(),
		SystemEvery: p.Watch.System.D(),
		ReadSystem:  readSystem,
		Snapshot: func(ctx context.Context, reason string) *watch.SnapshotResult {
			snapMu.Lock()
			snapN++
			n := snapN
			snapMu.Unlock()
			if n == 1 {
				// The first snapshot was taken before the watch started.
				return snapshotResult(first)
			}
			rep, _ := watchSnapshot(ctx, o, log, p.Watch.Snapshot)
			snapMu.Lock()
			snapReports[n] = rep
			early := o.AttachOnFault && !attached
			attached = attached || early
			snapMu.Unlock()
			if early {
				faults.Go(func() { attachFault(parent, ios, g, o, og, rep, reason) })
			}
			return snapshotResult(rep)
		},
		SnapshotEvery: p.Watch.SnapshotEvery.D(),
		Samples:       samples,
		Emit:          view.emit,
		SummaryEvery:  view.summaryEvery(),
		FallbackPorts: p.Net.Ping.FallbackPorts,
	}
	if p.Net.Trace.Enabled {
		cfg.Trace = func(ctx context.Context, addr string) *watch.Path { return tracePath(ctx, p, addr) }
	}
	res := watch.Run(wctx, cfg)
	_ = sf.Close()
	view.finish(res)
	faults.Wait()
	snapReports[1] = first

	rep := watchReport(p, res)
	// Ctrl-C ended the watch (ctx), not the matching.
	if why := matchKnownFixes(parent, ios, kbPaths(p, o.run.env.Getenv), rep); g.Verbose {
		_, _ = io.WriteString(ios.ErrOut, og.String(strings.Join(why, "")))
	}
	outRep, err := og.Report(rep)
	if err != nil {
		return err
	}
	bundlePath := ""
	if !o.run.Bundle.No {
		bundlePath, err = writeWatchBundle(ios, o, res, rep, outRep, og, samplesPath, snapReports, logBuf)
		if err != nil {
			return err
		}
	}
	if err := afterRunTicket(parent, ios, g, &o.run, outRep, bundlePath); err != nil {
		return err
	}
	if code := ExitCodeForStatus(rep.Status); code != ExitOK {
		return &ExitError{Code: code}
	}
	return nil
}

// watchSnapshot runs the one-shot checks of the given categories with a
// short budget and triage.
func watchSnapshot(ctx context.Context, o *watchOptions, log *slog.Logger, cats []string) (*report.Report, *diag.Outcome) {
	var only []diag.Category
	for _, c := range cats {
		if cat, err := diag.ParseCategory(c); err == nil {
			only = append(only, cat)
		}
	}
	r := &diag.Runner{Specs: o.run.specs, Profile: o.run.profile, Targets: o.run.targets, Log: log,
		Only: only, Skip: o.run.Skip, Budget: 20 * time.Second}
	out := r.Run(ctx)
	diag.MarkBackground(out.Results, o.run.profile, o.run.targets)
	return buildReport(o.run.profile, out), out
}

func snapshotResult(rep *report.Report) *watch.SnapshotResult {
	if rep == nil {
		return nil
	}
	sr := &watch.SnapshotResult{Status: string(rep.HeadlineStatus()), Conclusions: []watch.SnapshotCause{}}
	for _, c := range rep.Conclusions {
		sr.Conclusions = append(sr.Conclusions, watch.SnapshotCause{Code: c.Code, Headline: c.Headline})
	}
	return sr
}

// readSystem is what the watch re-reads of the machine every few seconds.
func readSystem() watch.SystemState {
	st := watch.SystemState{Links: watch.ReadLinks(), WiFi: watch.ReadWiFi(), WiFiAPs: watch.ReadWiFiAPs()}
	if st.WiFi == nil {
		st.WiFi = watch.SignalsOf(st.WiFiAPs)
	}
	if gws, err := netcheck.DefaultGateways(); err != nil {
		st.GatewaysErr = err.Error()
	} else {
		for _, g := range gws {
			st.Gateways = append(st.Gateways, g.String())
		}
		slices.Sort(st.Gateways)
	}
	if srv, err := dnscheck.SystemServers(); err != nil {
		st.DNSErr = err.Error()
	} else {
		for _, s := range srv {
			st.DNSServers = append(st.DNSServers, s.String())
		}
	}
	return st
}

// watchWorkDir is where the samples stream to: beside the bundle (so a
// long watch's timeline is on the disk that will hold the bundle), else
// the temporary folder.
func watchWorkDir(b *bundleOptions) (string, error) {
	dir := b.dir
	if dir == "" && b.Path != "" {
		dir = filepath.Dir(b.Path)
	}
	if dir == "" {
		if cwd, err := os.Getwd(); err == nil && dirWritable(cwd) == nil {
			dir = cwd
		}
	}
	if dir != "" {
		if d, err := os.MkdirTemp(dir, ".l2diag-watch-"); err == nil {
			return d, nil
		}
	}
	return os.MkdirTemp("", "l2diag-watch-")
}

// diskFullWriter stops recording samples at the first write error (a full
// disk) with one clear message; the watch goes on and keeps what it has.
type diskFullWriter struct {
	w      io.Writer
	ios    *IOStreams
	failed bool
}

func (d *diskFullWriter) Write(p []byte) (int, error) {
	if d.failed {
		return len(p), nil
	}
	n, err := d.w.Write(p)
	if err != nil {
		d.failed = true
		fmt.Fprintf(d.ios.ErrOut, "l2diag: watch: recording samples stopped: %v (events and the summary are still kept)\n", err)
		return len(p), nil
	}
	return n, nil
}

// attachFault writes a bundle of the snapshot taken at the first fault and
// delivers it to the ticket with a note saying the watch goes on. It never
// stops the watch: a failure is one line on stderr.
func attachFault(ctx context.Context, ios *IOStreams, g *GlobalOptions, o *watchOptions, og *bundle.Outgoing, rep *report.Report, reason string) {
	if rep == nil || o.run.Bundle.No {
		return
	}
	outRep, err := og.Report(rep)
	if err != nil {
		fmt.Fprintf(ios.ErrOut, "l2diag: watch: early attachment skipped: %v\n", err)
		return
	}
	dst, err := o.run.Bundle.destination(rep, rep.StartedAt)
	if err != nil {
		fmt.Fprintf(ios.ErrOut, "l2diag: watch: early attachment skipped: %v\n", err)
		return
	}
	dst = strings.TrimSuffix(dst, ".zip") + "-fault.zip"
	if _, err := bundle.Write(dst, &bundle.Input{Report: outRep, CommandLine: maskArgs(o.run.argsLine), EndedAt: time.Now().UTC()},
		bundle.Options{Outgoing: og}); err != nil {
		fmt.Fprintf(ios.ErrOut, "l2diag: watch: early attachment skipped: %v\n", err)
		return
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: watch: %s: attaching the snapshot now (the watch goes on)\n", og.String(reason))
	if err := afterRunTicket(ctx, ios, g, &o.run, outRep, dst); err != nil {
		fmt.Fprintf(ios.ErrOut, "l2diag: watch: early attachment failed: %v (the full bundle is attached at the end)\n", err)
	}
}

// tracePath traces the path to a watch target's host (a name is resolved
// first) within a bounded time.
func tracePath(ctx context.Context, p *profile.Profile, addr string) *watch.Path {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		ips, lerr := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		if lerr != nil || len(ips) == 0 {
			return &watch.Path{Err: "cannot resolve " + host}
		}
		ip = ips[0].Unmap()
	}
	hops, reached, err := netcheck.TracePath(ctx, p.Net.Trace, ip)
	if err != nil {
		return &watch.Path{Err: err.Error()}
	}
	out := &watch.Path{Reached: reached, Hops: []string{}}
	for _, h := range hops {
		a := h.Address
		if a == "" {
			a = "*"
		}
		out.Hops = append(out.Hops, a)
	}
	return out
}
