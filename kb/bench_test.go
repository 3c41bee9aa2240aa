package kb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// writeBench writes n entries spread over 40 causes, a quarter of them with
// an evidence pattern and an OS.
func writeBench(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	for i := range n {
		extra := ""
		if i%4 == 0 {
			extra = "  findings: [dns.unexpected-answer]\n  evidence: {server: \"10.8.*\"}\n  os: [windows]\n"
		}
		text := fmt.Sprintf("---\nid: KB-%05d\ntitle: Entry %d\nmatch:\n  causes: [cause.c%d]\n%s---\nStep 1.\nStep 2.\n", i, i, i%40, extra)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("KB-%05d.md", i)), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLoad reads a 2000-entry knowledge base from disk.
func BenchmarkLoad(b *testing.B) {
	dir := writeBench(b, 2000)
	b.ResetTimer()
	for b.Loop() {
		base := Load(context.Background(), []string{dir})
		if len(base.Entries) != 2000 {
			b.Fatalf("%d entries", len(base.Entries))
		}
	}
}

// BenchmarkApply matches a report of three conclusions against 2000 entries.
func BenchmarkApply(b *testing.B) {
	base := Load(context.Background(), []string{writeBench(b, 2000)})
	rep := wrongAnswer("windows", "10.8.0.1:53")
	rep.Conclusions[0].Code = "cause.c0"
	rep.Conclusions = append(rep.Conclusions, rep.Conclusions[0], rep.Conclusions[0])
	b.ResetTimer()
	for b.Loop() {
		base.Apply(rep)
		if len(rep.Conclusions[0].KnownFixes) != MaxFixes {
			b.Fatal("no matches")
		}
	}
}
