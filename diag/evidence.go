package diag

import (
	"sync"

	"github.com/l2diag/l2diag/report"
)

// Evidence collects the raw material checks read (configuration files,
// command output) for the bundle's raw/ folder. Safe for concurrent use.
type Evidence struct {
	mu    sync.Mutex
	items []report.Artifact
}

// Add records one artifact. Name is a slash-separated path below raw/, for
// example "dns/resolv.conf"; a later artifact of the same name replaces it.
func (e *Evidence) Add(a report.Artifact) {
	if e == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range e.items {
		if e.items[i].Name == a.Name {
			e.items[i] = a
			return
		}
	}
	e.items = append(e.items, a)
}

// AddFile records the content of a file the check read.
func (e *Evidence) AddFile(name, path string, data []byte) {
	e.Add(report.Artifact{Name: name, Source: path, Data: data})
}

// AddCommand records a command's output and exit code.
func (e *Evidence) AddCommand(name, command string, exitCode int, output []byte) {
	code := exitCode
	e.Add(report.Artifact{Name: name, Command: command, ExitCode: &code, Data: output})
}

// Items returns a copy of the artifacts in the order they were added.
func (e *Evidence) Items() []report.Artifact {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]report.Artifact(nil), e.items...)
}
