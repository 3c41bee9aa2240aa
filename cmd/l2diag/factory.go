package main

import (
	"os"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/registry"
	ticketregistry "github.com/l2diag/l2diag/ticketclient/registry"
)

// Factory is what commands take from the process instead of reaching for
// it: the streams, the command line, the environment, the check specs, the
// ticket systems and the clock. main builds it once (systemFactory); tests
// build one with buffers, a map for the environment and fixed specs
// (newTestFactory), so a command's logic runs without cobra and without
// this machine.
type Factory struct {
	IO *IOStreams
	// Args is the process's command line as logged and bundled (masked).
	Args []string
	Env
	// Specs are the checks a run may plan, `checks` lists and --skip
	// accepts.
	Specs func() []diag.Spec
	// TicketSystems are the systems --ticket-system names, the config
	// file's sections and the choice of a system come from.
	TicketSystems ticketregistry.Set
	Now           func() time.Time
}

// systemFactory is the process's own: os.Args, os.Getenv, every check of
// the registry, every ticket system of its registry and the wall clock.
func systemFactory(ios *IOStreams) *Factory {
	return &Factory{
		IO:            ios,
		Args:          os.Args,
		Env:           Env{Getenv: os.Getenv, Environ: os.Environ},
		Specs:         registry.Specs,
		TicketSystems: ticketregistry.Systems(),
		Now:           time.Now,
	}
}

// Env is the environment as commands see it: Getenv reads one variable,
// Environ lists them all ("KEY=value"), for the secrets a run masks.
type Env struct {
	Getenv  func(string) string
	Environ func() []string
}
