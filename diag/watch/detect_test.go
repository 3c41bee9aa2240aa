package watch

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var testCfg = DetectConfig{OutageAfter: 3, LossWindow: 20, LossEvent: 0.15, LatencyFactor: 3, LatencyMin: 30 * time.Millisecond}

// feed runs a pattern through a detector, one sample a second: '.' ok at
// 10 ms, 'x' lost, 's' slow (200 ms), 'L' a local error.
func feed(pattern string) []string {
	d := newDetector(testCfg, time.Second)
	var out []string
	t0 := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	for i, c := range pattern {
		s := Sample{At: time.Duration(i) * time.Second, Wall: t0.Add(time.Duration(i) * time.Second), OK: true, RTT: 10 * time.Millisecond}
		switch c {
		case 'x':
			s.OK, s.Err = false, "timeout"
		case 's':
			s.RTT = 200 * time.Millisecond
		case 'L':
			s.OK, s.Local, s.Err = false, true, "local"
		}
		for _, e := range d.add(s) {
			dir := "end"
			if e.start {
				dir = "start"
			}
			out = append(out, fmt.Sprintf("%s %s@%d", e.kind, dir, e.at/time.Second))
		}
	}
	return out
}

func TestDetector(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		want    string
	}{
		{"healthy", strings.Repeat(".", 60), ""},
		{"two lost are no outage and no loss burst", ".........." + ".x.x........" + strings.Repeat(".", 40), ""},
		{"outage starts at the first failure, ends at the first answer",
			"..........xxxxxxxxxx..........", "outage start@10 outage end@20"},
		{"outage needs outage_after consecutive failures", "..........xx.xx.xx..........", "loss start@10"},
		{"loss burst", strings.Repeat(".", 10) + "x..x..x..x" + strings.Repeat(".", 40), "loss start@10 loss end@20"},
		{"latency above the baseline", strings.Repeat(".", 15) + "sssss" + strings.Repeat(".", 10),
			"latency start@15 latency end@20"},
		{"one slow probe is no event", strings.Repeat(".", 15) + "s" + strings.Repeat(".", 10), ""},
		{"local errors neither start nor end an outage", "..........xxLLLxx.........", "outage start@10 outage end@17"},
		{"local errors alone are no outage", ".........." + strings.Repeat("L", 10) + "..........", ""},
		{"failures that become an outage are not a loss burst first", strings.Repeat(".", 10) + "x.x.xxxxx....", "outage start@14 outage end@19"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(feed(tc.pattern), " "); got != tc.want {
				t.Errorf("events = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDetectorResetAfterGap(t *testing.T) {
	d := newDetector(testCfg, time.Second)
	s := func(i int, ok bool) Sample { return Sample{At: time.Duration(i) * time.Second, OK: ok, Err: "timeout"} }
	d.add(s(0, false))
	d.add(s(1, false))
	d.reset() // suspend: the next failure is not the third in a row
	if e := d.add(s(2, false)); len(e) != 0 {
		t.Errorf("an outage was invented across a gap: %+v", e)
	}
}

// TestLossDetailCarriesUncertainty checks a loss event says how sure its
// figure is: the third lost of a 20-probe window starts the event, and 3
// of 20 is 15% give or take 15 points (Wilson: 5% to 36%).
func TestLossDetailCarriesUncertainty(t *testing.T) {
	d := newDetector(testCfg, time.Second)
	var details []string
	for i, c := range strings.Repeat(".", 16) + "x..x..x..x" {
		for _, e := range d.add(Sample{At: time.Duration(i) * time.Second, OK: c == '.', Err: "timeout"}) {
			if e.start && e.kind == KindLoss {
				details = append(details, e.detail)
			}
		}
	}
	want := "15% ± 15% (3 of 20 lost) in the last 20 probes"
	if len(details) != 1 || details[0] != want {
		t.Errorf("loss event details = %q, want [%q]", details, want)
	}
}
