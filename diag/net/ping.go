package netcheck

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/icmp"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/net/loss"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// Ping methods, recorded in details.method: which way the round trips were
// measured.
const (
	methodICMPDatagram = "icmp-datagram" // unprivileged ICMP socket
	methodICMPRaw      = "icmp-raw"      // raw socket: root or CAP_NET_RAW
	methodTCP          = "tcp-connect"   // timed TCP connects, degraded
)

// Roles of a ping target, in details.roles.
const (
	roleTarget    = "target"
	roleGateway   = "gateway"
	roleDNSServer = "dns-server"
)

var pingSpec = diag.Spec{
	ID: "net-ping", Category: diag.CategoryNet, Phase: diag.PhaseProbe,
	Finds: "loss and round trips to --ping hosts, the gateways and the DNS servers (ICMP, or timed TCP when unprivileged)",
	Timeout: func(p *profile.Profile) diag.Duration {
		return diag.Duration(pingDuration(p.Net.Ping) + time.Second)
	},
	Sockets:  fixedSockets(2), // the ICMP socket, or the timed TCP connects
	Findings: []diag.FindingSpec{FindingGatewayDown, FindingPingNoAnswer, FindingPingNoRoute, FindingPingLoss, FindingPingSlow, FindingPingUnprivileged, FindingPingRateLimited, FindingPingTCPNoAnswer, FindingNoResolve, FindingLocalError},
	Plan:     planPing,
}

// pingDuration is how long a ping of pp's settings runs at most: the
// sending window, the wait for its last echo, and a slower second phase
// when the replies look rate-limited.
func pingDuration(pp profile.NetPing) time.Duration {
	return sendWindow(pp.Count, pp.Interval.D()) + 2*pp.Timeout.D() + backoffWall
}

type pingTarget struct {
	host  string
	roles []string
}

func planPing(in *diag.PlanInput) []diag.Instance {
	var targets []*pingTarget
	add := func(host, role string) {
		for _, t := range targets {
			if t.host == host {
				if !slices.Contains(t.roles, role) {
					t.roles = append(t.roles, role)
				}
				return
			}
		}
		targets = append(targets, &pingTarget{host: host, roles: []string{role}})
	}
	for _, h := range in.Targets.Ping {
		add(h, roleTarget)
	}
	pp := in.Profile.Net.Ping
	for _, h := range pp.Targets {
		add(h, roleTarget)
	}
	if pp.Gateways {
		gws, _ := diag.GetFact(in.Facts, diag.FactGateways)
		for _, g := range gws {
			add(g.String(), roleGateway)
		}
	}
	if pp.DNSServers {
		// Absent when the DNS discovery did not run: then skip them.
		srvs, _ := diag.GetFact(in.Facts, diag.FactDNSServers)
		for _, s := range srvs {
			if !s.Addr().IsLoopback() {
				add(s.Addr().String(), roleDNSServer)
			}
		}
	}
	checks := make([]diag.Instance, 0, len(targets))
	for _, t := range targets {
		checks = append(checks, diag.Instance{Target: t.host, Run: func(ctx context.Context, env *diag.Env) report.Result {
			return runPing(ctx, env.Profile.Net.Ping, t)
		}})
	}
	return checks
}

// pingStats is what one ping measured, whatever the method. Sent and
// Recv count the echoes judged (sent, in order, whose fate is known);
// echoes still on their way when the test stopped are left out.
type pingStats struct {
	Sent, Recv         int
	Min, Avg, Max, Std time.Duration
	SendErr            error
	// Loss is the estimate over the judged echoes and Verdict the
	// sequential test's call.
	Loss    loss.Estimate
	Verdict loss.Verdict
	// Total counts every echo sent and Answered every reply, judged or
	// not: a host that answered nothing at all is down.
	Total, Answered int
	Phases          []phaseInfo
	// RateLimited is set when the loss at full rate went away at a slower
	// rate: the target limits its replies, the path does not lose them.
	RateLimited bool
	rtts        []time.Duration
}

// phaseInfo describes one phase in details.phases.
type phaseInfo struct {
	IntervalMS float64 `json:"interval_ms"`
	Sent       int     `json:"sent"`
	Judged     int     `json:"judged"`
	Lost       int     `json:"lost"`
	Verdict    string  `json:"verdict"`
}

func (s pingStats) lossPct() float64 {
	if s.Sent == 0 {
		return 100
	}
	return s.Loss.Pct
}

func runPing(ctx context.Context, pp profile.NetPing, t *pingTarget) report.Result {
	var res report.Result
	res.SetDetail("roles", t.roles)
	rctx, cancel := within(ctx, pp.Timeout.D())
	addrs, err := resolve(rctx, t.host)
	cancel()
	if err != nil {
		noResolve(&res, t.host, err)
		return res
	}
	addr := addrs[0]
	res.SetDetail("address", addr.String())
	method, err := pingMethod(addr)
	if err != nil {
		return diag.Errored(err)
	}
	res.SetDetail("method", method)
	var st pingStats
	var port int
	if method == methodTCP {
		res.Degraded = true
		st, port = tcpPing(ctx, pp, addr)
		res.SetDetail("tcp_port", port)
	} else {
		st, err = measure(ctx, pp, pp.Interval.D(), func(ph *phase) (sample, error) {
			return echoPhase(ctx, ph, addr, method)
		})
		if err != nil && st.SendErr == nil {
			return diag.Errored(fmt.Errorf("net: ping %s: %w", addr, err))
		}
	}
	evaluatePing(&res, pp, t, addr, method, st, port)
	return res
}

// pingMethod picks the first way of sending ICMP echo the OS lets this
// process use, or the TCP fallback. On Windows that is the ICMP helper
// API, as ping.exe uses: it needs no privilege and no firewall rule for a
// raw socket (docs/decisions.md, "Ping on Windows through the ICMP helper
// API").
func pingMethod(addr netip.Addr) (string, error) {
	if runtime.GOOS == "windows" {
		if h, err := openHelper(addr); err == nil {
			h.Close()
			return methodICMPHelper, nil
		}
	}
	dgram, raw := "udp4", "ip4:icmp"
	if addr.Is6() {
		dgram, raw = "udp6", "ip6:ipv6-icmp"
	}
	if runtime.GOOS != "windows" { // Windows has no ICMP datagram sockets
		c, err := icmp.ListenPacket(dgram, "")
		if err == nil {
			_ = c.Close()
			return methodICMPDatagram, nil
		}
		if !isPermission(err) {
			return "", fmt.Errorf("net: open an ICMP socket: %w", err)
		}
	}
	c, err := icmp.ListenPacket(raw, "")
	if err == nil {
		_ = c.Close()
		return methodICMPRaw, nil
	}
	if !isPermission(err) && runtime.GOOS != "windows" {
		return "", fmt.Errorf("net: open a raw ICMP socket: %w", err)
	}
	return methodTCP, nil
}

// echoPhase runs a phase of ICMP echoes by method (not the TCP fallback).
func echoPhase(ctx context.Context, ph *phase, addr netip.Addr, method string) (sample, error) {
	if method == methodICMPHelper {
		return helperPhase(ctx, ph, addr)
	}
	return icmpPhase(ctx, ph, addr, method == methodICMPRaw)
}

// tcpPing measures reachability with timed TCP connects, for users who may
// not send ICMP. A refused connect counts as an answer: the host sent a
// reset, so it is up. It first finds a port that answers (all in
// parallel), then measures loss and round trips to it like ping does, at
// most one connect per tcpMinInterval.
func tcpPing(ctx context.Context, pp profile.NetPing, addr netip.Addr) (pingStats, int) {
	type try struct {
		port  int
		state connState
		rtt   time.Duration
		err   error
	}
	// Each port gets a few connects, staggered, and the first answer ends
	// the search: one lost SYN must not make a lossy host look down.
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tries := make([]try, len(pp.FallbackPorts)*discoveryTries)
	var wg sync.WaitGroup
	for i, port := range pp.FallbackPorts {
		for a := range discoveryTries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				select {
				case <-time.After(time.Duration(a) * discoveryGap):
				case <-dctx.Done():
					return
				}
				st, rtt, err := dialTCP(dctx, netip.AddrPortFrom(addr, uint16(port)), pp.Timeout.D())
				tries[i*discoveryTries+a] = try{port, st, rtt, err}
				if st == stateOpen || st == stateRefused {
					cancel()
				}
			}()
		}
	}
	wg.Wait()
	var st pingStats
	best := -1
	for i, t := range tries {
		if t.state == stateOpen || t.state == stateRefused {
			if best < 0 || t.rtt < tries[best].rtt {
				best = i
			}
		}
	}
	if best < 0 {
		st.Sent, st.Total = 1, 1
		st.Loss = loss.Wilson(1, 1)
		for _, t := range tries {
			if t.state == stateNoRoute || t.state == stateUnreachable {
				st.SendErr = t.err
				break
			}
		}
		return st, 0
	}
	port := tries[best].port
	ap := netip.AddrPortFrom(addr, uint16(port))
	// The same sending window as ICMP, at the slower connect pace.
	tp := pp
	interval := max(pp.Interval.D(), tcpMinInterval)
	tp.Count = max(1, min(pp.Count, int(time.Duration(pp.Count)*pp.Interval.D()/interval)))
	// A connect answered only after the kernel resent its SYN lost a
	// packet: give up on each just before the resend.
	tp.Timeout = profile.Duration(min(pp.Timeout.D(), synResend))
	st, _ = measure(ctx, tp, interval, func(ph *phase) (sample, error) {
		return tcpPhase(ctx, ph, ap), nil
	})
	return st, port
}

func rttStats(rtts []time.Duration) (lo, avg, hi, std time.Duration) {
	if len(rtts) == 0 {
		return
	}
	lo, hi = rtts[0], rtts[0]
	var sum float64
	for _, r := range rtts {
		lo, hi = min(lo, r), max(hi, r)
		sum += float64(r)
	}
	mean := sum / float64(len(rtts))
	var sq float64
	for _, r := range rtts {
		d := float64(r) - mean
		sq += d * d
	}
	return lo, time.Duration(mean), hi, time.Duration(math.Sqrt(sq / float64(len(rtts))))
}

func evaluatePing(res *report.Result, pp profile.NetPing, t *pingTarget, addr netip.Addr, method string, st pingStats, port int) {
	if st.Answered == 0 && st.Total > st.Sent {
		// Nothing ever answered: every echo sent counts, judged or not.
		st.Sent, st.Recv = st.Total, 0
		st.Loss = loss.Wilson(st.Sent, st.Sent)
	}
	res.SetMetric("sent", float64(st.Sent))
	res.SetMetric("received", float64(st.Recv))
	res.SetMetric("loss_pct", st.lossPct())
	res.SetMetric("loss_low_pct", st.Loss.LowPct)
	res.SetMetric("loss_high_pct", st.Loss.HighPct)
	if st.Answered > 0 {
		res.SetMetric("rtt_min_ms", diag.Millis(st.Min))
		res.SetMetric("rtt_avg_ms", diag.Millis(st.Avg))
		res.SetMetric("rtt_max_ms", diag.Millis(st.Max))
		res.SetMetric("rtt_stddev_ms", diag.Millis(st.Std))
	}
	if len(st.Phases) > 0 {
		res.SetDetail("loss_verdict", st.Verdict.String())
		res.SetDetail("phases", st.Phases)
		res.SetDetail("echoes_sent", st.Total)
	}
	ev := map[string]any{"address": addr.String(), "method": method, "sent": st.Sent, "received": st.Recv}
	if port > 0 {
		ev["tcp_port"] = port
	}
	if st.SendErr != nil {
		ev["error"] = st.SendErr.Error()
	}
	name := describe(t, addr)
	if method == methodTCP {
		res.AddFinding(FindingPingUnprivileged.Finding(
			"ICMP is not permitted for this user; measured with timed TCP connects instead.",
			map[string]any{"method": method, "ports": pp.FallbackPorts}))
	}
	switch {
	case st.Answered == 0 && st.SendErr != nil && isNoRoute(st.SendErr):
		res.Summary = fmt.Sprintf("No route to %s: nothing could be sent (%v).", name, rootCause(st.SendErr))
		res.AddFinding(FindingPingNoRoute.Finding(res.Summary, ev))
	case st.Answered == 0 && method == methodTCP && st.SendErr == nil:
		res.Summary = fmt.Sprintf("%s did not answer on TCP ports %s; without ICMP it is unknown whether it is down or filtering.", upperFirst(name), joinInts(pp.FallbackPorts))
		res.AddFinding(FindingPingTCPNoAnswer.Finding(res.Summary, ev))
	case st.Answered == 0:
		fs := FindingPingNoAnswer
		if slices.Contains(t.roles, roleGateway) {
			fs = FindingGatewayDown
		}
		why := "no reply"
		if st.SendErr != nil {
			why = rootCause(st.SendErr)
		}
		res.Summary = fmt.Sprintf("%s did not answer (%d sent, %s).", upperFirst(name), max(st.Total, st.Sent), why)
		res.AddFinding(fs.Finding(res.Summary, ev))
	default:
		res.Summary = fmt.Sprintf("%s answers: loss %s, average %.1f ms (%s).", upperFirst(name), st.Loss, diag.Millis(st.Avg), method)
		switch {
		case st.RateLimited:
			res.Summary = fmt.Sprintf("%s answers but limits its reply rate: no loss worth reporting at a slower rate, %s; average %.1f ms (%s).", upperFirst(name), st.Loss, diag.Millis(st.Avg), method)
			res.AddFinding(FindingPingRateLimited.Finding(res.Summary, map[string]any{
				"address": addr.String(), "phases": st.Phases, "loss_pct": st.Loss.Pct,
			}))
		case st.Verdict == loss.Lossy:
			for k, v := range lossEvidence(st.Loss, pp.LossWarnPct) {
				ev[k] = v
			}
			res.AddFinding(FindingPingLoss.Finding(fmt.Sprintf("Echo requests to %s are lost: %s, judged against the %g%% threshold.", name, st.Loss, pp.LossWarnPct), ev))
		case st.Verdict == loss.Undecided || st.Sent == 0:
			res.Summary = fmt.Sprintf("%s answers; too few echoes were judged to tell the loss (%s), average %.1f ms (%s).", upperFirst(name), st.Loss, diag.Millis(st.Avg), method)
		case st.Sent-st.Recv > 0:
			res.Summary = fmt.Sprintf("%s answers: loss %s is no loss worth reporting against the %g%% threshold, average %.1f ms (%s).", upperFirst(name), st.Loss, pp.LossWarnPct, diag.Millis(st.Avg), method)
		}
		if st.Avg > pp.RTTWarn.D() {
			res.AddFinding(FindingPingSlow.Finding(fmt.Sprintf("Average round trip to %s is %.1f ms (threshold %s).", name, diag.Millis(st.Avg), pp.RTTWarn),
				map[string]any{"address": addr.String(), "rtt_avg_ms": diag.Millis(st.Avg), "threshold": pp.RTTWarn.String()}))
		}
	}
}

// lossEvidence is the evidence of a loss finding: the estimate with its
// 95 % interval and the threshold it was judged against.
func lossEvidence(e loss.Estimate, thresholdPct float64) map[string]any {
	return map[string]any{
		"loss_pct": round1(e.Pct), "loss_low_pct": round1(e.LowPct), "loss_high_pct": round1(e.HighPct),
		"lost": e.Lost, "judged": e.Sent, "threshold_pct": thresholdPct, "loss": e.String(),
	}
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func describe(t *pingTarget, addr netip.Addr) string {
	var what string
	switch {
	case slices.Contains(t.roles, roleGateway):
		what = "the gateway "
	case slices.Contains(t.roles, roleDNSServer):
		what = "the DNS server "
	}
	name := t.host
	if t.host != addr.String() {
		name = fmt.Sprintf("%s (%s)", t.host, addr)
	}
	if what == "" {
		return name
	}
	return what + name
}

// upperFirst capitalises the first letter, for a description that starts
// a sentence ("the gateway 10.0.0.1" → "The gateway 10.0.0.1").
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// rootCause returns the innermost error text ("no route to host").
func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return diag.ErrText(err)
		}
		err = u
	}
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
