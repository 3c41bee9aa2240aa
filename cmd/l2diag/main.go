// Command l2diag runs network, DNS, host and permission diagnostics, says
// what is wrong and where to look next, bundles the evidence and attaches it
// to a ticket.
package main

import (
	"os"
	"runtime/debug"

	"golang.org/x/term"
)

// gcPercent is the garbage collector's target unless GOGC says otherwise.
// l2diag runs once on a user's machine, often beside their work: a heap
// of 1.5x the live data instead of Go's 2x keeps a 2000-name run with its
// bundle under 100 MiB (98-105 MiB at 100, 78-84 MiB at 50) for a few
// percent more GC time. A limit (GOMEMLIMIT) was rejected: a run whose
// evidence outgrows it would collect continuously.
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ios := &IOStreams{
		In:            os.Stdin,
		Out:           os.Stdout,
		ErrOut:        os.Stderr,
		StderrTTY:     term.IsTerminal(int(os.Stderr.Fd())),
		StdoutTTY:     term.IsTerminal(int(os.Stdout.Fd())),
		StdinTTY:      term.IsTerminal(int(os.Stdin.Fd())),
		NoColorEnvSet: os.Getenv("NO_COLOR") != "",
	}
	ascii, restore := setupConsole(os.Stdout, os.Getenv("L2DIAG_ASCII"))
	ios.ASCII = ascii
	f := systemFactory(ios)
	code := mainWith(f.Args[1:], f)
	restore()
	os.Exit(code)
}
