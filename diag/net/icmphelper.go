package netcheck

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/l2diag/l2diag/diag/internal/icmp"
	"github.com/l2diag/l2diag/diag/profile"
)

// methodICMPHelper measures with Windows' ICMP helper API
// (IcmpSendEcho2), as ping.exe does: no privilege needed.
const methodICMPHelper = "icmp-helper"

// openEchoer opens the platform's helper API; tests replace it.
var openEchoer = icmp.OpenHelper

// openHelper opens the helper API for addr's family, proven to work.
func openHelper(addr netip.Addr) (icmp.Helper, error) { return openEchoer(addr.Is6()) }

// helperPhase runs a phase of echoes through the helper API. Each echo
// blocks its own goroutine until the answer or the profile's timeout,
// which the API enforces (the call cannot be cancelled); the handle is
// closed once the last call returned.
func helperPhase(ctx context.Context, ph *phase, addr netip.Addr) (sample, error) {
	h, err := openHelper(addr)
	if err != nil {
		return sample{}, err
	}
	var mu sync.Mutex
	var callErr, sendErr error
	keep := func(dst *error, err error) {
		mu.Lock()
		defer mu.Unlock()
		if *dst == nil {
			*dst = err
		}
	}
	dst := addr.WithZone("")
	s := blockingPhase(ctx, ph, false, takeHelperCall, func(_ context.Context, i int) {
		defer doneHelperCall()
		t0 := time.Now()
		r, err := h.Echo(addr, 0, budget(ctx, ph.pp.Timeout.D()))
		rtt := time.Since(t0)
		switch {
		case err != nil:
			keep(&callErr, err)
		case r.Status == icmp.StatusSuccess && r.From == dst:
			ph.answered(i, rtt)
			return
		case r.Status == icmp.StatusDestNetUnreachable || r.Status == icmp.StatusDestHostUnreachable:
			keep(&sendErr, helperUnreachable{from: r.From, note: icmp.StatusText(r.Status, addr.Is6())})
		}
		ph.failed(i)
	}, h.Close)
	mu.Lock()
	defer mu.Unlock()
	s.sendErr = sendErr
	return s, callErr
}

// maxHelperCalls bounds the helper echoes in flight in this process. Each
// blocks an OS thread until its answer or timeout and cannot be
// cancelled: at 100 echoes a second to targets that do not answer, a
// profile with many ping targets would otherwise hold thousands of
// threads (Go stops the process at 10,000). Past the bound a target is
// probed less often, never with invented loss.
const maxHelperCalls = 256

var helperCalls = make(chan struct{}, maxHelperCalls)

// takeHelperCall reserves a place for one helper echo, without waiting.
func takeHelperCall() bool {
	select {
	case helperCalls <- struct{}{}:
		return true
	default:
		return false
	}
}

// doneHelperCall gives back the place of an echo that returned.
func doneHelperCall() { <-helperCalls }

// helperUnreachable is an echo answered by an ICMP unreachable: the
// reason nothing else came back, as a raw socket's send error would say.
type helperUnreachable struct {
	from netip.Addr
	note string
}

func (e helperUnreachable) Error() string { return fmt.Sprintf("%s reports %s", e.from, e.note) }

// traceHelper traces with the helper API: one echo per probe with the
// probe's TTL; a router's "time exceeded" comes back as the status
// IP_TTL_EXPIRED_TRANSIT with the router's address, as tracert reads it.
func traceHelper(ctx context.Context, tp profile.NetTrace, dst netip.Addr) (traceResult, error) {
	h, err := openHelper(dst)
	if err != nil {
		return traceResult{}, fmt.Errorf("no unprivileged trace: %w: %w", err, os.ErrPermission)
	}
	p := &helperProber{h: h, dst: dst, wait: budget(ctx, tp.Timeout.D()), answers: make(chan probeAnswer, tp.MaxHops*(tp.Probes+1))}
	hops, reachedAt, err := runProbes(ctx, tp, p, p.answers)
	if err != nil {
		return traceResult{}, err
	}
	return traceResult{hops: hops, reached: reachedAt > 0, method: methodICMPHelper}, nil
}

// helperProber sends each trace probe as a blocking helper call of its
// own; the handle is closed when the last call returned.
type helperProber struct {
	h       icmp.Helper
	dst     netip.Addr
	wait    time.Duration
	answers chan probeAnswer
	wg      sync.WaitGroup
}

func (p *helperProber) send(ttl, probe int) error {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		r, err := p.h.Echo(p.dst, ttl, p.wait)
		at := time.Now()
		if err != nil || !r.From.IsValid() || r.From.IsUnspecified() {
			return
		}
		a := probeAnswer{ttl: ttl, probe: probe, from: r.From.String(), at: at}
		switch {
		case r.Status == icmp.StatusSuccess:
			a.reached = r.From == p.dst.WithZone("")
		case r.Status == icmp.StatusTTLExpiredTransit:
		case r.Status >= icmp.StatusDestNetUnreachable && r.Status <= icmp.StatusDestPortUnreachable:
			a.note = icmp.StatusText(r.Status, p.dst.Is6())
		default:
			return
		}
		select {
		case p.answers <- a:
		default: // nobody reads any more
		}
	}()
	return nil
}

func (p *helperProber) close() {
	go func() {
		p.wg.Wait()
		p.h.Close()
	}()
}

// traceGapError is a platform's inability to see the hops of a path,
// which its ICMP otherwise allows: the trace is not run, it says why.
type traceGapError struct{ why string }

func (e traceGapError) Error() string { return "no trace: " + e.why }
