package loss

import (
	"math"
	"testing"
)

// alarmRate is the exact probability that a test run to at most nmax
// probes calls loss when every probe is lost with probability p
// independently: a walk over (probes, lost) that stops at the boundaries
// and applies Final at nmax.
func alarmRate(t Test, nmax int, p float64) (alarm, meanN float64) {
	dist := map[int]float64{0: 1}
	for n := 1; n <= nmax && len(dist) > 0; n++ {
		next := map[int]float64{}
		for k, pr := range dist {
			for _, l := range []int{0, 1} {
				q := 1 - p
				if l == 1 {
					q = p
				}
				if q == 0 {
					continue
				}
				kk, w := k+l, pr*q
				v := t.Decide(n, kk)
				if n == nmax {
					v = t.Final(n, kk)
				}
				switch v {
				case Lossy:
					alarm += w
					meanN += w * float64(n)
				case NoLoss:
					meanN += w * float64(n)
				default:
					if n == nmax {
						meanN += w * float64(n)
					} else {
						next[kk] += w
					}
				}
			}
		}
		dist = next
	}
	return alarm, meanN
}

// TestOperatingCharacteristic pins the promises in docs/decisions.md for
// the default threshold (2 %) and the default 100 echoes.
func TestOperatingCharacteristic(t *testing.T) {
	tst := ForThreshold(2)
	tests := []struct {
		name          string
		lossPct       float64
		minAlarm, max float64
	}{
		{"no loss is never called loss", 0, 0, 0},
		{"0.1% (noise) almost never", 0.1, 0, 0.01},
		{"0.5% (a quarter of the threshold) rarely", 0.5, 0, 0.10},
		{"threshold itself: a coin toss", 2, 0.4, 0.8},
		{"5% is caught", 5, 0.95, 1},
		{"30% is always caught", 30, 0.9999, 1},
		{"100% is always caught", 100, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, meanN := alarmRate(tst, 100, tt.lossPct/100)
			t.Logf("loss %.1f%%: called loss in %.4f of runs, %.0f echoes on average", tt.lossPct, got, meanN)
			if got < tt.minAlarm || got > tt.max {
				t.Errorf("alarm rate = %.4f, want %.4f to %.4f", got, tt.minAlarm, tt.max)
			}
		})
	}
}

func TestDecide(t *testing.T) {
	tst := ForThreshold(2)
	tests := []struct {
		name        string
		n, lost     int
		decide, fin Verdict
	}{
		{"nothing yet", 0, 0, Undecided, Undecided},
		{"1 lost of 4 is no alarm", 4, 1, Undecided, Undecided},
		{"1 lost of 1 is no verdict", 1, 1, Undecided, Undecided},
		{"2 lost of 4 is loss", 4, 2, Lossy, Lossy},
		{"2 lost of 100 leans to loss", 100, 2, Undecided, Lossy},
		{"1 lost of 100 is no loss", 100, 1, Undecided, NoLoss},
		{"84 clean echoes settle it", 84, 0, NoLoss, NoLoss},
		{"40 clean echoes do not yet", 40, 0, Undecided, NoLoss},
		{"3 lost of 10", 10, 3, Lossy, Lossy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tst.Decide(tt.n, tt.lost); got != tt.decide {
				t.Errorf("Decide(%d, %d) = %s, want %s", tt.n, tt.lost, got, tt.decide)
			}
			if got := tst.Final(tt.n, tt.lost); got != tt.fin {
				t.Errorf("Final(%d, %d) = %s, want %s", tt.n, tt.lost, got, tt.fin)
			}
		})
	}
}

func TestWilson(t *testing.T) {
	tests := []struct {
		name           string
		n, lost        int
		low, high, pct float64
		str            string
	}{
		// Reference values: Wilson (1927), as computed by R's prop.test
		// without continuity correction.
		{"15 of 50", 50, 15, 19.10, 43.75, 30, "30% ± 12% (15 of 50 lost)"},
		{"0 of 4", 4, 0, 0, 48.99, 0, "0% (at most 49%, 0 of 4 lost)"},
		{"1 of 4", 4, 1, 4.56, 69.94, 25, "25% ± 33% (1 of 4 lost)"},
		{"all lost", 10, 10, 72.25, 100, 100, "100% ± 14% (10 of 10 lost)"},
		{"2 of 100", 100, 2, 0.55, 7.00, 2, "2.0% ± 3.2% (2 of 100 lost)"},
		{"nothing sent", 0, 0, 0, 100, 0, "0% (at most 100%, 0 of 0 lost)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Wilson(tt.n, tt.lost)
			if math.Abs(e.LowPct-tt.low) > 0.01 || math.Abs(e.HighPct-tt.high) > 0.01 || e.Pct != tt.pct {
				t.Errorf("Wilson(%d, %d) = %.2f [%.2f, %.2f], want %.2f [%.2f, %.2f]", tt.n, tt.lost, e.Pct, e.LowPct, e.HighPct, tt.pct, tt.low, tt.high)
			}
			if got := e.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
		})
	}
}

func TestRunJudgesInOrder(t *testing.T) {
	var r Run
	for range 5 {
		r.Add()
	}
	r.Resolve(1, Answered)
	r.Resolve(2, Answered)
	if n, lost := r.Judged(); n != 0 || lost != 0 {
		t.Fatalf("judged %d/%d before probe 0 resolved, want 0/0", lost, n)
	}
	r.Resolve(0, Lost)
	if n, lost := r.Judged(); n != 3 || lost != 1 {
		t.Fatalf("judged %d lost of %d, want 1 of 3", lost, n)
	}
	r.Resolve(0, Answered) // late reply
	if n, lost := r.Judged(); n != 3 || lost != 0 {
		t.Errorf("after a late reply: %d lost of %d, want 0 of 3", lost, n)
	}
	r.Resolve(0, Lost) // an answer is final
	r.Resolve(4, Lost)
	if n, lost := r.Judged(); n != 3 || lost != 0 || !r.Pending() {
		t.Errorf("judged %d lost of %d pending %v, want 0 of 3 with probe 3 pending", lost, n, r.Pending())
	}
	r.Resolve(3, Lost)
	if n, lost := r.Judged(); n != 5 || lost != 2 || r.Pending() {
		t.Errorf("judged %d lost of %d pending %v, want 2 of 5, none pending", lost, n, r.Pending())
	}
}

func TestFewerLost(t *testing.T) {
	tests := []struct {
		name                 string
		n1, lost1, n2, lost2 int
		want                 float64
	}{
		// Hand-checked hypergeometric tails.
		{"3 of 9 then 0 of 6", 9, 3, 6, 0, 84.0 / 455},
		{"all the loss in the first run", 30, 20, 6, 0, 30045015.0 / 7307872110},
		{"same rate", 10, 3, 10, 3, 126698.0 / 184756},
		{"no loss at all", 10, 0, 10, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FewerLost(tt.n1, tt.lost1, tt.n2, tt.lost2)
			if math.Abs(got-tt.want) > 1e-3*max(tt.want, 0.01) {
				t.Errorf("FewerLost = %.6f, want %.6f", got, tt.want)
			}
		})
	}
}
