package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/l2diag/l2diag/internal/userfile"
	"github.com/l2diag/l2diag/report/fleet"
	"github.com/l2diag/l2diag/report/render"
	"github.com/l2diag/l2diag/ticketclient"
	"github.com/spf13/cobra"
)

const fleetExitCodes = `Exit codes:
  0    no host has a problem and every bundle was read and verified
  2    at least one host has a problem (a likely cause or a failing check)
  3    no host has a problem, but a bundle was unreadable or failed verification
  64   no bundle given or found, a path that does not exist, a bad flag
  69 / 77  --ticket: as for 'l2diag ticket attach'`

// FleetReportOptions are what `fleet report` works on.
type FleetReportOptions struct {
	IO     *IOStreams
	Env    Env
	Format render.Format
	// Now stamps the report.
	Now func() time.Time
	// Paths are the bundles and folders of bundles.
	Paths    []string
	Incident string
	HTML     string
	Ticket   string
	Conn     ticketConnFlags
}

func newFleetCommand(f *Factory, g *GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fleet",
		Short: "Correlate the bundles of many machines (one incident)",
		Long: `When many users report the same thing, run l2diag on their machines (by hand,
with a remote-support tool, or with the Ansible role in deploy/ansible) and
correlate the bundles: which causes they share, what the affected machines have
in common that the healthy ones do not, and which machine fails alone.
See docs/fleet.md.`,
	}
	cmd.AddCommand(newFleetReportCmd(f, g, nil))
	return cmd
}

func newFleetReportCmd(factory *Factory, g *GlobalOptions, runF func(*FleetReportOptions) error) *cobra.Command {
	o := &FleetReportOptions{IO: factory.IO, Env: factory.Env, Now: factory.Now}
	cmd := &cobra.Command{
		Use:   "report (BUNDLE.zip... | DIR...)",
		Short: "Correlate bundles: common causes, what the affected hosts share, outliers",
		Example: `  l2diag fleet report incidents/INC0012345/
  l2diag fleet report a.zip b.zip c.zip --output markdown
  l2diag fleet report incidents/INC0012345/ --html fleet.html --incident INC0012345
  l2diag fleet report incidents/INC0012345/ --ticket INC0012345`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths, o.Format = args, g.format
			if runF != nil {
				return runF(o)
			}
			return fleetReportRun(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Incident, "incident", "", "name the incident `ID` in the report (default: the --ticket key)")
	f.StringVar(&o.HTML, "html", "", "also write the HTML report (with the host × target heat map) to `FILE`")
	f.StringVar(&o.Ticket, "ticket", "", "attach the fleet report (HTML, JSON, Markdown) to ticket `KEY` with a comment leading with the common cause")
	addTicketConnFlags(cmd, &o.Conn, "ticket-dry-run", factory.TicketSystems)
	cmd.SetUsageTemplate(cmd.UsageTemplate() + "\n" + fleetExitCodes + "\n")
	return cmd
}

// fleetReportRun correlates the bundles, prints the report (and writes the
// HTML, delivers to the ticket) and exits by what it found.
func fleetReportRun(ctx context.Context, o *FleetReportOptions) error {
	ios := o.IO
	paths, err := fleet.Gather(o.Paths)
	if err != nil {
		return &UsageError{Err: err}
	}
	if len(paths) == 0 {
		return usageErrorf("fleet report: no bundle (*.zip) in %v", o.Paths)
	}
	if o.HTML != "" {
		if err := checkOutputFile(o.HTML); err != nil {
			return err
		}
	}
	incident := o.Incident
	if incident == "" {
		incident = o.Ticket
	}
	rep := fleet.Correlate(fleet.Load(paths), incident, o.Now())
	switch o.Format {
	case render.FormatJSON:
		err = fleet.RenderJSON(ios.Out, rep)
	case render.FormatMarkdown:
		err = fleet.RenderMarkdown(ios.Out, rep)
	default:
		err = fleet.RenderText(ios.Out, rep)
	}
	if err != nil {
		return fmt.Errorf("fleet report: write output: %w", err)
	}
	if o.HTML != "" {
		var buf bytes.Buffer
		if err := fleet.RenderHTML(&buf, rep); err != nil {
			return err
		}
		if err := os.WriteFile(o.HTML, buf.Bytes(), 0o644); err != nil {
			return &BundleError{Err: fmt.Errorf("fleet report: write %s: %w", o.HTML, err)}
		}
		fmt.Fprintf(ios.ErrOut, "l2diag: fleet report written to %s\n", o.HTML)
	}
	if o.Ticket != "" {
		if err := fleetToTicket(ctx, o, rep); err != nil {
			return err
		}
	}
	return fleetExit(rep)
}

// checkOutputFile refuses an output path that is a directory or a special
// file before any work is done.
func checkOutputFile(p string) error {
	if err := userfile.CheckReplaceable(p); err != nil {
		return usageErrorf("--html: not a regular file: %v (give a file name to write)", err)
	}
	if err := dirWritable(filepath.Dir(p)); err != nil {
		return usageErrorf("--html: %v", err)
	}
	return nil
}

func fleetExit(rep *fleet.Report) error {
	switch {
	case rep.Counts.Affected > 0:
		return &ExitError{Code: ExitFail}
	case rep.Counts.Tampered+rep.Counts.Unreadable > 0:
		return &ExitError{Code: ExitCheckError}
	}
	return nil
}

// fleetToTicket writes the report in three formats to a temporary folder
// and delivers them with a comment that leads with the common cause.
func fleetToTicket(ctx context.Context, o *FleetReportOptions, rep *fleet.Report) error {
	ios := o.IO
	dir, err := os.MkdirTemp("", "l2diag-fleet-")
	if err != nil {
		return fmt.Errorf("fleet report: %w", err)
	}
	defer os.RemoveAll(dir)
	stamp := rep.GeneratedAt.Format("20060102T150405Z")
	var paths []string
	for _, x := range []struct {
		ext    string
		render func(*bytes.Buffer) error
	}{
		{"html", func(b *bytes.Buffer) error { return fleet.RenderHTML(b, rep) }},
		{"json", func(b *bytes.Buffer) error { return fleet.RenderJSON(b, rep) }},
		{"md", func(b *bytes.Buffer) error { return fleet.RenderMarkdown(b, rep) }},
	} {
		var buf bytes.Buffer
		if err := x.render(&buf); err != nil {
			return err
		}
		p := filepath.Join(dir, fmt.Sprintf("l2diag-fleet-%s.%s", stamp, x.ext))
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			return fmt.Errorf("fleet report: %w", err)
		}
		paths = append(paths, p)
	}
	files, err := openFiles(paths)
	if err != nil {
		return err
	}
	note := &ticketclient.Note{Title: "l2diag fleet report", Text: fleetNoteText(rep)}
	s, k, err := sessionForKey(o.Env.Getenv, ios, &o.Conn, o.Ticket)
	if err != nil {
		return err
	}
	if s.dryRun {
		printPlan(ios, s, k, files, note)
		return nil
	}
	t, err := s.deliver(orBackground(ctx), ios, &ticketclient.Delivery{Key: k, Files: files, Note: note})
	if err != nil {
		return err
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: fleet report attached to %s%s\n", t.Key, where(t))
	return nil
}

// fleetNoteText is the comment: the lead, then each cause with its hosts
// and the best separating value, then the counts.
func fleetNoteText(rep *fleet.Report) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n", rep.Lead())
	for i, c := range rep.Causes {
		if i == 5 {
			fmt.Fprintf(&b, "… %d more cause(s) in the attached report\n", len(rep.Causes)-i)
			break
		}
		fmt.Fprintf(&b, "- %s (%s): %d of %d hosts", c.Headline, c.Code, len(c.Hosts), c.Of)
		if len(c.Shared) > 0 && !c.EveryHost {
			fmt.Fprintf(&b, "; shared: %s %s", c.Shared[0].Attribute, c.Shared[0].Value)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%d bundle(s): %d affected, %d without problems, %d failing verification, %d unreadable.",
		rep.Counts.Bundles, rep.Counts.Affected, rep.Counts.OK, rep.Counts.Tampered, rep.Counts.Unreadable)
	return b.String()
}
