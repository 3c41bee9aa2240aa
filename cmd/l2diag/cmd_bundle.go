package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/internal/userfile"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"github.com/l2diag/l2diag/report/diff"
	"github.com/l2diag/l2diag/report/render"
	"github.com/spf13/cobra"
)

const bundleExitCodes = `Exit codes:
  0    the bundle is intact (verify), shown or compared
  2    verify: a file is missing, changed or not in the manifest
  64   the file is missing, not a zip, not an l2diag bundle, or of a newer version`

func newBundleCommand(f *Factory, g *GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bundle",
		Short: "Show, verify and compare bundles",
		Long: `A bundle is the zip 'l2diag run' writes: report.json, report.md,
report.html, manifest.json (sizes and SHA-256 of every file), raw/ (the
evidence the checks read) and l2diag.log. See docs/bundles.md.`,
	}
	cmd.AddCommand(newBundleShowCmd(f, g, nil), newBundleVerifyCmd(f, nil), newBundleDiffCmd(f, g, nil))
	return cmd
}

// BundleShowOptions are what `bundle show` works on.
type BundleShowOptions struct {
	IO *IOStreams
	// Getenv reads L2DIAG_KB, for the known fixes.
	Getenv func(string) string
	// Global holds the output format, --verbose and --no-color.
	Global GlobalOptions
	Path   string
	List   bool
	File   string
}

func newBundleShowCmd(f *Factory, g *GlobalOptions, runF func(*BundleShowOptions) error) *cobra.Command {
	o := &BundleShowOptions{IO: f.IO, Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "show FILE",
		Short: "Print a bundle's report (or one of its files)",
		Example: `  l2diag bundle show l2diag-ws042-20250101T101500Z.zip
  l2diag bundle show b.zip --output markdown
  l2diag bundle show b.zip --list
  l2diag bundle show b.zip --file raw/facts.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path, o.Global = args[0], *g
			if runF != nil {
				return runF(o)
			}
			return bundleShowRun(o)
		},
	}
	cmd.Flags().BoolVar(&o.List, "list", false, "list the bundle's files with sizes and what produced them")
	cmd.Flags().StringVar(&o.File, "file", "", "print the bundle file `NAME` (e.g. raw/facts.json) as it is")
	cmd.SetUsageTemplate(cmd.UsageTemplate() + "\n" + bundleExitCodes + "\n")
	return cmd
}

// openBundleArg opens a bundle named on the command line; every failure is
// a usage error (exit 64) that says what is wrong with the file.
func openBundleArg(path string) (*bundle.Bundle, error) {
	return bundleArgError(bundle.Open(path))
}

func bundleArgError(b *bundle.Bundle, err error) (*bundle.Bundle, error) {
	if err != nil {
		path := ""
		var ue *userfile.Error
		if errors.As(err, &ue) {
			path = ue.Path
		}
		if errors.Is(err, fs.ErrNotExist) && path != "" {
			return nil, usageErrorf("bundle: %s does not exist", path)
		}
		return nil, &UsageError{Err: fmt.Errorf("bundle: %w", err)}
	}
	return b, nil
}

// bundleShowRun prints the bundle's report with today's known fixes, its
// file list, or one of its files.
func bundleShowRun(o *BundleShowOptions) error {
	ios, g := o.IO, &o.Global
	b, err := openBundleArg(o.Path)
	if err != nil {
		return err
	}
	defer b.Close()
	switch {
	case o.File != "":
		if ios.StdoutTTY {
			// On a terminal the file's control characters show as escapes;
			// through a pipe it goes out byte for byte.
			data, err := b.ReadFile(o.File)
			if err != nil {
				return &UsageError{Err: fmt.Errorf("bundle: %w (see --list)", err)}
			}
			_, err = ios.Out.Write(report.PrintableBytes(data))
			return err
		}
		rc, err := b.Open(o.File)
		if err != nil {
			return &UsageError{Err: fmt.Errorf("bundle: %w (see --list)", err)}
		}
		defer rc.Close()
		_, err = io.Copy(ios.Out, rc)
		return err
	case o.List:
		m, pl := b.Manifest, report.PrintableLine
		fmt.Fprintf(ios.Out, "%s  %s %s  host %s  started %s  redacted %v\n", pl(b.Path), pl(m.Tool.Name), pl(m.Tool.Version), pl(m.Host.Hostname), m.StartedAt.UTC().Format("2006-01-02 15:04:05Z"), m.Redacted)
		for _, f := range m.Files {
			note := ""
			switch {
			case f.Command != "" && f.ExitCode != nil:
				note = fmt.Sprintf("  $ %s (exit %d)", pl(f.Command), *f.ExitCode)
			case f.Command != "":
				note = "  $ " + pl(f.Command)
			case f.Source != "":
				note = "  < " + pl(f.Source)
			}
			if f.Truncated {
				note += fmt.Sprintf("  [cut from %s]", humanBytes(f.OriginalSize))
			}
			fmt.Fprintf(ios.Out, "%10s  %s%s\n", humanBytes(f.Size), pl(f.Name), note)
		}
		return nil
	}
	// The known fixes are those of today's knowledge base: the one the
	// bundle's profile names here, if it exists, and L2DIAG_KB.
	p, err := profile.Load(b.Report.Profile)
	if err != nil {
		p = profile.Default()
	}
	if paths := kbPaths(p, o.Getenv); len(paths) > 0 {
		why := matchKnownFixes(context.Background(), ios, paths, b.Report)
		if g.Verbose {
			fmt.Fprint(ios.ErrOut, strings.Join(why, ""))
		}
	}
	return render.Render(ios.Out, b.Report, g.format, render.Options{Color: ios.Color(g), Verbose: g.Verbose, ASCII: ios.ASCII})
}

// BundleVerifyOptions are what `bundle verify` works on.
type BundleVerifyOptions struct {
	IO   *IOStreams
	Path string
}

func newBundleVerifyCmd(f *Factory, runF func(*BundleVerifyOptions) error) *cobra.Command {
	o := &BundleVerifyOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "verify FILE",
		Short: "Check every file of a bundle against its manifest",
		Long: `Check that every file the manifest lists is present with the same size
and SHA-256, and that the zip holds nothing the manifest does not list.
Prints the SHA-256 of the whole bundle, to compare with the one the run
printed or the ticket shows.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			if runF != nil {
				return runF(o)
			}
			return bundleVerifyRun(o)
		},
	}
	cmd.SetUsageTemplate(cmd.UsageTemplate() + "\n" + bundleExitCodes + "\n")
	return cmd
}

// bundleVerifyRun checks every file against the manifest: "ok" with the
// bundle's SHA-256, or each problem and exit 2.
func bundleVerifyRun(o *BundleVerifyOptions) error {
	ios, path := o.IO, o.Path
	b, err := bundleArgError(bundle.OpenManifest(path))
	var te *bundle.TamperError
	if errors.As(err, &te) {
		for _, p := range te.Problems {
			fmt.Fprintf(ios.Out, "FAIL: %s: %s\n", report.PrintableLine(p.File), report.PrintableLine(p.Problem))
		}
		fmt.Fprintf(ios.ErrOut, "l2diag: bundle verify: %s: the zip's structure was changed after it was written; no file of it can be trusted\n", path)
		return &ExitError{Code: ExitFail}
	}
	if err != nil {
		return err
	}
	defer b.Close()
	probs := b.Verify()
	if len(probs) == 0 {
		fmt.Fprintf(ios.Out, "ok: %s: %d files match the manifest (bundle sha256 %s)\n", path, len(b.Manifest.Files), b.SHA256)
		return nil
	}
	for _, p := range probs {
		fmt.Fprintf(ios.Out, "FAIL: %s: %s\n", report.PrintableLine(p.File), report.PrintableLine(p.Problem))
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: bundle verify: %s: %d of %d files do not match the manifest; the bundle was changed or damaged after it was written\n", path, len(probs), len(b.Manifest.Files))
	return &ExitError{Code: ExitFail}
}

// BundleDiffOptions are what `bundle diff` works on.
type BundleDiffOptions struct {
	IO        *IOStreams
	Format    render.Format
	A, B      string
	Threshold float64
}

func newBundleDiffCmd(f *Factory, g *GlobalOptions, runF func(*BundleDiffOptions) error) *cobra.Command {
	o := &BundleDiffOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "Compare two bundles: before and after a fix, or a broken machine and a good one",
		Long: `Compare two bundles and print what changed from A to B: results whose
status changed, results and findings that are new or vanished, metrics that
moved beyond the threshold (_ms metrics also by more than 20 ms; percentages
by 5 points or more, whatever the threshold), and configuration that
changed: the discovered facts (DNS servers, search domains, gateways,
proxy, ...) and configuration details of results (routes, certificate
issuer, ...).`,
		Example: `  l2diag bundle diff before.zip after.zip
  l2diag bundle diff broken.zip good.zip --threshold 25 --output json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.A, o.B, o.Format = args[0], args[1], g.format
			if runF != nil {
				return runF(o)
			}
			return bundleDiffRun(o)
		},
	}
	cmd.Flags().Float64Var(&o.Threshold, "threshold", diff.DefaultRelThreshold*100, "report metrics that moved more than `PERCENT` of their value in A (percentages: 5 points)")
	cmd.SetUsageTemplate(cmd.UsageTemplate() + "\n" + bundleExitCodes + "\n")
	return cmd
}

// bundleDiffRun prints what changed from bundle A to B.
func bundleDiffRun(o *BundleDiffOptions) error {
	ios := o.IO
	if o.Threshold <= 0 {
		return usageErrorf("--threshold: %v is not a positive percentage (use e.g. 50)", o.Threshold)
	}
	a, err := openBundleArg(o.A)
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := openBundleArg(o.B)
	if err != nil {
		return err
	}
	defer b.Close()
	d, err := bundle.Diff(a, b, diff.Options{RelThreshold: o.Threshold / 100})
	if err != nil {
		return &UsageError{Err: fmt.Errorf("bundle diff: %w", err)}
	}
	if o.Format == render.FormatJSON {
		enc := json.NewEncoder(ios.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	return diff.RenderText(ios.Out, d)
}
