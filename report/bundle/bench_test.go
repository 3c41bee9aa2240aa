package bundle

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
)

// rawEvidence returns n files of size bytes of log-like text full of
// addresses, names and numbers, so scrubbing and redaction have work.
func rawEvidence(n, size int) []report.Artifact {
	rng := rand.New(rand.NewSource(1))
	// A machine talks to a few hundred addresses, not millions: the
	// pseudonym tables stay small, as they do on real evidence.
	addr := func() string { return fmt.Sprintf("10.20.%d.%d", rng.Intn(4), rng.Intn(64)) }
	out := make([]report.Artifact, n)
	for i := range out {
		b := make([]byte, 0, size+200)
		for len(b) < size {
			b = fmt.Appendf(b, "2025-03-04T10:%02d:%02d ws042.corp.example.com kernel: eth0 %s > %s len=%d id=%x user=alice mac=52:54:00:00:00:%02x\n",
				rng.Intn(60), rng.Intn(60), addr(), addr(), rng.Intn(1500), rng.Int63(), rng.Intn(16))
		}
		out[i] = report.Artifact{Name: fmt.Sprintf("logs/part%02d.log", i), Command: "journalctl", Data: b[:size]}
	}
	return out
}

// peakHeap samples the live heap every millisecond until stop is closed
// and returns the highest value seen.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	res := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				res <- peak
				return
			case <-t.C:
			}
		}
	}()
	return res
}

func benchmarkWriteBundle(b *testing.B, redact bool) {
	const files, size = 10, 5 << 20 // 50 MiB of raw evidence
	in := sampleInput()
	in.Artifacts = rawEvidence(files, size)
	dir := b.TempDir()
	// A low GC target keeps garbage from hiding what the writer holds.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	var peakOver, bundleSize atomic.Uint64
	b.ReportAllocs()
	b.SetBytes(files * size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		runtime.GC()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		base := s[0].Value.Uint64()
		stop := make(chan struct{})
		peak := peakHeap(stop)
		b.StartTimer()
		info, err := Write(filepath.Join(dir, fmt.Sprintf("b%d.zip", i)), in, Options{Redact: redact, Identity: testIdentity()})
		b.StopTimer()
		close(stop)
		if err != nil {
			b.Fatal(err)
		}
		if p := <-peak; p > base {
			peakOver.Store(max(peakOver.Load(), p-base))
		}
		bundleSize.Store(uint64(info.Size))
		os.Remove(info.Path)
		if info.MapPath != "" {
			os.Remove(info.MapPath)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peakOver.Load())/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(bundleSize.Load())/(1<<20), "bundle-MiB")
}

// BenchmarkWriteBundle50MB writes a bundle with 50 MiB of raw evidence
// (secrets scrubbed, as always): time, and the peak heap the writer adds
// on top of the evidence it is given.
func BenchmarkWriteBundle50MB(b *testing.B) { benchmarkWriteBundle(b, false) }

// BenchmarkWriteBundle50MBRedact is the same with --redact.
func BenchmarkWriteBundle50MBRedact(b *testing.B) { benchmarkWriteBundle(b, true) }

// dnsReport returns a report shaped like a run over n DNS names: one
// result per name with its answers in details, and the query log as a
// fact, so the bundle's cost is in its many small strings.
func dnsReport(n int) *Input {
	in := sampleInput()
	log := make([]map[string]any, 0, 2*n)
	for i := range n {
		name := fmt.Sprintf("host%04d.corp.example.com", i)
		r := report.Result{Check: "dns-resolve", Category: "dns", Target: name, Status: report.StatusOK,
			Summary: fmt.Sprintf("%s resolves to 10.20.%d.%d at every server.", name, i/250, i%250), DurationMS: 3}
		r.SetMetric("rtt_ms", 0.4)
		r.SetDetail("answers", []map[string]any{{"server": "10.20.0.53:53", "type": "A", "rcode": "NOERROR", "data": []string{fmt.Sprintf("10.20.%d.%d", i/250, i%250)}}})
		in.Report.Results = append(in.Report.Results, r)
		for _, t := range []string{"A", "AAAA"} {
			log = append(log, map[string]any{"server": "10.20.0.53:53", "name": name + ".", "type": t, "transport": "udp", "rcode": "NOERROR", "rtt_ms": 0.4, "tries": 1})
		}
	}
	in.Facts["dns_queries"] = map[string]any{"queries": log}
	return in
}

// BenchmarkWriteBundleDNSNames writes the bundle of a 2000-name DNS run:
// thousands of short strings to scrub, where the 50 MiB benchmarks have
// long lines.
func BenchmarkWriteBundleDNSNames(b *testing.B) {
	in := dnsReport(2000)
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		info, err := Write(filepath.Join(dir, fmt.Sprintf("b%d.zip", i)), in, Options{})
		if err != nil {
			b.Fatal(err)
		}
		os.Remove(info.Path)
	}
}
