package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/kb"
	"github.com/l2diag/l2diag/report/render"
	"github.com/spf13/cobra"
)

const kbExitCodes = `Exit codes:
  0    done; kb check: no errors (warnings only, unless --strict)
  2    kb check: the knowledge base has errors (or warnings with --strict)
  64   no knowledge base configured or given, a folder that does not exist,
       an unknown ID, a bundle that cannot be read, a draft that exists`

// kbOptions are the flags every kb subcommand shares: where the knowledge
// base is.
type kbOptions struct {
	Paths   []string
	Profile string
	// Getenv reads L2DIAG_KB.
	Getenv func(string) string
}

func newKBCommand(f *Factory, g *GlobalOptions) *cobra.Command {
	o := &kbOptions{Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "kb",
		Short: "List, show, check and draft known fixes of the team's knowledge base",
		Long: `The knowledge base is a folder of Markdown files, each with YAML front
matter saying when it applies (cause codes, finding codes, evidence patterns,
OS) and a body with the fix. Every run matches its conclusions against it and
shows the best matches under each conclusion. The folders come from kb.paths
in the profile and from L2DIAG_KB (separated like PATH); --kb replaces both.
See docs/knowledge.md.`,
	}
	pf := cmd.PersistentFlags()
	pf.StringArrayVar(&o.Paths, "kb", nil, "use the knowledge base in `DIR` instead of the configured one (repeatable)")
	pf.StringVar(&o.Profile, "profile", "", "read kb.paths from the profile `NAME|FILE` (default: the built-in default)")
	cmd.AddCommand(newKBListCmd(f, g, o, nil), newKBShowCmd(f, g, o, nil), newKBCheckCmd(f, g, o, nil), newKBNewCmd(f, nil))
	for _, c := range cmd.Commands() {
		c.SetUsageTemplate(c.UsageTemplate() + "\n" + kbExitCodes + "\n")
	}
	return cmd
}

// paths resolves the folders to read; none is a usage error.
func (o *kbOptions) paths() ([]string, error) {
	if len(o.Paths) > 0 {
		for _, p := range o.Paths {
			if _, err := os.Stat(p); err != nil {
				return nil, usageErrorf("--kb: %s: %v", p, unwrapPath(err))
			}
		}
		return o.Paths, nil
	}
	p, err := profile.Load(o.Profile)
	if err != nil {
		return nil, &UsageError{Err: err}
	}
	paths := kbPaths(p, o.Getenv)
	if len(paths) == 0 {
		return nil, usageErrorf("kb: no knowledge base configured (set kb.paths in the profile, L2DIAG_KB, or pass --kb DIR)")
	}
	return paths, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (o *kbOptions) load(ctx context.Context) (*kb.Base, error) {
	paths, err := o.paths()
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return loadKB(ctx, paths), nil
}

// KBListOptions are what `kb list` works on.
type KBListOptions struct {
	IO     *IOStreams
	Format render.Format
	KB     *kbOptions
}

func newKBListCmd(f *Factory, g *GlobalOptions, kbo *kbOptions, runF func(*KBListOptions) error) *cobra.Command {
	o := &KBListOptions{IO: f.IO, KB: kbo}
	return &cobra.Command{
		Use:     "list",
		Short:   "List the entries: ID, status, what they match, title",
		Example: "  l2diag kb list\n  l2diag kb list --kb ./kb -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Format = g.format
			if runF != nil {
				return runF(o)
			}
			return kbListRun(cmd.Context(), o)
		},
	}
}

// kbListRun lists the entries, one line each or a JSON array; unreadable
// files are named on stderr.
func kbListRun(ctx context.Context, o *KBListOptions) error {
	ios := o.IO
	base, err := o.KB.load(ctx)
	if err != nil {
		return err
	}
	for _, p := range base.Problems {
		fmt.Fprintf(ios.ErrOut, "l2diag: kb: skipped %s\n", p)
	}
	if o.Format == render.FormatJSON {
		return writeJSON(ios, entryList(base.Entries))
	}
	for _, e := range base.Entries {
		status := e.Status
		if status == "" {
			status = kb.StatusPublished
		}
		fmt.Fprintf(ios.Out, "%-14s %-9s %-40s %s\n", e.ID, status, matchSummary(e.Match), e.Title)
	}
	return nil
}

// kbEntryJSON is an entry as `kb list -o json` prints it.
type kbEntryJSON struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Status string   `json:"status"`
	Where  string   `json:"where"`
	Source string   `json:"source"`
	Match  kb.Match `json:"match"`
}

func entryList(es []*kb.Entry) []kbEntryJSON {
	out := make([]kbEntryJSON, 0, len(es))
	for _, e := range es {
		st := e.Status
		if st == "" {
			st = kb.StatusPublished
		}
		out = append(out, kbEntryJSON{ID: e.ID, Title: e.Title, Status: st, Where: e.Where(), Source: e.Source, Match: e.Match})
	}
	return out
}

func writeJSON(ios *IOStreams, v any) error {
	enc := json.NewEncoder(ios.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// matchSummary is a match block on one line: "cause.x+dns.y{server}@windows".
func matchSummary(m kb.Match) string {
	parts := append(append([]string{}, m.Causes...), m.Findings...)
	s := strings.Join(parts, ",")
	if len(m.Evidence) > 0 {
		var keys []string
		for k := range m.Evidence {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		s += "{" + strings.Join(keys, ",") + "}"
	}
	if len(m.OS) > 0 {
		s += "@" + strings.Join(m.OS, ",")
	}
	return s
}

// KBShowOptions are what `kb show` works on.
type KBShowOptions struct {
	IO     *IOStreams
	Format render.Format
	KB     *kbOptions
	ID     string
}

func newKBShowCmd(f *Factory, g *GlobalOptions, kbo *kbOptions, runF func(*KBShowOptions) error) *cobra.Command {
	o := &KBShowOptions{IO: f.IO, KB: kbo}
	return &cobra.Command{
		Use:     "show ID",
		Short:   "Print an entry: when it applies and the fix",
		Example: "  l2diag kb show KB-DNS-007",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID, o.Format = args[0], g.format
			if runF != nil {
				return runF(o)
			}
			return kbShowRun(cmd.Context(), o)
		},
	}
}

// kbShowRun prints the entry o.ID: when it applies and the fix.
func kbShowRun(ctx context.Context, o *KBShowOptions) error {
	ios := o.IO
	base, err := o.KB.load(ctx)
	if err != nil {
		return err
	}
	e, ok := base.Lookup(o.ID)
	if !ok {
		msg := fmt.Sprintf("kb: no entry %q in %s", o.ID, strings.Join(base.Paths, ", "))
		if len(base.Problems) > 0 {
			msg += fmt.Sprintf(" (%d file(s) could not be read; see 'l2diag kb check')", len(base.Problems))
		}
		return usageErrorf("%s", msg)
	}
	if o.Format == render.FormatJSON {
		return writeJSON(ios, struct {
			kbEntryJSON
			Body string `json:"body"`
		}{entryList([]*kb.Entry{e})[0], e.Body})
	}
	fmt.Fprintf(ios.Out, "%s — %s\n", e.ID, e.Title)
	fmt.Fprintf(ios.Out, "source: %s\n", e.Source)
	if e.Link != "" {
		fmt.Fprintf(ios.Out, "link: %s\n", e.Link)
	}
	if e.Status != "" {
		fmt.Fprintf(ios.Out, "status: %s\n", e.Status)
	}
	fmt.Fprintf(ios.Out, "matches: %s\n\n%s\n", matchSummary(e.Match), e.Body)
	return nil
}

// KBCheckOptions are what `kb check` works on.
type KBCheckOptions struct {
	IO     *IOStreams
	Format render.Format
	KB     *kbOptions
	Strict bool
}

func newKBCheckCmd(f *Factory, g *GlobalOptions, kbo *kbOptions, runF func(*KBCheckOptions) error) *cobra.Command {
	co := &KBCheckOptions{IO: f.IO, KB: kbo}
	cmd := &cobra.Command{
		Use:   "check [DIR...]",
		Short: "Validate a knowledge base: front matter, codes, evidence keys, duplicate IDs, conflicts",
		Long: `Validate every entry below DIR (default: the configured knowledge base):
front matter that parses, required keys, cause and finding codes that
l2diag knows, evidence keys the findings declare, duplicate IDs, entries
that match exactly the same cases, and published entries without a fix.
Prints one line per problem and exits 2 when there is an error, so a team
can run it in its own CI on every change to the KB.`,
		Example: "  l2diag kb check ./kb\n  l2diag kb check --strict ./kb -o json",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				kbo.Paths = args
			}
			co.Format = g.format
			if runF != nil {
				return runF(co)
			}
			return kbCheckRun(cmd.Context(), co)
		},
	}
	cmd.Flags().BoolVar(&co.Strict, "strict", false, "fail on warnings too (conflicts, evidence keys that cannot be verified)")
	return cmd
}

// kbProblemJSON is one line of `kb check -o json`.
type kbProblemJSON struct {
	Source   string `json:"source"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// kbCheckRun validates the knowledge base: one line (or JSON object) per
// problem; exit 2 on an error (or, with --strict, a warning).
func kbCheckRun(ctx context.Context, co *KBCheckOptions) error {
	ios := co.IO
	base, err := co.KB.load(ctx)
	if err != nil {
		return err
	}
	problems := base.Check(kbCatalog())
	errs := kb.Errors(problems)
	warns := len(problems) - errs
	if co.Format == render.FormatJSON {
		out := struct {
			Entries  int             `json:"entries"`
			Errors   int             `json:"errors"`
			Warnings int             `json:"warnings"`
			Problems []kbProblemJSON `json:"problems"`
		}{len(base.Entries), errs, warns, []kbProblemJSON{}}
		for _, p := range problems {
			sev := "error"
			if p.Warning {
				sev = "warning"
			}
			out.Problems = append(out.Problems, kbProblemJSON{p.Source, strings.TrimPrefix(p.Msg, p.Source+": "), sev})
		}
		if err := writeJSON(ios, out); err != nil {
			return err
		}
	} else {
		for _, p := range problems {
			sev := "error"
			if p.Warning {
				sev = "warning"
			}
			fmt.Fprintf(ios.Out, "%s: %s\n", sev, p)
		}
		fmt.Fprintf(ios.Out, "%d entries usable, %d errors, %d warnings\n", len(base.Entries), errs, warns)
	}
	if errs > 0 || (co.Strict && warns > 0) {
		return &ExitError{Code: ExitFail}
	}
	return nil
}

// KBNewOptions are what `kb new` works on.
type KBNewOptions struct {
	IO                   *IOStreams
	From, ID, Cause, Out string
}

func newKBNewCmd(factory *Factory, runF func(*KBNewOptions) error) *cobra.Command {
	o := &KBNewOptions{IO: factory.IO}
	cmd := &cobra.Command{
		Use:   "new --from BUNDLE.zip",
		Short: "Draft an entry from a solved case's bundle",
		Long: `Draft a knowledge-base entry from the bundle of a solved case: the match
block comes from the bundle's conclusion (its cause code, the finding codes it
rests on and the OS), the evidence values are suggested as comments, and the
fix is left for you to write. The draft has status: draft and is not matched
until you publish it; 'kb check' refuses a published entry whose fix is
still the placeholder. Without --out the draft goes to stdout.`,
		Example: `  l2diag kb new --from l2diag-ws042-20250101T101500Z.zip
  l2diag kb new --from case.zip --id KB-DNS-012 --out ./kb/dns`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return kbNewRun(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.From, "from", "", "the solved case's bundle `FILE` (required)")
	f.StringVar(&o.ID, "id", "", "the new entry's `ID` (default: KB- and the cause code)")
	f.StringVar(&o.Cause, "cause", "", "draft from the conclusion `CODE` (default: the likely cause)")
	f.StringVar(&o.Out, "out", "", "write ID.md into `DIR` instead of stdout (never overwrites)")
	return cmd
}

// kbNewRun drafts an entry from the bundle, to stdout or a new file.
func kbNewRun(o *KBNewOptions) error {
	ios := o.IO
	if o.From == "" {
		return usageErrorf("kb new: --from BUNDLE.zip is required")
	}
	if o.Out != "" {
		if st, err := os.Stat(o.Out); err != nil || !st.IsDir() {
			return usageErrorf("--out: %s is not a directory", o.Out)
		}
	}
	b, err := openBundleArg(o.From)
	if err != nil {
		return err
	}
	defer b.Close()
	data, err := kb.Draft(b.Report, kb.DraftOptions{ID: o.ID, Cause: o.Cause, Source: filepath.Base(o.From)})
	if err != nil {
		return &UsageError{Err: err}
	}
	if o.Out == "" {
		_, err := ios.Out.Write(data)
		return err
	}
	id := o.ID
	if id == "" {
		e, perr := kb.Parse(data, "draft")
		if perr != nil {
			return fmt.Errorf("kb new: the draft does not parse: %w", perr)
		}
		id = e.ID
	}
	path := filepath.Join(o.Out, id+".md")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return usageErrorf("kb new: %s exists (pick another --id)", path)
		}
		return fmt.Errorf("kb new: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("kb new: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("kb new: write %s: %w", path, err)
	}
	fmt.Fprintf(ios.ErrOut, "wrote %s: write the fix, set status: published, then run 'l2diag kb check'\n", path)
	return nil
}
