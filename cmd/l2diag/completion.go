package main

import (
	"path/filepath"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	ticketregistry "github.com/l2diag/l2diag/ticketclient/registry"
	"github.com/spf13/cobra"
)

// Shell completion (bash, zsh, fish, PowerShell through cobra's
// `l2diag completion SHELL`): flag values that name something l2diag knows
// complete from the same lists the flags accept.

type completeFunc = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)

func fixedCompletion(values ...string) completeFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeCheckIDs completes check IDs (--skip) from specs, after a comma
// too.
func completeCheckIDs(specs func() []diag.Spec) completeFunc {
	return func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		head := ""
		if i := strings.LastIndex(prefix, ","); i >= 0 {
			head = prefix[:i+1]
		}
		var out []string
		for _, s := range specs() {
			out = append(out, head+s.ID+"\t"+s.Finds)
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

func completeCategories(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	head := ""
	if i := strings.LastIndex(prefix, ","); i >= 0 {
		head = prefix[:i+1]
	}
	var out []string
	for _, c := range diag.Categories {
		out = append(out, head+string(c))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeProfiles lists the built-in profiles and the user's named ones;
// a value with a slash completes as a file.
func completeProfiles(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if strings.ContainsAny(prefix, `/\.`) {
		return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	}
	out := append([]string{profile.DefaultName}, profile.SymptomNames()...)
	if dir, err := profile.Dir(); err == nil {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, f := range files {
			out = append(out, strings.TrimSuffix(filepath.Base(f), ".yaml"))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// registerCompletions wires value completion into every command that has
// the flags; check IDs come from specs, system names from systems.
func registerCompletions(root *cobra.Command, specs func() []diag.Spec, systems ticketregistry.Set) {
	_ = root.RegisterFlagCompletionFunc("output", fixedCompletion("text", "json", "markdown"))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for name, fn := range map[string]completeFunc{
			"skip": completeCheckIDs(specs), "only": completeCategories, "profile": completeProfiles,
			"ticket-system": fixedCompletion(systems.Names()...),
		} {
			if c.Flags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, fn)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
