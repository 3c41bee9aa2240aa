package main

import "io"

// IOStreams is where commands read and write. Tests pass buffers and set the
// TTY flags to play a terminal or a pipe.
type IOStreams struct {
	In            io.Reader
	Out, ErrOut   io.Writer
	StdoutTTY     bool
	StderrTTY     bool
	StdinTTY      bool
	NoColorEnvSet bool
	// ASCII keeps human output ASCII ([ok] [FAIL] [warn]) where UTF-8
	// would be garbled (setupConsole decides; L2DIAG_ASCII overrides).
	ASCII bool
}

// Color reports whether human output on stdout may use ANSI colors.
func (s *IOStreams) Color(g *GlobalOptions) bool {
	return s.StdoutTTY && !s.NoColorEnvSet && !g.NoColor
}
