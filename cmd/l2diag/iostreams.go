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
}

// Color reports whether human output on stdout may use ANSI colors.
func (s *IOStreams) Color(g *GlobalOptions) bool {
	return s.StdoutTTY && !s.NoColorEnvSet && !g.NoColor
}
