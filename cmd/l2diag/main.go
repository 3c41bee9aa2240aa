// Command l2diag runs network, DNS, host and permission diagnostics, says
// what is wrong and where to look next, bundles the evidence and attaches it
// to a ticket.
package main

import (
	"os"

	"golang.org/x/term"
)

func main() {
	ios := &IOStreams{
		In:            os.Stdin,
		Out:           os.Stdout,
		ErrOut:        os.Stderr,
		StderrTTY:     term.IsTerminal(int(os.Stderr.Fd())),
		StdoutTTY:     term.IsTerminal(int(os.Stdout.Fd())),
		StdinTTY:      term.IsTerminal(int(os.Stdin.Fd())),
		NoColorEnvSet: os.Getenv("NO_COLOR") != "",
	}
	os.Exit(Main(os.Args[1:], ios))
}
