package main

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/l2diag/l2diag/diag"
)

// progressLine shows the runner's progress on one stderr line, only when
// stderr is a terminal: data goes to stdout, so progress never mixes with
// JSON a script reads.
type progressLine struct {
	ios     *IOStreams
	on      bool
	mu      sync.Mutex
	running map[string]int
	last    string
}

func newProgressLine(ios *IOStreams, g *GlobalOptions) *progressLine {
	return &progressLine{ios: ios, on: ios.StderrTTY && !g.Verbose, running: map[string]int{}}
}

func (p *progressLine) event(e diag.Event) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	label := e.ID
	if t := e.Target; t != "" {
		label += " " + t
	}
	if e.Started {
		p.running[label]++
	} else if p.running[label]--; p.running[label] <= 0 {
		delete(p.running, label)
	}
	if e.Started {
		p.last = label
	} else if _, ok := p.running[p.last]; !ok {
		for l := range p.running {
			p.last = l
			break
		}
	}
	line := fmt.Sprintf("l2diag: %d/%d checks done", e.Done, e.Total)
	if len(p.running) > 0 {
		line += fmt.Sprintf(", %d running: %s", len(p.running), p.last)
	}
	if len(line) > 78 {
		line = line[:77] + "…"
	}
	fmt.Fprintf(p.ios.ErrOut, "\r\x1b[2K%s", line)
}

func (p *progressLine) clear() {
	if p.on {
		fmt.Fprint(p.ios.ErrOut, "\r\x1b[2K")
	}
}

// lockedBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// Bytes returns a copy of what was written.
func (l *lockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.b.Bytes())
}
