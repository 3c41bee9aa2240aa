package bundle

import (
	"bytes"
	"io"
	"sync"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/redact"
)

// Outgoing is the one filter for everything that leaves the process:
// stdout in every format, the -v log, the ticket comment, the outbox note
// and the bundle. It masks secrets (known values and secret shapes) and,
// when redacting, replaces identifiers with pseudonyms — the same ones in
// every output, so the comment, the printed report and the bundle of one
// run agree. It is safe for concurrent use.
type Outgoing struct {
	mu      sync.Mutex
	s       *redact.Scrubber
	red     *redact.Redactor
	secrets []string
	// done are the reports Report produced: the bundle writer takes them
	// as they are instead of filtering them a second time.
	done map[*report.Report]bool
}

// OutgoingOptions say what the filter removes.
type OutgoingOptions struct {
	// Secrets are known secret values, masked wherever they occur.
	Secrets []string
	// Redact replaces identifying data with pseudonyms; Identity seeds it.
	Redact   bool
	Identity redact.Identity
}

// NewOutgoing returns the filter for a run whose report is rep (nil before
// the run: the redactor learns the names the results talk about from it).
func NewOutgoing(rep *report.Report, opt OutgoingOptions) *Outgoing {
	o := &Outgoing{secrets: opt.Secrets, done: map[*report.Report]bool{}}
	if opt.Redact {
		o.red = redact.NewRedactor(opt.Identity, rep)
	}
	o.s = redact.NewScrubber(opt.Secrets, o.red)
	return o
}

// Redacting reports whether identifiers are replaced.
func (o *Outgoing) Redacting() bool { return o != nil && o.red != nil }

// Report returns a copy of rep with every string filtered, free-form
// details and evidence included.
func (o *Outgoing) Report(rep *report.Report) (*report.Report, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	out, err := o.s.Report(rep)
	if err != nil {
		return nil, err
	}
	o.done[out] = true
	return out, nil
}

// LearnSSID teaches a redacting filter a Wi-Fi network name met during
// the run (redact.Redactor.LearnSSID); without --redact it does nothing.
func (o *Outgoing) LearnSSID(names ...string) {
	if !o.Redacting() {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, n := range names {
		o.red.LearnSSID(n)
	}
}

// String filters one string.
func (o *Outgoing) String(v string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.s.String(v)
}

// Writer returns a writer that filters what it passes on to w, line by
// line. Close writes out a last line without a newline.
func (o *Outgoing) Writer(w io.Writer) io.WriteCloser {
	return &outgoingWriter{o: o, w: w}
}

type outgoingWriter struct {
	mu      sync.Mutex
	o       *Outgoing
	w       io.Writer
	pending []byte
}

func (ow *outgoingWriter) Write(p []byte) (int, error) {
	ow.mu.Lock()
	defer ow.mu.Unlock()
	ow.pending = append(ow.pending, p...)
	i := bytes.LastIndexByte(ow.pending, '\n')
	if i < 0 && len(ow.pending) < redact.MaxLineLength {
		return len(p), nil
	}
	cut := i + 1
	if i < 0 {
		// An over-long line goes out in pieces cut where the scrubber
		// cuts one (its last space, tab, comma or semicolon): a piece
		// cut anywhere else could end in half a secret, which no rule
		// would recognise. The rest waits for the next write.
		cut = len(ow.pending)
		if j := bytes.LastIndexAny(ow.pending, " \t,;"); j > 0 {
			cut = j + 1
		}
	}
	if err := ow.flush(ow.pending[:cut]); err != nil {
		return 0, err
	}
	ow.pending = append(ow.pending[:0], ow.pending[cut:]...)
	return len(p), nil
}

func (ow *outgoingWriter) flush(data []byte) error {
	ow.o.mu.Lock()
	defer ow.o.mu.Unlock()
	return ow.o.s.Write(ow.w, data, nil)
}

func (ow *outgoingWriter) Close() error {
	ow.mu.Lock()
	defer ow.mu.Unlock()
	if len(ow.pending) == 0 {
		return nil
	}
	err := ow.flush(ow.pending)
	ow.pending = nil
	return err
}
