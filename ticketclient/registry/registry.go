// Package registry lists the ticket systems, explicitly and in one place
// (no init() registration). The core (ticketclient) and the CLI know
// systems only through this list: adding one touches its package, one line
// here and the docs. Systems returns that list as a Set, which answers what
// the CLI asks (names, flags, config, choice); tests may build a Set of
// their own.
package registry

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/dir"
	"github.com/l2diag/l2diag/ticketclient/jira"
	"github.com/l2diag/l2diag/ticketclient/servicenow"
)

// Factory builds a client from the options.
type Factory func(o *ticketclient.Options) (ticketclient.Client, error)

// System is one registered implementation.
type System struct {
	Name string
	New  Factory
	// NeedsHTTP says the system talks HTTP (dir does not).
	NeedsHTTP bool
	// Configured reports whether the config (file and environment) sets
	// the system up; one of the configured systems is chosen when the
	// user names none.
	Configured func(*ticketclient.Config) bool
	// Claims reports whether a ticket key has this system's shape, to
	// choose between several configured systems; nil claims nothing.
	Claims func(key string) bool
	// ConfigHint names the environment that configures the system.
	ConfigHint string
	// Flags are the system's per-call choices (Options.Settings).
	Flags []ticketclient.Flag
	// LoadConfig decodes the system's section of the config file (its
	// key is Name) and applies its environment variables and secret files.
	LoadConfig func(*ticketclient.SectionSource) (any, error)
	// Key is the system's ticket-key form; nil when it has none of its own.
	Key *ticketclient.KeySyntax
}

// Set is a list of ticket systems, and what the CLI asks of them.
type Set []System

var systems = Set{
	{Name: jira.Name, New: jira.New, NeedsHTTP: true, LoadConfig: jira.LoadConfig, Configured: jira.Configured, Claims: jira.Claims,
		ConfigHint: jira.ConfigHint, Key: &jira.KeySyntax},
	{Name: servicenow.Name, New: servicenow.New, NeedsHTTP: true, LoadConfig: servicenow.LoadConfig, Configured: servicenow.Configured,
		Claims: servicenow.Claims, ConfigHint: servicenow.ConfigHint, Flags: servicenow.Flags, Key: &servicenow.KeySyntax},
	{Name: dir.Name, New: dir.New, LoadConfig: dir.LoadConfig, Configured: dir.Configured, ConfigHint: dir.ConfigHint},
}

// Systems is the registry's list: every system l2diag ships.
func Systems() Set { return slices.Clone(systems) }

// LoadConfig reads the config file and the environment: the shared keys,
// then each system's section through the system's own loader. A section
// no system owns is an error naming it.
func (set Set) LoadConfig(env ticketclient.Env) (*ticketclient.Config, error) {
	cfg, err := ticketclient.LoadConfig(env)
	if err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(cfg.Sections)) {
		if _, err := set.Lookup(k); err != nil {
			return nil, ticketclient.Errorf(ticketclient.KindConfig, "config", cfg.File, "see docs/tickets.md for the keys",
				"unknown key %q (the systems' sections are %s)", k, strings.Join(set.Names(), ", "))
		}
	}
	for _, s := range set {
		src := &ticketclient.SectionSource{Name: s.Name, Env: env, File: cfg.File}
		if n, ok := cfg.Sections[s.Name]; ok {
			src.Node = &n
		}
		sec, err := s.LoadConfig(src)
		if err != nil {
			return nil, err
		}
		cfg.SetSection(s.Name, sec)
	}
	return cfg, nil
}

// KeySyntaxes lists the systems' ticket-key forms.
func (set Set) KeySyntaxes() []ticketclient.KeySyntax {
	var out []ticketclient.KeySyntax
	for _, s := range set {
		if s.Key != nil {
			out = append(out, *s.Key)
		}
	}
	return out
}

func init() {
	if err := systems.Check(); err != nil {
		panic(err)
	}
}

// Check refuses a set where two systems share a name or a flag.
func (set Set) Check() error {
	seen := map[string]bool{}
	flags := map[string]bool{}
	for _, s := range set {
		if seen[s.Name] {
			return fmt.Errorf("ticketclient/registry: duplicate system %s", s.Name)
		}
		seen[s.Name] = true
		for _, f := range s.Flags {
			if flags[f.Name] {
				return fmt.Errorf("ticketclient/registry: two systems define --%s", f.Name)
			}
			flags[f.Name] = true
		}
	}
	return nil
}

// Names lists the set's systems, sorted.
func (set Set) Names() []string {
	var out []string
	for _, s := range set {
		out = append(out, s.Name)
	}
	sort.Strings(out)
	return out
}

// Flags lists every system's per-call flags with the system they belong to.
func (set Set) Flags() []SystemFlag {
	var out []SystemFlag
	for _, s := range set {
		for _, f := range s.Flags {
			out = append(out, SystemFlag{System: s.Name, Flag: f})
		}
	}
	return out
}

// SystemFlag is a per-call flag and its system.
type SystemFlag struct {
	System string
	ticketclient.Flag
}

// Lookup returns the system called name, or a KindConfig error naming the
// accepted names.
func (set Set) Lookup(name string) (System, error) {
	for _, s := range set {
		if s.Name == name {
			return s, nil
		}
	}
	return System{}, ticketclient.Errorf(ticketclient.KindConfig, "ticket", "system",
		"use one of "+strings.Join(set.Names(), ", "), "unknown ticket system %q", name)
}

// Choose picks the system: the flag, else the config's system, else a
// configured one (the one claiming the key's shape when several are).
// With nothing configured it is a KindConfig error naming the three ways
// to configure one: a copy into a local folder is no delivery, and must
// not pass for one.
func (set Set) Choose(flag string, cfg *ticketclient.Config, key string, configFile string) (string, error) {
	name := strings.ToLower(strings.TrimSpace(flag))
	if name == "" {
		name = strings.ToLower(cfg.System)
	}
	if name == "" {
		var configured []System
		for _, s := range set {
			if s.Configured != nil && s.Configured(cfg) {
				configured = append(configured, s)
			}
		}
		if len(configured) == 0 {
			return "", set.notConfigured(key, configFile)
		}
		name = configured[0].Name
		for _, s := range configured {
			if s.Claims != nil && s.Claims(key) {
				name = s.Name
				break
			}
		}
	}
	if _, err := set.Lookup(name); err != nil {
		return "", fmt.Errorf("--ticket-system: %w", err)
	}
	return name, nil
}

func (set Set) notConfigured(key, configFile string) error {
	var env []string
	for _, s := range set {
		env = append(env, s.ConfigHint)
	}
	if configFile == "" {
		configFile = "tickets.yaml in the user config folder"
	}
	what := "no ticket system is configured"
	if key != "" {
		what = fmt.Sprintf("%s: nothing would reach a ticket system for %s", what, key)
	}
	return ticketclient.Errorf(ticketclient.KindConfig, "ticket", "system",
		fmt.Sprintf("configure one of three ways: (1) the config file %s (system: %s, with its section; docs/tickets.md); "+
			"(2) the environment: %s; (3) the command line: --ticket-system %s (then test with: l2diag ticket check)",
			configFile, strings.Join(set.Names(), ", "), strings.Join(env, "; or "), strings.Join(set.Names(), "|")),
		"%s", what)
}
