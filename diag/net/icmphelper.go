package netcheck

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/l2diag/l2diag/diag/profile"
)

// methodICMPHelper measures with Windows' ICMP helper API
// (IcmpSendEcho2), as ping.exe does: no privilege needed.
const methodICMPHelper = "icmp-helper"

// helperCheckWait bounds the loopback echo that tells whether the helper
// API works at all before a measurement relies on it: loopback answers
// in well under a millisecond, so this only waits on a broken stack.
const helperCheckWait = 300 * time.Millisecond

// IP_STATUS values of the ICMP helper API (ipexport.h).
const (
	ipSuccess             = 0
	ipStatusBase          = 11000
	ipDestNetUnreachable  = 11002 // IPv6: no route to destination
	ipDestHostUnreachable = 11003 // IPv6: address unreachable
	ipDestProtUnreachable = 11004 // IPv6: administratively prohibited
	ipDestPortUnreachable = 11005
	ipReqTimedOut         = 11010
	ipTTLExpiredTransit   = 11013
	ipStatusEnd           = 11050
)

// helperReply is what one echo through the helper API came back with:
// the status (ipSuccess, ipTTLExpiredTransit, ...) and who answered.
type helperReply struct {
	status uint32
	from   netip.Addr
}

// echoer sends one echo at a time through the helper API; calls may run
// concurrently, each blocking until its answer or its timeout.
type echoer interface {
	echo(dst netip.Addr, ttl int, timeout time.Duration) (helperReply, error)
	close()
}

// openEchoer opens the platform's helper; tests replace it.
var openEchoer = openICMPHelper

// openHelper opens the ICMP helper for addr's family and proves it works
// with one echo to loopback: under wine (and on a broken stack) the
// handle opens but every echo fails when no ICMP socket is permitted.
func openHelper(addr netip.Addr) (echoer, error) {
	h, err := openEchoer(addr.Is6())
	if err != nil {
		return nil, err
	}
	lo := netip.MustParseAddr("127.0.0.1")
	if addr.Is6() {
		lo = netip.IPv6Loopback()
	}
	if _, err := h.echo(lo, 0, helperCheckWait); err != nil {
		h.close()
		return nil, err
	}
	return h, nil
}

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
	s := blockingPhase(ctx, ph, false, func(_ context.Context, i int) {
		t0 := time.Now()
		r, err := h.echo(addr, 0, budget(ctx, ph.pp.Timeout.D()))
		rtt := time.Since(t0)
		switch {
		case err != nil:
			keep(&callErr, err)
		case r.status == ipSuccess && r.from == dst:
			ph.answered(i, rtt)
			return
		case r.status == ipDestNetUnreachable || r.status == ipDestHostUnreachable:
			keep(&sendErr, helperUnreachable{from: r.from, note: helperNote(r.status, addr.Is6())})
		}
		ph.failed(i)
	}, h.close)
	mu.Lock()
	defer mu.Unlock()
	s.sendErr = sendErr
	return s, callErr
}

// helperUnreachable is an echo answered by an ICMP unreachable: the
// reason nothing else came back, as a raw socket's send error would say.
type helperUnreachable struct {
	from netip.Addr
	note string
}

func (e helperUnreachable) Error() string { return fmt.Sprintf("%s reports %s", e.from, e.note) }

// helperNote says in words what an ICMP error status means, as the raw
// trace's notes do.
func helperNote(status uint32, v6 bool) string {
	switch status {
	case ipDestNetUnreachable:
		if v6 {
			return "no route to destination"
		}
		return "network unreachable"
	case ipDestHostUnreachable:
		if v6 {
			return "address unreachable"
		}
		return "host unreachable"
	case ipDestProtUnreachable:
		if v6 {
			return "administratively prohibited"
		}
		return "protocol unreachable"
	case ipDestPortUnreachable:
		return "port unreachable"
	}
	return fmt.Sprintf("IP status %d", status)
}

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
	h       echoer
	dst     netip.Addr
	wait    time.Duration
	answers chan probeAnswer
	wg      sync.WaitGroup
}

func (p *helperProber) send(ttl, probe int) error {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		r, err := p.h.echo(p.dst, ttl, p.wait)
		at := time.Now()
		if err != nil || !r.from.IsValid() || r.from.IsUnspecified() {
			return
		}
		a := probeAnswer{ttl: ttl, probe: probe, from: r.from.String(), at: at}
		switch {
		case r.status == ipSuccess:
			a.reached = r.from == p.dst.WithZone("")
		case r.status == ipTTLExpiredTransit:
		case r.status >= ipDestNetUnreachable && r.status <= ipDestPortUnreachable:
			a.note = helperNote(r.status, p.dst.Is6())
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
		p.h.close()
	}()
}

// traceGapError is a platform's inability to see the hops of a path,
// which its ICMP otherwise allows: the trace is not run, it says why.
type traceGapError struct{ why string }

func (e traceGapError) Error() string { return "no trace: " + e.why }
