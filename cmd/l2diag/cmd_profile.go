package main

import (
	"fmt"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/spf13/cobra"
)

// ProfileShowOptions are what `l2diag profile show` works on.
type ProfileShowOptions struct {
	IO *IOStreams
	// Name is the profile's name or file (profile.DefaultName when none
	// was given).
	Name  string
	Specs func() []diag.Spec
}

func newProfileCmd(f *Factory, runF func(*ProfileShowOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Print and check profiles",
	}
	opts := &ProfileShowOptions{IO: f.IO, Specs: f.Specs}
	cmd.AddCommand(&cobra.Command{
		Use:   "show [NAME|FILE]",
		Short: "Print a profile's YAML (the built-in default when no name is given)",
		Long: `Print a profile's YAML after checking it. A NAME is looked up as NAME.yaml in
the l2diag profiles directory (os.UserConfigDir()/l2diag/profiles), then
among the built-in profiles; a value with a slash or a .yaml suffix is a
file. A user profile is read on top of the built-in default and only needs
the keys it changes.`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeProfiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = profile.DefaultName
			if len(args) == 1 {
				opts.Name = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return profileShowRun(opts)
		},
	})
	return cmd
}

// profileShowRun prints the profile's YAML once it loads and its skip
// names real checks.
func profileShowRun(opts *ProfileShowOptions) error {
	data, _, err := profile.Resolve(opts.Name)
	if err != nil {
		return &UsageError{Err: err}
	}
	p, err := profile.Load(opts.Name)
	if err != nil {
		return &UsageError{Err: err}
	}
	if err := checkProfileSkip(p, opts.Specs()); err != nil {
		return err
	}
	_, err = opts.IO.Out.Write(data)
	return err
}

// knownCheckIDs is the set of check IDs --skip and a profile's skip accept.
func knownCheckIDs(specs []diag.Spec) map[string]bool {
	known := map[string]bool{}
	for _, s := range specs {
		known[s.ID] = true
	}
	return known
}

// checkProfileSkip rejects a profile's skip entry that names no check, as
// --skip does: a misspelt ID would otherwise silently skip nothing. The
// profile package cannot see the registry, so the check lives here.
func checkProfileSkip(p *profile.Profile, specs []diag.Spec) error {
	known := knownCheckIDs(specs)
	for i, id := range p.Skip {
		if !known[id] {
			return &UsageError{Err: &profile.Error{Source: p.Source, Line: p.Line("skip"), Key: fmt.Sprintf("skip[%d]", i),
				Msg: fmt.Sprintf("unknown check ID %q (see 'l2diag checks' for the IDs)", id)}}
		}
	}
	return nil
}
