// Package loss judges packet loss from a run of probes: how sure the
// loss estimate is (Wilson score interval) and whether the probes so far
// are enough to call it (Wald's sequential probability ratio test).
//
// It knows nothing about how probes are sent: ping, timed TCP connects,
// trace hops and a per-window watch all feed it the same way, as counts of
// probes judged and probes lost, in the order they were sent.
package loss

import (
	"fmt"
	"math"
)

// Error rates of the test: at the healthy loss rate (P0) it calls loss in
// at most Alpha of runs; at the lossy rate (P1) it misses it in at most
// Beta. 5 % each keeps the test short enough for about 100 probes.
const (
	Alpha = 0.05
	Beta  = 0.05
)

// z95 is the normal quantile of a two-sided 95 % interval.
const z95 = 1.959963984540054

// Verdict is what the probes so far say.
type Verdict int

// Verdicts of Test.Decide.
const (
	Undecided Verdict = iota // keep probing
	NoLoss                   // loss, if any, is at the healthy rate or below
	Lossy                    // loss at the lossy rate or above
)

// String returns the verdict as it appears in details ("loss", "no-loss",
// "undecided").
func (v Verdict) String() string {
	switch v {
	case NoLoss:
		return "no-loss"
	case Lossy:
		return "loss"
	}
	return "undecided"
}

// Test is a sequential probability ratio test of the loss rate: H0 "loss
// is P0 (healthy)" against H1 "loss is P1 (lossy)". The threshold a
// profile names lies between them.
type Test struct {
	P0, P1 float64 // loss rates as fractions, 0 < P0 < P1 < 1
	// upper and lower are Wald's boundaries of the log likelihood ratio;
	// lostW and okW are what one lost and one answered probe add to it.
	upper, lower, lostW, okW float64
}

// ForThreshold returns the test for a loss threshold in percent: healthy
// is a quarter of the threshold, lossy twice it. The factor of 8 between
// them is what lets about 100 probes tell them apart (two losses in 100
// call it, one does not); see docs/decisions.md. thresholdPct is clamped
// to [0.1, 40] so both rates stay valid probabilities.
func ForThreshold(thresholdPct float64) Test {
	t := min(max(thresholdPct, 0.1), 40) / 100
	return New(t/4, 2*t)
}

// New returns the test of H0 "loss is p0" against H1 "loss is p1".
func New(p0, p1 float64) Test {
	return Test{
		P0: p0, P1: p1,
		upper: math.Log((1 - Beta) / Alpha),
		lower: math.Log(Beta / (1 - Alpha)),
		lostW: math.Log(p1 / p0),
		okW:   math.Log((1 - p1) / (1 - p0)),
	}
}

// LLR is the log likelihood ratio of lossy over healthy after n probes of
// which lost were lost.
func (t Test) LLR(n, lost int) float64 {
	return float64(lost)*t.lostW + float64(n-lost)*t.okW
}

// Decide says whether n probes (sent in order, the first n) with lost of
// them lost are enough to call it.
func (t Test) Decide(n, lost int) Verdict {
	switch llr := t.LLR(n, lost); {
	case llr >= t.upper:
		return Lossy
	case llr <= t.lower:
		return NoLoss
	}
	return Undecided
}

// Final is the verdict when probing must end after n probes: the
// boundaries if one was crossed, otherwise the likelier hypothesis (Wald's
// rule for a truncated test) — except that one lost probe alone is never
// called loss: a single echo lost to an ARP lookup or a busy router says
// nothing about the path, so "1 lost of 4" stays undecided, not an alarm.
func (t Test) Final(n, lost int) Verdict {
	if v := t.Decide(n, lost); v != Undecided {
		return v
	}
	switch llr := t.LLR(n, lost); {
	case n == 0:
		return Undecided
	case llr <= 0:
		return NoLoss
	case lost >= 2:
		return Lossy
	}
	return Undecided
}

// Estimate is a loss rate measured from n probes, with its 95 % Wilson
// score interval.
type Estimate struct {
	Sent, Lost int
	// Pct is the measured loss; LowPct and HighPct bound the true loss
	// with 95 % confidence. All in percent.
	Pct, LowPct, HighPct float64
}

// Wilson estimates the loss from n probes of which lost were lost. The
// Wilson interval stays inside [0, 100] and is honest at 0 of n and at
// small n, where the normal approximation claims certainty it does not
// have ("0 of 4 lost" is 0–49 %, not 0 ± 0).
func Wilson(n, lost int) Estimate {
	e := Estimate{Sent: n, Lost: lost}
	if n <= 0 {
		e.HighPct = 100
		return e
	}
	fn := float64(n)
	p := float64(lost) / fn
	z2 := z95 * z95
	den := 1 + z2/fn
	mid := (p + z2/(2*fn)) / den
	half := z95 * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn)) / den
	e.Pct = 100 * p
	e.LowPct = 100 * max(0, mid-half)
	e.HighPct = 100 * min(1, mid+half)
	if lost == 0 {
		e.LowPct = 0
	}
	if lost == n {
		e.HighPct = 100
	}
	return e
}

// PlusMinus is half the interval's width, in percent: the "± 10" of
// "30% ± 10%".
func (e Estimate) PlusMinus() float64 { return (e.HighPct - e.LowPct) / 2 }

// String reads like "30% ± 12% (15 of 50 lost)"; with nothing lost,
// where the interval is one-sided, "0% (at most 4.4%, 0 of 83 lost)".
func (e Estimate) String() string {
	if e.Lost == 0 {
		return fmt.Sprintf("0%% (at most %s%%, 0 of %d lost)", pct(e.HighPct), e.Sent)
	}
	return fmt.Sprintf("%s%% ± %s%% (%d of %d lost)", pct(e.Pct), pct(e.PlusMinus()), e.Lost, e.Sent)
}

// pct formats a percentage with one decimal below 10 and none above.
func pct(v float64) string {
	if v != 0 && v < 9.95 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// FewerLost is the one-sided p-value of Fisher's exact test that the
// second of two runs loses less than the first (n1 probes with lost1 lost,
// then n2 with lost2): how likely a split at least this lopsided is if
// both lost at the same rate. A small value says the loss depends on
// something that changed between the runs — the send rate, when a
// target limits how fast it answers.
func FewerLost(n1, lost1, n2, lost2 int) float64 {
	n, k := n1+n2, lost1+lost2
	if n1 <= 0 || n2 <= 0 || k == 0 {
		return 1
	}
	lc := func(a, b int) float64 { // log of a choose b
		x, _ := math.Lgamma(float64(a + 1))
		y, _ := math.Lgamma(float64(b + 1))
		z, _ := math.Lgamma(float64(a - b + 1))
		return x - y - z
	}
	var p float64
	for x := lost1; x <= min(k, n1); x++ {
		if k-x > n2 {
			continue
		}
		p += math.Exp(lc(k, x) + lc(n-k, n1-x) - lc(n, n1))
	}
	return min(p, 1)
}
