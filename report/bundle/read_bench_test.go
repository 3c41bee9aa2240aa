package bundle

import (
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/diff"
	"github.com/l2diag/l2diag/report/render"
)

// benchReadBundles writes two ~780 KB bundles of 4400-name runs (4.6 MB
// query log each) that differ only in jitter.
func benchReadBundles(b *testing.B) (string, string) {
	b.Helper()
	dir := b.TempDir()
	var paths [2]string
	for i := range paths {
		info, err := Write(filepath.Join(dir, []string{"a.zip", "b.zip"}[i]), largeRunInput(4400, int64(i+1)), Options{})
		if err != nil {
			b.Fatal(err)
		}
		paths[i] = info.Path
	}
	return paths[0], paths[1]
}

// measurePeak runs fn b.N times and reports the peak live heap above the
// baseline.
func measurePeak(b *testing.B, fn func() error) {
	var peakOver uint64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		runtime.GC()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		base := s[0].Value.Uint64()
		stop := make(chan struct{})
		peak := peakHeap(stop)
		b.StartTimer()
		err := fn()
		b.StopTimer()
		close(stop)
		if err != nil {
			b.Fatal(err)
		}
		if p := <-peak; p > base {
			peakOver = max(peakOver, p-base)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peakOver)/(1<<20), "peak-heap-MiB")
}

// BenchmarkVerifyBundle is `bundle verify` of a ~780 KB bundle (11 MB
// inflated): open, manifest, hash every file; beside it `unzip -tq` (inflate
// and CRC) of the same file, when unzip is installed.
func BenchmarkVerifyBundle(b *testing.B) {
	a, _ := benchReadBundles(b)
	var unzipTime time.Duration
	if unzip, err := exec.LookPath("unzip"); err == nil {
		start := time.Now()
		for range b.N {
			if out, err := exec.Command(unzip, "-tq", a).CombinedOutput(); err != nil {
				b.Fatalf("unzip -tq: %v\n%s", err, out)
			}
		}
		unzipTime = time.Since(start)
		// measurePeak's ResetTimer drops metrics reported before it.
		defer func() { b.ReportMetric(float64(unzipTime.Microseconds())/1000/float64(b.N), "unzip-t-ms/op") }()
	}
	measurePeak(b, func() error {
		bn, err := OpenManifest(a)
		if err != nil {
			return err
		}
		defer bn.Close()
		if p := bn.Verify(); len(p) != 0 {
			b.Fatalf("verify: %v", p)
		}
		return nil
	})
}

// BenchmarkShowBundle is `bundle show`: open, decode and render as text.
func BenchmarkShowBundle(b *testing.B) {
	a, _ := benchReadBundles(b)
	measurePeak(b, func() error {
		bn, err := Open(a)
		if err != nil {
			return err
		}
		defer bn.Close()
		return render.Render(io.Discard, bn.Report, render.FormatText, render.Options{})
	})
}

// BenchmarkDiffBundles is `bundle diff` of two runs of the same healthy
// machine (jitter only).
func BenchmarkDiffBundles(b *testing.B) {
	pa, pb := benchReadBundles(b)
	measurePeak(b, func() error {
		ba, err := Open(pa)
		if err != nil {
			return err
		}
		defer ba.Close()
		bb, err := Open(pb)
		if err != nil {
			return err
		}
		defer bb.Close()
		d, err := Diff(ba, bb, diff.Options{})
		if err != nil {
			return err
		}
		if !d.Empty() {
			b.Fatalf("diff of two healthy runs is not empty")
		}
		return diff.RenderText(io.Discard, d)
	})
}

// BenchmarkVerifyManyEntries verifies a bundle of 50,000 small raw files
// (the review's 200,000-entry manifest took 86 s: every listed name was
// looked up by a scan of the zip).
func BenchmarkVerifyManyEntries(b *testing.B) {
	in := sampleInput()
	in.Artifacts = nil
	for i := range 50000 {
		in.Artifacts = append(in.Artifacts, report.Artifact{Name: fmt.Sprintf("many/f%05d.txt", i), Data: []byte("x\n")})
	}
	info, err := Write(filepath.Join(b.TempDir(), "many.zip"), in, Options{})
	if err != nil {
		b.Fatal(err)
	}
	measurePeak(b, func() error {
		bn, err := OpenManifest(info.Path)
		if err != nil {
			return err
		}
		defer bn.Close()
		if p := bn.Verify(); len(p) != 0 {
			b.Fatalf("verify: %v", p[0])
		}
		return nil
	})
}
