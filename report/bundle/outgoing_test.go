package bundle

import (
	"bytes"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report/redact"
)

// TestOutgoingWriterScrubsAcrossWrites: the -v log arrives in pieces; a
// secret split over two writes, and a last line without a newline, are
// still masked.
func TestOutgoingWriterScrubsAcrossWrites(t *testing.T) {
	og := NewOutgoing(nil, OutgoingOptions{Secrets: []string{"s3cr3t-value"}})
	var buf bytes.Buffer
	w := og.Writer(&buf)
	for _, p := range []string{"level=INFO url=https://u:hun", "ter2@proxy.example/ note=s3cr3t-", "value\nlast token=abc", "def123"} {
		if _, err := w.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, bad := range []string{"hunter2", "s3cr3t-value", "abcdef123"} {
		if strings.Contains(got, bad) {
			t.Errorf("output carries %q: %q", bad, got)
		}
	}
	if want := "level=INFO url=https://u:***@proxy.example/ note=***\nlast token=***"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestOutgoingWriterScrubsOverlongLines: a line longer than the scrubber's
// limit goes out in pieces; a secret that arrives across the write that
// fills the limit is still masked (the piece is cut before it, not in it).
func TestOutgoingWriterScrubsOverlongLines(t *testing.T) {
	const secret = "s3cr3t-value-0123456789"
	og := NewOutgoing(nil, OutgoingOptions{Secrets: []string{secret}})
	var buf bytes.Buffer
	w := og.Writer(&buf)
	filler := strings.Repeat("word ", redact.MaxLineLength/5)[:redact.MaxLineLength-8]
	for _, p := range []string{filler, secret[:8], secret[8:], " tail\n"} {
		if _, err := w.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if strings.Contains(got, secret[:8]) || strings.Contains(got, secret[8:]) {
		t.Errorf("a piece of the secret went out: ...%q", got[max(0, len(got)-80):])
	}
	if !strings.HasSuffix(got, "*** tail\n") || strings.Count(got, "word") != strings.Count(filler, "word") {
		t.Errorf("the line did not go out whole: ...%q", got[max(0, len(got)-80):])
	}
}

// TestOutgoingReportMatchesBundle: with redaction the printed report and
// the bundle use the same pseudonyms (one Outgoing serves both).
func TestOutgoingReportMatchesBundle(t *testing.T) {
	in := sampleInput()
	id := redact.Identity{Hostnames: []string{in.Report.Host.Hostname}}
	og := NewOutgoing(in.Report, OutgoingOptions{Redact: true, Identity: id})
	printed, err := og.Report(in.Report)
	if err != nil {
		t.Fatal(err)
	}
	if printed.Host.Hostname == in.Report.Host.Hostname || printed.Host.Hostname == "" {
		t.Fatalf("printed host name %q not redacted", printed.Host.Hostname)
	}
	in.Report = printed
	info, err := Write(t.TempDir()+"/b.zip", in, Options{Outgoing: og})
	if err != nil {
		t.Fatal(err)
	}
	if info.Manifest.Host.Hostname != printed.Host.Hostname {
		t.Errorf("bundle host %q, printed %q: one run, two pseudonyms", info.Manifest.Host.Hostname, printed.Host.Hostname)
	}
}
