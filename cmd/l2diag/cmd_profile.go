package main

import (
	"fmt"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/registry"
	"github.com/spf13/cobra"
)

func newProfileCommand(ios *IOStreams, g *GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Print and check profiles",
	}
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
			name := profile.DefaultName
			if len(args) == 1 {
				name = args[0]
			}
			data, _, err := profile.Resolve(name)
			if err != nil {
				return &UsageError{Err: err}
			}
			p, err := profile.Load(name)
			if err != nil {
				return &UsageError{Err: err}
			}
			if err := checkProfileSkip(p); err != nil {
				return err
			}
			_, err = ios.Out.Write(data)
			return err
		},
	})
	return cmd
}

// knownCheckIDs is the set of check IDs --skip and a profile's skip accept.
func knownCheckIDs() map[string]bool {
	known := map[string]bool{}
	for _, s := range registry.Specs() {
		known[s.ID] = true
	}
	return known
}

// checkProfileSkip rejects a profile's skip entry that names no check, as
// --skip does: a misspelt ID would otherwise silently skip nothing. The
// profile package cannot see the registry, so the check lives here.
func checkProfileSkip(p *profile.Profile) error {
	known := knownCheckIDs()
	for i, id := range p.Skip {
		if !known[id] {
			return &UsageError{Err: &profile.Error{Source: p.Source, Line: p.Line("skip"), Key: fmt.Sprintf("skip[%d]", i),
				Msg: fmt.Sprintf("unknown check ID %q (see 'l2diag checks' for the IDs)", id)}}
		}
	}
	return nil
}
