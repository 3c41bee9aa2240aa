// Package registry lists the ticket systems, explicitly and in one place
// (no init() registration): jira, servicenow and dir.
package registry

import (
	"fmt"
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
}

var systems = []System{
	{Name: jira.Name, New: jira.New, NeedsHTTP: true},
	{Name: servicenow.Name, New: servicenow.New, NeedsHTTP: true},
	{Name: dir.Name, New: dir.New},
}

func init() {
	seen := map[string]bool{}
	for _, s := range systems {
		if seen[s.Name] {
			panic("ticketclient/registry: duplicate system " + s.Name)
		}
		seen[s.Name] = true
	}
}

// Names lists the registered systems, sorted.
func Names() []string {
	var out []string
	for _, s := range systems {
		out = append(out, s.Name)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the system called name, or a KindConfig error naming the
// accepted names.
func Lookup(name string) (System, error) {
	for _, s := range systems {
		if s.Name == name {
			return s, nil
		}
	}
	return System{}, ticketclient.Errorf(ticketclient.KindConfig, "ticket", "system",
		"use one of "+strings.Join(Names(), ", "), "unknown ticket system %q", name)
}

// Choose picks the system: the flag, else the config's system, else the
// one whose URL is configured (a ServiceNow-shaped number prefers
// ServiceNow), else dir, the built-in default that needs no server.
func Choose(flag string, cfg *ticketclient.Config, key string) (string, error) {
	name := strings.ToLower(strings.TrimSpace(flag))
	if name == "" {
		name = strings.ToLower(cfg.System)
	}
	if name == "" {
		switch {
		case cfg.ServiceNow.URL != "" && (cfg.Jira.URL == "" || ticketclient.LooksLikeServiceNow(key)):
			name = "servicenow"
		case cfg.Jira.URL != "":
			name = "jira"
		default:
			name = "dir"
		}
	}
	if _, err := Lookup(name); err != nil {
		return "", fmt.Errorf("--ticket-system: %w", err)
	}
	return name, nil
}
