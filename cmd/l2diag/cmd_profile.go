package main

import (
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/spf13/cobra"
)

func newProfileCommand(ios *IOStreams, g *GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Show profiles",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show [NAME|FILE]",
		Short: "Print a profile's YAML (the built-in default when no name is given)",
		Long: `Print a profile's YAML after checking it. A NAME is looked up as NAME.yaml in
the l2diag profiles directory (os.UserConfigDir()/l2diag/profiles), then
among the built-in profiles; a value with a slash or a .yaml suffix is a
file. A user profile is read on top of the built-in default and only needs
the keys it changes.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := profile.DefaultName
			if len(args) == 1 {
				name = args[0]
			}
			data, _, err := profile.Resolve(name)
			if err != nil {
				return &UsageError{Err: err}
			}
			if _, err := profile.Load(name); err != nil {
				return &UsageError{Err: err}
			}
			_, err = ios.Out.Write(data)
			return err
		},
	})
	return cmd
}
