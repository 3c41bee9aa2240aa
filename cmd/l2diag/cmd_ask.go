package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/huh"
	"github.com/l2diag/l2diag/report"
	"github.com/spf13/cobra"
)

// AskOptions are what `l2diag ask` works on.
type AskOptions struct {
	IO *IOStreams
	// Global holds the output format, --verbose and --no-color of the run.
	Global GlobalOptions
	// Plain asks line by line with numbered choices (screen readers,
	// remote sessions that garble full-screen forms, and tests).
	Plain bool
	// factory gives the run its checks, command line and environment.
	factory *Factory
}

// askAnswers are what the form collects.
type askAnswers struct {
	Symptom, Subject, Since, Scope, Connection, Changed, Ticket string
	// in is where the answers come from (plain: one line per Read), kept
	// for the questions after the run.
	in    io.Reader
	plain bool
}

func newAskCmd(f *Factory, g *GlobalOptions, runF func(*AskOptions) error) *cobra.Command {
	o := &AskOptions{IO: f.IO, factory: f}
	cmd := &cobra.Command{
		Use:   "ask",
		Short: "Guided intake for 1st level: ask what the user reports, run the right checks, attach to the ticket",
		Long: `Ask what the user reports (a short form: the symptom, the app, site, share or
server involved, since when, who is affected, how the machine is connected,
what changed), then run the matching symptom profile with those targets,
show the verdict in plain words and, when a ticket number was given, attach
the bundle to it with the answers leading the comment. "Drops out sometimes"
offers to watch the connection for a while.

Scripts use 'l2diag run --symptom … --since … --scope … --note …' instead.
See docs/first-level.md.`,
		Example: `  l2diag ask
  l2diag ask --plain      # numbered choices, one answer per line`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Global = *g
			if runF != nil {
				return runF(o)
			}
			return askRun(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&o.Plain, "plain", false, "ask line by line with numbered choices instead of a full-screen form")
	return cmd
}

func options(cs []report.Choice) []huh.Option[string] {
	out := make([]huh.Option[string], len(cs))
	for i, c := range cs {
		out[i] = huh.NewOption(c.Label, c.Code)
	}
	return out
}

// subjectPrompt is the question about the subject, by symptom.
func subjectPrompt(symptom string) (title, placeholder string) {
	switch symptom {
	case "site-unreachable", "slow":
		return "Which site or app? (its address)", "https://erp.example.com/"
	case "file-share":
		return "Which share or drive? (its path)", `\\fileserver\share`
	case "printer":
		return "Which printer? (its name or address)", "printer-3rd-floor"
	case "sign-in":
		return "Sign-in to what? (a server or site; empty if Windows sign-in)", "https://login.example.com/"
	}
	return "Which app, site or server is involved? (empty if none)", "server.example.com"
}

// askForm asks the questions. Plain mode reads one answer per line.
func askForm(ios *IOStreams, plain bool) (*askAnswers, error) {
	a := &askAnswers{plain: plain, in: ios.In}
	if plain {
		a.in = &lineReader{r: bufio.NewReader(ios.In)}
	}
	in := a.in
	run := func(groups ...*huh.Group) error {
		f := huh.NewForm(groups...).WithAccessible(plain).WithInput(in).WithOutput(ios.Out).WithShowHelp(!plain)
		err := f.Run()
		if errors.Is(err, huh.ErrUserAborted) {
			return &ExitError{Code: ExitInterrupted}
		}
		return err
	}
	if err := run(huh.NewGroup(huh.NewSelect[string]().Title("What does the user report?").
		Options(options(report.Symptoms)...).Value(&a.Symptom))); err != nil {
		return nil, err
	}
	title, ph := subjectPrompt(a.Symptom)
	err := run(
		huh.NewGroup(
			huh.NewInput().Title(title).Placeholder(ph).Value(&a.Subject).Validate(func(s string) error {
				if strings.TrimSpace(s) == "" && (a.Symptom == "site-unreachable" || a.Symptom == "file-share" || a.Symptom == "printer") {
					return errors.New("please give it: the checks are about it")
				}
				var probe runOptions
				if err := subjectTargets(a.Symptom, s, &probe); err != nil {
					return errors.New(plainError(err))
				}
				return nil
			}),
			huh.NewInput().Title("Since when? (the user's words, e.g. this morning)").Value(&a.Since),
			huh.NewSelect[string]().Title("Who is affected?").Options(options(report.Scopes)...).Value(&a.Scope),
			huh.NewSelect[string]().Title("How is the machine connected?").Options(options(report.Connections)...).Value(&a.Connection),
			huh.NewInput().Title("What changed before it started? (an update, a move, a new password; empty if nothing)").Value(&a.Changed),
			huh.NewInput().Title("Ticket number to attach the result to (empty: none)").Value(&a.Ticket),
		),
	)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// plainError is an error without the usage prefix, for a form's message.
func plainError(err error) string {
	var ue *UsageError
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// askRun asks the questions, runs the symptom's profile with the answers,
// then offers a watch for an intermittent fault.
func askRun(ctx context.Context, opts *AskOptions) error {
	ios, g := opts.IO, &opts.Global
	if !opts.Plain && !ios.StdinTTY {
		return usageErrorf("ask needs a terminal to ask its questions (use --plain to answer line by line, or 'l2diag run --symptom …' in scripts)")
	}
	a, err := askForm(ios, opts.Plain)
	if err != nil {
		return err
	}
	o := &runOptions{}
	o.from(opts.factory)
	o.Intake = intakeOptions{Symptom: a.Symptom, Since: a.Since, Scope: a.Scope, Connection: a.Connection, Changed: a.Changed}
	if err := subjectTargets(a.Symptom, a.Subject, o); err != nil {
		return err
	}
	o.Ticket.Key = strings.TrimSpace(a.Ticket)
	if err := o.validate(); err != nil {
		return err
	}
	if o.intake != nil {
		o.intake.Subject = clip(a.Subject)
	}
	fmt.Fprintf(ios.ErrOut, "l2diag: running the %q checks (up to %s)…\n", o.profile.Name, o.profile.Timeout)
	runErr := runRun(ctx, ios, g, o)
	if a.Symptom != "drops-out" || ctx != nil && ctx.Err() != nil {
		return runErr
	}
	var ee *ExitError
	if runErr != nil && !errors.As(runErr, &ee) {
		return runErr
	}
	return offerWatch(ctx, ios, g, o, a, runErr)
}

// offerWatch asks whether to watch for an intermittent fault and runs it.
func offerWatch(ctx context.Context, ios *IOStreams, g *GlobalOptions, ro *runOptions, a *askAnswers, runErr error) error {
	var dur string
	f := huh.NewForm(huh.NewGroup(huh.NewSelect[string]().
		Title("It happens only sometimes: watch the connection for a while to catch it?").
		Options(huh.NewOption("No", ""), huh.NewOption("10 minutes", "10m"), huh.NewOption("30 minutes", "30m"),
			huh.NewOption("1 hour", "1h"), huh.NewOption("2 hours", "2h")).Value(&dur))).
		WithAccessible(a.plain).WithInput(a.in).WithOutput(ios.Out)
	if err := f.Run(); err != nil || dur == "" {
		return runErr
	}
	wo := &watchOptions{For: dur}
	wo.run = runOptions{Ping: ro.Ping, TCP: ro.TCP, HTTP: ro.HTTP, DNSNames: ro.DNSNames, Profile: "drops-out",
		Ticket: ticketOptions{Key: ro.Ticket.Key, Conn: ticketConnFlags{systems: ro.Ticket.Conn.systems}}, argsLine: ro.argsLine, specs: ro.specs, stdinTTY: ro.stdinTTY, env: ro.env}
	if err := wo.validate(g); err != nil {
		return err
	}
	return watchRun(ctx, ios, g, wo)
}

// lineReader hands out one line per Read, so each question of a plain
// form reads exactly its answer from a pipe (a terminal reads by line
// already).
type lineReader struct {
	r    *bufio.Reader
	rest []byte
}

func (l *lineReader) Read(p []byte) (int, error) {
	if len(l.rest) == 0 {
		line, err := l.r.ReadBytes('\n')
		if len(line) == 0 {
			if err == nil {
				err = io.EOF
			}
			return 0, err
		}
		l.rest = line
	}
	n := copy(p, l.rest)
	l.rest = l.rest[n:]
	return n, nil
}
