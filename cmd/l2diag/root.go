package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/render"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// GlobalOptions are the flags every command takes.
type GlobalOptions struct {
	Output  string
	NoColor bool
	Verbose bool
	format  render.Format
}

// Main runs the CLI with args on ios and the process's environment, and
// returns the exit code.
func Main(args []string, ios *IOStreams) int {
	return mainWith(args, systemFactory(ios))
}

// mainWith runs the CLI with args and f and returns the exit code.
func mainWith(args []string, f *Factory) int {
	ios := f.IO
	out := &outWriter{w: ios.Out}
	ios.Out = out
	root := newRootCommand(f)
	root.SetArgs(args)
	err := singleDashFlag(root, args)
	if err == nil {
		err = root.Execute()
	}
	// stdoutSaid: the failed stdout write is already named on stderr (by
	// the command, or below with the error it returned).
	var ee *ExitError
	stdoutSaid := errors.As(err, &ee) && ee.Code == ExitIOErr
	if err != nil {
		if !errors.As(err, &ee) {
			msg := err.Error()
			if out.err != nil && errors.Is(err, out.err) && !strings.Contains(msg, "stdout") {
				msg = "writing to stdout failed: " + msg
			}
			stdoutSaid = stdoutSaid || strings.Contains(msg, "stdout")
			// An error can quote a hostile zip entry or server answer.
			fmt.Fprintf(ios.ErrOut, "l2diag: %s\n", report.Printable(msg))
			if hint := hintFor(err); hint != "" {
				fmt.Fprintf(ios.ErrOut, "  hint: %s\n", report.Printable(hint))
			}
		}
	}
	if out.err != nil && !stdoutSaid {
		fmt.Fprintf(ios.ErrOut, "l2diag: writing to stdout failed: %v\n", out.err)
	}
	return finalCode(err, out.err)
}

func newRootCommand(f *Factory) *cobra.Command {
	ios := f.IO
	g := &GlobalOptions{}
	root := &cobra.Command{
		Use:   "l2diag",
		Short: "Network, DNS, host and permission diagnostics for IT support",
		Long: `l2diag runs network, DNS, host and permission diagnostics on this machine,
says in plain words what is wrong and where to look next, writes a bundle of
the evidence and can attach it to a Jira or ServiceNow ticket.

Start with:  l2diag run`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			f, err := render.ParseFormat(g.Output)
			if err != nil {
				return &UsageError{Err: fmt.Errorf("--output: %w", err)}
			}
			g.format = f
			return nil
		},
	}
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &UsageError{Err: fmt.Errorf("%w (see '%s --help')", err, cmd.CommandPath())}
	})
	pf := root.PersistentFlags()
	pf.StringVarP(&g.Output, "output", "o", "text", "output `FORMAT`: text, json or markdown")
	pf.BoolVar(&g.NoColor, "no-color", false, "no colors in output (also when NO_COLOR is set)")
	pf.BoolVarP(&g.Verbose, "verbose", "v", false, "show every finding and the debug log on stderr")

	root.AddCommand(
		newRunCmd(f, g, nil),
		newAskCmd(f, g, nil),
		newChecksCmd(f, g, nil),
		newProfileCmd(f, nil),
		newExplainCmd(f, g, nil),
		newVersionCmd(f, g, nil),
		newBundleCommand(f, g),
		newTicketCommand(f, g),
		newKBCommand(f, g),
		newFleetCommand(f, g),
		newWatchCmd(f, g, nil),
	)
	// Unknown subcommands and wrong argument counts are usage errors.
	wrapArgs(root)
	registerCompletions(root, f.Specs, f.TicketSystems)
	return root
}

// wrapArgs turns cobra's argument-validation errors into usage errors.
func wrapArgs(c *cobra.Command) {
	if c.Args != nil {
		orig := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := orig(cmd, args); err != nil {
				if !strings.Contains(err.Error(), cmd.CommandPath()) {
					err = fmt.Errorf("%s: %w", cmd.Name(), err)
				}
				return &UsageError{Err: fmt.Errorf("%w (see '%s --help')", err, cmd.CommandPath())}
			}
			return nil
		}
	} else if c.HasSubCommands() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return &UsageError{Err: fmt.Errorf("unknown command %q for %q (see '%s --help')", args[0], cmd.CommandPath(), cmd.CommandPath())}
			}
			return nil
		}
		if c.Run == nil && c.RunE == nil {
			c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}

// hintFor returns the follow-up hint of a typed error, if it has one.
func hintFor(err error) string {
	type hinter interface{ HintText() string }
	var h hinter
	if errors.As(err, &h) {
		return h.HintText()
	}
	return ""
}

// splitList splits comma-separated, repeatable flag values.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// singleDashFlag catches a long flag written with one dash (-output, a
// PowerShell habit), which pflag would read as -o with the value "utput"
// or as an argument: a usage error that names the right spelling.
func singleDashFlag(root *cobra.Command, args []string) error {
	names := map[string]bool{}
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{c.Flags(), c.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) { names[f.Name] = true })
		}
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(root)
	for _, a := range args {
		if a == "--" {
			break
		}
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if len(name) >= 2 && names[name] {
			return &UsageError{Err: fmt.Errorf("unknown flag %s: did you mean --%s? (long flags take two dashes)", a, strings.TrimPrefix(a, "-"))}
		}
	}
	return nil
}
