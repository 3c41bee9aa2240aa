package netcheck

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"

	probing "github.com/prometheus-community/pro-bing"

	"github.com/l2diag/l2diag/diag/internal/icmp"
	"github.com/l2diag/l2diag/diag/net/loss"
	"github.com/l2diag/l2diag/diag/profile"
)

// Timing of the loss measurement. See docs/decisions.md ("Packet loss
// from one run").
const (
	// minLossWait is the shortest wait before an echo counts as lost, once
	// replies have shown the round trip: Wi-Fi power saving holds replies
	// for a beacon interval (100 ms and more), which is delay, not loss.
	minLossWait = 250 * time.Millisecond
	// lossWaitRTTs is how many of the slowest round trips seen an echo
	// may take before it counts as lost.
	lossWaitRTTs = 4
	// sweepEvery is how often overdue echoes are looked for and the test
	// asked whether it can stop.
	sweepEvery = 5 * time.Millisecond
	// tcpMinInterval paces the unprivileged fallback's connects: a burst
	// of SYNs at 100/s looks like a scan to firewalls and IDSs.
	tcpMinInterval = 25 * time.Millisecond
	// discoveryTries connects, discoveryGap apart, look for the fallback's
	// port on each candidate.
	discoveryTries = 3
	discoveryGap   = 100 * time.Millisecond
	// synResend is just under the first SYN retransmission (1 s on Linux
	// and current Windows): a connect that takes longer lost its SYN.
	synResend = 900 * time.Millisecond
	// rateLimitMinLossPct is the loss at full rate from which l2diag
	// suspects the target rate-limits its replies and tries slower.
	rateLimitMinLossPct = 20
	// backoffWall bounds the slower second phase's sending.
	backoffWall = time.Second
	// rateLimitEchoes is how many echoes the first phase sends at least,
	// even when it is decided sooner: the comparison with a slower phase
	// needs them (a busy machine may judge loss after a dozen).
	rateLimitEchoes = 30
	// rateLimitP is the p-value below which the loss is taken to depend
	// on the send rate: rare, because calling real loss "rate limiting"
	// hides it.
	rateLimitP = 0.002
	// maxBackoffInterval is the slowest the second phase sends.
	maxBackoffInterval = 200 * time.Millisecond
)

// sample is what one phase of a loss measurement saw: echoes judged in
// the order they were sent, their round trips, and the verdict.
type sample struct {
	run      loss.Run
	sentAt   []time.Time
	rtts     []time.Duration
	maxRTT   time.Duration
	verdict  loss.Verdict // the sequential test's, when it stopped early
	interval time.Duration
	first    time.Time // first send
	sendErr  error
}

// phase runs one phase of a measurement: probes sent interval apart, at
// most count of them, stopped early once the test decides, and never
// past end. Answers and losses are fed in through sent, answered and
// failed; a sweep turns overdue probes into losses.
type phase struct {
	mu        sync.Mutex
	s         sample
	test      loss.Test
	pp        profile.NetPing
	count     int
	end       time.Time
	stopEarly bool
	// drain waits for the probes on their way once sending stopped, so
	// the counts cover every probe sent; with drainAtEnd only when the
	// phase ran to its end rather than being decided.
	drain, drainAtEnd, decided bool
	// minSent is how many probes are sent before a decision may stop
	// the sending.
	minSent int
	// settled, when set, also ends the phase: it says the judged probes
	// already answer the question the phase was started for.
	settled func(n, lost int) bool
	// halt is closed when no more probes should be sent, done when the
	// phase is over: once the probes on their way have their fate.
	halt, done         chan struct{}
	haltOnce, doneOnce sync.Once
}

func newPhase(pp profile.NetPing, test loss.Test, interval time.Duration, count int, end time.Time) *phase {
	return &phase{s: sample{interval: interval}, test: test, pp: pp, count: count, end: end, stopEarly: pp.StopEarly, drain: true, halt: make(chan struct{}), done: make(chan struct{})}
}

// lossWait is how long an unanswered probe is waited for: the profile's
// timeout until a reply has shown the round trip, then lossWaitRTTs of
// the slowest one (at least minLossWait, at most the timeout).
func (ph *phase) lossWait() time.Duration {
	if ph.s.maxRTT == 0 {
		return ph.pp.Timeout.D()
	}
	return min(max(lossWaitRTTs*ph.s.maxRTT, minLossWait), ph.pp.Timeout.D())
}

// sent records a probe sent now and returns its index.
func (ph *phase) sent() int {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	now := time.Now()
	if len(ph.s.sentAt) == 0 {
		ph.s.first = now
	}
	ph.s.sentAt = append(ph.s.sentAt, now)
	return ph.s.run.Add()
}

// answered records the answer to probe i after rtt.
func (ph *phase) answered(i int, rtt time.Duration) {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	if i < 0 || i >= len(ph.s.sentAt) || ph.s.run.Fate(i) == loss.Answered {
		return
	}
	ph.s.run.Resolve(i, loss.Answered)
	ph.s.rtts = append(ph.s.rtts, rtt)
	ph.s.maxRTT = max(ph.s.maxRTT, rtt)
}

// failed records probe i as lost now (a connect that gave up).
func (ph *phase) failed(i int) {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	ph.s.run.Resolve(i, loss.Lost)
}

// halted is closed when the phase should send no more.
func (ph *phase) halted() <-chan struct{} { return ph.halt }

// stop ends the phase (and its sending).
func (ph *phase) stop() {
	ph.haltOnce.Do(func() { close(ph.halt) })
	ph.doneOnce.Do(func() { close(ph.done) })
}

// watch sweeps until the phase is over: the test decided, every probe's
// fate is known, or the end came; then the probes on their way get their
// wait, so the counts cover every probe sent. It returns when it has
// called stop.
func (ph *phase) watch(ctx context.Context) {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			ph.stop()
			return
		case <-ph.done:
			return
		case now := <-t.C:
			if ph.sweep(now) {
				ph.haltOnce.Do(func() { close(ph.halt) })
			}
			select {
			case <-ph.halt:
				if !ph.waiting() {
					ph.stop()
					return
				}
			default:
			}
		}
	}
}

// sweep marks overdue probes lost and says whether sending is over.
func (ph *phase) sweep(now time.Time) bool {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	wait := ph.lossWait()
	for i, at := range ph.s.sentAt {
		if ph.s.run.Fate(i) == loss.Pending && now.Sub(at) >= wait {
			ph.s.run.Resolve(i, loss.Lost)
		}
	}
	n, lost := ph.s.run.Judged()
	if ph.stopEarly {
		if v := ph.test.Decide(n, lost); v != loss.Undecided && ph.s.run.Sent() >= ph.minSent {
			ph.s.verdict = v
			ph.decided = true
			return true
		}
	}
	if ph.settled != nil && ph.settled(n, lost) {
		ph.decided = true
		return true
	}
	if ph.s.run.Sent() >= ph.count {
		return true
	}
	// Past the end nothing more is sent; what is still on its way is
	// given its wait, unless that runs past the check's own deadline
	// (the caller's context ends the phase then).
	return !now.Before(ph.end)
}

// waiting says whether probes on their way are still worth waiting for:
// not when nothing ever answered (a silent host stays silent), nor in a
// phase that does not drain.
func (ph *phase) waiting() bool {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	return ph.drain && !(ph.drainAtEnd && ph.decided) && len(ph.s.rtts) > 0 && ph.s.run.Pending()
}

// result returns a copy of what the phase saw.
func (ph *phase) result() sample {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	s := ph.s
	s.rtts = append([]time.Duration(nil), ph.s.rtts...)
	return s
}

// icmpPhase runs a phase with pro-bing.
func icmpPhase(ctx context.Context, ph *phase, addr netip.Addr, privileged bool) (sample, error) {
	wall := budget(ctx, time.Until(ph.end)+ph.pp.Timeout.D())
	p := icmp.New(addr, privileged, ph.count, ph.s.interval, wall)
	// pro-bing calls OnSend and OnRecv from its send loop, so setting
	// Count there (to stop sending) is not a race.
	p.OnSend = func(pkt *probing.Packet) {
		select {
		case <-ph.halted():
			p.Count = pkt.Seq + 1
		default:
		}
		if !time.Now().Before(ph.end) {
			p.Count = pkt.Seq + 1
		}
		if i := ph.sent(); i != pkt.Seq {
			// Sequence numbers start at 0 and count up by one per send.
			ph.failed(i)
		}
	}
	p.OnRecv = func(pkt *probing.Packet) { ph.answered(pkt.Seq, pkt.Rtt) }
	wctx, cancel := context.WithTimeout(ctx, wall)
	defer cancel()
	go ph.watch(wctx)
	go func() {
		<-ph.done
		p.Stop()
	}()
	err := p.RunWithContext(wctx)
	ph.stop()
	s := ph.result()
	s.sendErr = p.FirstSendError()
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = nil
	}
	if s.sendErr == nil && err != nil && (isNoRoute(err) || isUnreachable(err)) {
		s.sendErr, err = err, nil
	}
	return s, err
}

// tcpPhase runs a phase of timed connects to port: a connect accepted or
// refused is an answer (the host sent SYN-ACK or RST).
func tcpPhase(ctx context.Context, ph *phase, ap netip.AddrPort) sample {
	return blockingPhase(ctx, ph, true, nil, func(wctx context.Context, i int) {
		st, rtt, _ := dialTCP(wctx, ap, ph.pp.Timeout.D())
		if st == stateOpen || st == stateRefused {
			ph.answered(i, rtt)
		} else {
			ph.failed(i)
		}
	}, nil)
}

// blockingPhase runs a phase of probes that each block a goroutine until
// answered or given up: try(ctx, i) sends probe i and records its fate;
// ctx ends with the phase. With wait the phase returns once every try
// did (a connect ends with ctx); otherwise at once, with after called in
// the background when the last try returned (a call that ignores ctx).
// admit, when set, is asked before each probe: false skips this tick
// (a process-wide bound on calls that each hold an OS thread).
func blockingPhase(ctx context.Context, ph *phase, wait bool, admit func() bool, try func(context.Context, int), after func()) sample {
	wctx, cancel := within(ctx, time.Until(ph.end)+ph.pp.Timeout.D())
	defer cancel()
	go ph.watch(wctx)
	var wg sync.WaitGroup
	tick := time.NewTicker(ph.s.interval)
	defer tick.Stop()
send:
	for n := 0; n < ph.count && time.Now().Before(ph.end); {
		// A probe not admitted is not sent at this tick (and not
		// counted): fewer probes widen the loss interval, they add no loss.
		if admit == nil || admit() {
			n++
			i := ph.sent()
			wg.Add(1)
			go func() {
				defer wg.Done()
				try(wctx, i)
			}()
		}
		select {
		case <-tick.C:
		case <-ph.halted():
			break send
		}
	}
	<-ph.done
	s := ph.result()
	cancel()
	finish := func() {
		wg.Wait()
		if after != nil {
			after()
		}
	}
	if wait {
		finish()
	} else {
		go finish()
	}
	return s
}
