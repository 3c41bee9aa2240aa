package watch

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// BenchmarkWatchDay pushes a day of samples of 10 targets at 1 s (864,000
// samples, 1% lost at random places) through the watch's pipeline: the
// detectors, the per-minute windows, the totals and the samples file. It
// reports the CPU time a day of watching costs, the samples file's size
// and the heap left in use (docs/performance.md).
func BenchmarkWatchDay(b *testing.B) {
	const targets, seconds = 10, 86400
	for b.Loop() {
		f, err := os.Create(filepath.Join(b.TempDir(), "samples.csv"))
		if err != nil {
			b.Fatal(err)
		}
		w := &watcher{open: map[string]*Event{}, emit: func(any) {}, samples: bufio.NewWriterSize(f, 32<<10)}
		for i := range targets {
			t := &Target{ID: i, Name: "t", Interval: time.Second}
			w.cfg.Targets = append(w.cfg.Targets, t)
			w.det = append(w.det, newDetector(testCfg, time.Second))
		}
		w.stats = make([]TargetStats, targets)
		w.minute = make([][]Sample, targets)
		start := time.Now()
		seed := uint32(1)
		for s := range seconds {
			for i := range targets {
				seed = seed*1664525 + 1013904223
				ok := seed%100 != 0
				w.onSample(Sample{Target: i, At: time.Duration(s) * time.Second, Wall: start.Add(time.Duration(s) * time.Second),
					OK: ok, RTT: time.Duration(500+seed%2000) * time.Microsecond})
			}
		}
		_ = w.samples.Flush()
		st, _ := f.Stat()
		_ = f.Close()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(st.Size())/(1<<20), "samples-MiB")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(len(w.events)), "events")
	}
}

// BenchmarkReadWiFiAPs is the nl80211 reading the watch adds to every
// system tick (watch.system, 2 s): on a machine without Wi-Fi it is the
// generic netlink dial and the nl80211 family lookup that fails.
func BenchmarkReadWiFiAPs(b *testing.B) {
	for b.Loop() {
		_ = ReadWiFiAPs()
	}
}
