package netcheck

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/icmp"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// fakeEchoer answers echoes as reply says for the n-th echo, taking its
// time but never longer than the call's timeout, as the API does.
type fakeEchoer struct {
	n      atomic.Int64
	reply  func(n int, dst netip.Addr) (icmp.Reply, time.Duration, error)
	closed atomic.Bool
}

func (f *fakeEchoer) Echo(dst netip.Addr, _ int, timeout time.Duration) (icmp.Reply, error) {
	r, after, err := f.reply(int(f.n.Add(1)-1), dst)
	time.Sleep(min(after, timeout))
	return r, err
}

func (f *fakeEchoer) Close() { f.closed.Store(true) }

// TestHelperPing: echoes through the ICMP helper go through the same
// measurement and verdicts as every other method.
func TestHelperPing(t *testing.T) {
	answer := func(_ int, dst netip.Addr) (icmp.Reply, time.Duration, error) {
		return icmp.Reply{Status: icmp.StatusSuccess, From: dst}, 2 * time.Millisecond, nil
	}
	timedOut := func(int, netip.Addr) (icmp.Reply, time.Duration, error) {
		return icmp.Reply{Status: icmp.StatusReqTimedOut}, time.Hour, nil
	}
	gw := netip.MustParseAddr("10.0.0.1")
	tests := []struct {
		name    string
		reply   func(int, netip.Addr) (icmp.Reply, time.Duration, error)
		codes   []string
		summary string
		err     bool
	}{
		{name: "answers", reply: answer, summary: "answers: loss 0%"},
		{name: "a quarter lost", reply: func(n int, dst netip.Addr) (icmp.Reply, time.Duration, error) {
			if n%4 == 3 {
				return timedOut(n, dst)
			}
			return answer(n, dst)
		}, codes: []string{"net.ping-loss"}},
		{name: "silent", reply: timedOut, codes: []string{"net.ping-no-answer"}, summary: "no reply"},
		{name: "host unreachable", reply: func(int, netip.Addr) (icmp.Reply, time.Duration, error) {
			return icmp.Reply{Status: icmp.StatusDestHostUnreachable, From: gw}, time.Millisecond, nil
		}, codes: []string{"net.ping-no-answer"}, summary: "10.0.0.1 reports host unreachable"},
		{name: "reply from another host", reply: func(int, netip.Addr) (icmp.Reply, time.Duration, error) {
			return icmp.Reply{Status: icmp.StatusSuccess, From: gw}, time.Millisecond, nil
		}, codes: []string{"net.ping-no-answer"}},
		{name: "the call fails", reply: func(int, netip.Addr) (icmp.Reply, time.Duration, error) {
			return icmp.Reply{}, 0, errors.New("icmp helper: echo: access denied")
		}, err: true},
	}
	pp := profile.Default().Net.Ping
	pp.Timeout = profile.Duration(300 * time.Millisecond)
	addr := netip.MustParseAddr("192.0.2.7")
	old := openEchoer
	t.Cleanup(func() { openEchoer = old })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeEchoer{reply: tt.reply}
			openEchoer = func(bool) (icmp.Helper, error) { return f, nil }
			ctx, cancel := context.WithTimeout(context.Background(), pingDuration(pp)+time.Second)
			defer cancel()
			st, err := measure(ctx, pp, pp.Interval.D(), func(ph *phase) (sample, error) {
				return echoPhase(ctx, ph, addr, methodICMPHelper)
			})
			if tt.err {
				if err == nil {
					t.Fatalf("measure: no error, want the call's failure (stats %+v)", st)
				}
				return
			}
			if err != nil {
				t.Fatalf("measure: %v", err)
			}
			var res report.Result
			evaluatePing(&res, pp, &pingTarget{host: addr.String(), roles: []string{roleTarget}}, addr, methodICMPHelper, st, 0)
			var got []string
			for _, fd := range res.Findings {
				got = append(got, fd.Code)
			}
			if !slices.Equal(got, tt.codes) || !strings.Contains(res.Summary, tt.summary) {
				t.Errorf("codes %v, summary %q; want %v and %q (sent %d, received %d)", got, res.Summary, tt.codes, tt.summary, st.Sent, st.Recv)
			}
		})
	}
}

// fakeHops answers a trace's echoes as a path of routers would: the
// router at each TTL says "time exceeded", the destination at its own
// TTL answers the echo (or, with note, an unreachable status).
type fakeHops struct {
	routers []netip.Addr
	last    uint32 // the status of the probes past the routers
}

func (f fakeHops) Echo(dst netip.Addr, ttl int, timeout time.Duration) (icmp.Reply, error) {
	switch {
	case ttl >= 1 && ttl <= len(f.routers):
		return icmp.Reply{Status: icmp.StatusTTLExpiredTransit, From: f.routers[ttl-1]}, nil
	case f.last == icmp.StatusReqTimedOut:
		time.Sleep(timeout)
		return icmp.Reply{Status: icmp.StatusReqTimedOut}, nil
	case f.last == icmp.StatusSuccess:
		return icmp.Reply{Status: icmp.StatusSuccess, From: dst}, nil
	}
	return icmp.Reply{Status: f.last, From: f.routers[len(f.routers)-1]}, nil
}

func (fakeHops) Close() {}

// TestHelperTrace: the helper's statuses make the same hops as a raw
// socket's ICMP messages (a router that reports "unreachable" answers
// every probe sent past it, so only the path's start is compared then).
func TestHelperTrace(t *testing.T) {
	r1, r2 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.1.1")
	dst := netip.MustParseAddr("192.0.2.9")
	tests := []struct {
		name    string
		fake    fakeHops
		path    []string
		reached bool
		note    string
	}{
		{"reached", fakeHops{routers: []netip.Addr{r1, r2}, last: icmp.StatusSuccess}, []string{"10.0.0.1", "10.0.1.1", "192.0.2.9"}, true, ""},
		{"stops", fakeHops{routers: []netip.Addr{r1, r2}, last: icmp.StatusReqTimedOut}, []string{"10.0.0.1", "10.0.1.1", ""}, false, ""},
		{"prohibited", fakeHops{routers: []netip.Addr{r1}, last: icmp.StatusDestHostUnreachable}, []string{"10.0.0.1", "10.0.0.1"}, false, "host unreachable"},
	}
	old := openEchoer
	t.Cleanup(func() { openEchoer = old })
	tp := profile.Default().Net.Trace
	tp.Timeout = profile.Duration(400 * time.Millisecond)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			openEchoer = func(bool) (icmp.Helper, error) { return tt.fake, nil }
			tr, err := traceHelper(context.Background(), tp, dst)
			if err != nil {
				t.Fatal(err)
			}
			var path []string
			for _, h := range tr.hops {
				path = append(path, h.Address)
			}
			last := tr.hops[len(tr.hops)-1]
			if len(path) < len(tt.path) || !slices.Equal(path[:len(tt.path)], tt.path) || (tt.note == "" && len(path) != len(tt.path)) || tr.reached != tt.reached || tr.method != methodICMPHelper || (tt.note != "" && last.Note != tt.note) {
				t.Errorf("path %q, reached %v, method %s, last note %q; want %q, %v, icmp-helper, %q", path, tr.reached, tr.method, last.Note, tt.path, tt.reached, tt.note)
			}
		})
	}
}

// countingEchoer answers every echo after a delay and records how many
// calls were in flight at most.
type countingEchoer struct {
	fakeEchoer
	in, most atomic.Int64
}

func (c *countingEchoer) Echo(dst netip.Addr, ttl int, timeout time.Duration) (icmp.Reply, error) {
	n := c.in.Add(1)
	for m := c.most.Load(); n > m && !c.most.CompareAndSwap(m, n); m = c.most.Load() {
	}
	defer c.in.Add(-1)
	return c.fakeEchoer.Echo(dst, ttl, timeout)
}

// TestHelperCallsBounded: with the process's helper calls nearly all
// taken (other targets' echoes blocking their threads), a phase sends
// only as many echoes as there are places, and a target that answers
// every echo is not reported lossy for the echoes it did not get.
func TestHelperCallsBounded(t *testing.T) {
	for range maxHelperCalls - 2 {
		if !takeHelperCall() {
			t.Fatal("the helper calls are taken before the test")
		}
	}
	t.Cleanup(func() {
		for range maxHelperCalls - 2 {
			doneHelperCall()
		}
	})
	f := &countingEchoer{fakeEchoer: fakeEchoer{reply: func(_ int, dst netip.Addr) (icmp.Reply, time.Duration, error) {
		return icmp.Reply{Status: icmp.StatusSuccess, From: dst}, 40 * time.Millisecond, nil
	}}}
	old := openEchoer
	t.Cleanup(func() { openEchoer = old })
	openEchoer = func(bool) (icmp.Helper, error) { return f, nil }
	pp := profile.Default().Net.Ping
	pp.Timeout = profile.Duration(300 * time.Millisecond)
	addr := netip.MustParseAddr("192.0.2.7")
	ctx, cancel := context.WithTimeout(context.Background(), pingDuration(pp)+time.Second)
	defer cancel()
	st, err := measure(ctx, pp, pp.Interval.D(), func(ph *phase) (sample, error) {
		return echoPhase(ctx, ph, addr, methodICMPHelper)
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := f.most.Load(); m > 2 {
		t.Errorf("%d echoes in flight at once, want at most the 2 free places", m)
	}
	var res report.Result
	evaluatePing(&res, pp, &pingTarget{host: addr.String(), roles: []string{roleTarget}}, addr, methodICMPHelper, st, 0)
	if st.Sent == 0 || st.Recv != st.Sent || len(res.Findings) != 0 {
		t.Errorf("sent %d, received %d, findings %+v (%s): want every echo sent answered and no finding", st.Sent, st.Recv, res.Findings, res.Summary)
	}
}
