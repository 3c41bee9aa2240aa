// Package watch probes a machine's gateway, DNS servers and targets over
// time and turns the samples into events: outages, loss bursts, latency
// far above a target's own baseline, and changes of the machine's network
// (links, addresses, gateways, DNS servers, VPN tunnels). It is the engine
// of `l2diag watch`; the CLI renders what it reports.
package watch

import (
	"time"

	"github.com/l2diag/l2diag/diag/net/loss"
)

// Event kinds of a target.
const (
	KindOutage  = "outage"
	KindLoss    = "loss"
	KindLatency = "latency"
)

// DetectConfig says when samples become an event.
type DetectConfig struct {
	// OutageAfter consecutive failures start an outage.
	OutageAfter int
	// LossWindow recent probes are judged for loss; LossEvent is the
	// share lost (0..1) that starts a loss event.
	LossWindow int
	LossEvent  float64
	// A round trip above max(baseline*LatencyFactor, baseline+LatencyMin)
	// is high; 3 high of the last 5 start a latency event.
	LatencyFactor float64
	LatencyMin    time.Duration
}

// Sample is one probe's outcome.
type Sample struct {
	Target int
	// At is the monotonic time since the watch started; Wall is the wall
	// clock when the probe was sent (for display only).
	At   time.Duration
	Wall time.Time
	OK   bool
	RTT  time.Duration
	// Err says why a probe failed, briefly ("timeout", "unreachable",
	// "servfail", "http 503"). Local is set when this machine could not
	// send the probe (no socket, no file descriptor): such a sample says
	// nothing about the target and neither starts nor ends an event.
	Err   string
	Local bool
}

// edge is an event boundary found by a detector.
type edge struct {
	start  bool
	kind   string
	at     time.Duration
	wall   time.Time
	detail string
}

// openEvent is an event in progress.
type openEvent struct {
	at   time.Duration
	wall time.Time
}

// detector follows one target's samples.
type detector struct {
	cfg DetectConfig
	// interval is the target's probe interval, for ends placed between
	// two probes.
	interval time.Duration

	consecFail  int
	firstFail   Sample
	lastErr     string
	outage      *openEvent
	window      []bool // true = lost; oldest first, at most LossWindow
	windowAt    []Sample
	loss        *openEvent
	lastLost    Sample
	baseline    time.Duration
	baseN       int
	recentHigh  []bool
	recentAt    []Sample
	latency     *openEvent
	normalStrak int
}

func newDetector(cfg DetectConfig, interval time.Duration) *detector {
	return &detector{cfg: cfg, interval: interval}
}

// add feeds one sample and returns the event boundaries it caused, in
// order (an end before a start).
func (d *detector) add(s Sample) []edge {
	if s.Local {
		return nil
	}
	var out []edge
	if !s.OK {
		d.lastErr = s.Err
		if d.consecFail == 0 {
			d.firstFail = s
		}
		d.consecFail++
		if d.outage == nil && d.consecFail >= d.cfg.OutageAfter {
			d.outage = &openEvent{at: d.firstFail.At, wall: d.firstFail.Wall}
			// An outage includes any loss or latency event in progress.
			out = append(out, d.endLoss(d.firstFail)...)
			out = append(out, d.endLatency(d.firstFail)...)
			out = append(out, edge{start: true, kind: KindOutage, at: d.firstFail.At, wall: d.firstFail.Wall,
				detail: "no answer (" + s.Err + ")"})
		}
	} else {
		if d.outage != nil {
			out = append(out, edge{kind: KindOutage, at: s.At, wall: s.Wall,
				detail: "answers again after " + plural(d.consecFail, "failed probe", "failed probes") + " (last: " + d.lastErr + ")"})
			d.outage = nil
			// The outage's failures are not a loss burst afterwards.
			d.window, d.windowAt = d.window[:0], d.windowAt[:0]
		}
		d.consecFail = 0
	}
	if d.outage == nil {
		out = append(out, d.judgeLoss(s)...)
		if s.OK {
			out = append(out, d.judgeLatency(s)...)
		}
	}
	return out
}

func (d *detector) judgeLoss(s Sample) []edge {
	d.window = append(d.window, !s.OK)
	d.windowAt = append(d.windowAt, s)
	if len(d.window) > d.cfg.LossWindow {
		d.window, d.windowAt = d.window[1:], d.windowAt[1:]
	}
	if !s.OK {
		d.lastLost = s
	}
	lost := 0
	for _, l := range d.window {
		if l {
			lost++
		}
	}
	share := float64(lost) / float64(len(d.window))
	switch {
	// A burst is recognised on an answer after losses: a run of failures
	// may still become an outage, which is reported instead.
	case d.loss == nil && s.OK && len(d.window) >= max(d.cfg.LossWindow/2, 5) && lost >= 2 && share >= d.cfg.LossEvent:
		first := s
		for i, l := range d.window {
			if l {
				first = d.windowAt[i]
				break
			}
		}
		d.loss = &openEvent{at: first.At, wall: first.Wall}
		return []edge{{start: true, kind: KindLoss, at: first.At, wall: first.Wall,
			detail: loss.Wilson(len(d.window), lost).String() + " in the last " + itoa(len(d.window)) + " probes"}}
	case d.loss != nil && lost <= 1 && s.OK:
		return d.endLoss(s)
	}
	return nil
}

// endLoss closes a loss event one interval after its last lost probe.
func (d *detector) endLoss(s Sample) []edge {
	if d.loss == nil {
		return nil
	}
	at, wall := d.lastLost.At+d.interval, d.lastLost.Wall.Add(d.interval)
	if at > s.At {
		at, wall = s.At, s.Wall
	}
	d.loss = nil
	return []edge{{kind: KindLoss, at: at, wall: wall, detail: "loss back to normal"}}
}

func (d *detector) judgeLatency(s Sample) []edge {
	if d.baseN < 10 {
		d.learn(s.RTT)
		return nil
	}
	limit := max(time.Duration(float64(d.baseline)*d.cfg.LatencyFactor), d.baseline+d.cfg.LatencyMin)
	high := s.RTT > limit
	d.recentHigh = append(d.recentHigh, high)
	d.recentAt = append(d.recentAt, s)
	if len(d.recentHigh) > 5 {
		d.recentHigh, d.recentAt = d.recentHigh[1:], d.recentAt[1:]
	}
	if high {
		d.normalStrak = 0
	} else {
		d.normalStrak++
	}
	n := 0
	for _, h := range d.recentHigh {
		if h {
			n++
		}
	}
	switch {
	case d.latency == nil && n >= 3:
		first := s
		for i, h := range d.recentHigh {
			if h {
				first = d.recentAt[i]
				break
			}
		}
		d.latency = &openEvent{at: first.At, wall: first.Wall}
		return []edge{{start: true, kind: KindLatency, at: first.At, wall: first.Wall,
			detail: "round trip " + ms(s.RTT) + ", baseline " + ms(d.baseline)}}
	case d.latency != nil && d.normalStrak >= 5:
		return d.endLatency(d.recentAt[len(d.recentAt)-5])
	case d.latency == nil && !high:
		d.learn(s.RTT)
	}
	return nil
}

func (d *detector) endLatency(s Sample) []edge {
	if d.latency == nil {
		return nil
	}
	d.latency = nil
	d.recentHigh, d.recentAt = d.recentHigh[:0], d.recentAt[:0]
	return []edge{{kind: KindLatency, at: s.At, wall: s.Wall, detail: "round trip back near the baseline " + ms(d.baseline)}}
}

// learn moves the baseline towards rtt: an exponentially weighted mean
// over roughly the last 20 normal samples.
func (d *detector) learn(rtt time.Duration) {
	d.baseN++
	if d.baseN == 1 {
		d.baseline = rtt
		return
	}
	const alpha = 0.1
	d.baseline = time.Duration(float64(d.baseline)*(1-alpha) + float64(rtt)*alpha)
}

// reset forgets the run of samples after a gap in the watch (suspend,
// clock jump): samples before and after are not consecutive.
func (d *detector) reset() {
	d.consecFail = 0
	d.window, d.windowAt = d.window[:0], d.windowAt[:0]
	d.recentHigh, d.recentAt = d.recentHigh[:0], d.recentAt[:0]
	d.normalStrak = 0
}

// closeAll ends every open event at s (the watch's end).
func (d *detector) closeAll(at time.Duration, wall time.Time) []edge {
	var out []edge
	if d.outage != nil {
		out = append(out, edge{kind: KindOutage, at: at, wall: wall, detail: "still down when the watch ended"})
		d.outage = nil
	}
	if d.loss != nil {
		out = append(out, edge{kind: KindLoss, at: at, wall: wall, detail: "still losing when the watch ended"})
		d.loss = nil
	}
	if d.latency != nil {
		out = append(out, edge{kind: KindLatency, at: at, wall: wall, detail: "still slow when the watch ended"})
		d.latency = nil
	}
	return out
}
