package netcheck

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	probing "github.com/prometheus-community/pro-bing"
	"golang.org/x/net/icmp"

	"github.com/l2diag/l2diag/diag"
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

func pingSpec() diag.Spec {
	s := &diag.Spec{
		ID: "net-ping", Category: diag.CategoryNet, Phase: diag.PhaseProbe,
		Finds: "loss and round trips to --ping hosts, the gateways and the DNS servers (ICMP, or timed TCP when unprivileged)",
		Timeout: func(p *profile.Profile) diag.Duration {
			return diag.Duration(pingDuration(p.Net.Ping) + time.Second)
		},
	}
	s.Plan = func(in *diag.PlanInput) []diag.Check { return planPing(s, in) }
	return *s
}

// pingDuration is how long a ping of pp's settings runs at most.
func pingDuration(pp profile.NetPing) time.Duration {
	return time.Duration(pp.Count-1)*pp.Interval.D() + pp.Timeout.D()
}

type pingTarget struct {
	host  string
	roles []string
}

func planPing(spec *diag.Spec, in *diag.PlanInput) []diag.Check {
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
	checks := make([]diag.Check, 0, len(targets))
	for _, t := range targets {
		checks = append(checks, diag.New(spec, t.host, func(ctx context.Context, env *diag.Env) report.Result {
			return runPing(ctx, env.Profile.Net.Ping, t)
		}))
	}
	return checks
}

// pingStats is what one ping measured, whatever the method.
type pingStats struct {
	Sent, Recv         int
	Min, Avg, Max, Std time.Duration
	SendErr            error
}

func (s pingStats) lossPct() float64 {
	if s.Sent == 0 {
		return 100
	}
	return float64(s.Sent-s.Recv) / float64(s.Sent) * 100
}

func runPing(ctx context.Context, pp profile.NetPing, t *pingTarget) report.Result {
	var res report.Result
	res.SetDetail("roles", t.roles)
	rctx, cancel := within(ctx, pp.Timeout.D())
	addrs, err := resolve(rctx, t.host)
	cancel()
	if err != nil {
		res.Summary = fmt.Sprintf("%s does not resolve.", t.host)
		res.AddFinding(FindingNoResolve.Finding(res.Summary, map[string]any{"host": t.host, "error": err.Error()}))
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
		st, err = icmpPing(ctx, pp, addr, method == methodICMPRaw)
		if err != nil && st.SendErr == nil {
			return diag.Errored(fmt.Errorf("net: ping %s: %w", addr, err))
		}
	}
	evaluatePing(&res, pp, t, addr, method, st, port)
	return res
}

// pingMethod picks the first ICMP socket kind the OS lets this process
// open, or the TCP fallback.
func pingMethod(addr netip.Addr) (string, error) {
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

func icmpPing(ctx context.Context, pp profile.NetPing, addr netip.Addr, privileged bool) (pingStats, error) {
	p := probing.New("")
	p.SetIPAddr(&net.IPAddr{IP: addr.AsSlice(), Zone: addr.Zone()})
	p.SetPrivileged(privileged)
	p.SetLogger(probing.NoopLogger{})
	// pro-bing's defaults never end: every limit is set explicitly.
	p.Count = pp.Count
	p.Interval = pp.Interval.D()
	p.Timeout = budget(ctx, pingDuration(pp))
	p.ResolveTimeout = p.Timeout
	p.RecordRtts = false
	p.RecordTTLs = false
	var mu sync.Mutex
	var sendErr error
	p.OnSendError = func(_ *probing.Packet, err error) {
		mu.Lock()
		defer mu.Unlock()
		if sendErr == nil {
			sendErr = err
		}
	}
	err := p.RunWithContext(ctx)
	s := p.Statistics()
	st := pingStats{Sent: s.PacketsSent, Recv: s.PacketsRecv, Min: s.MinRtt, Avg: s.AvgRtt, Max: s.MaxRtt, Std: s.StdDevRtt}
	mu.Lock()
	st.SendErr = sendErr
	mu.Unlock()
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = nil
	}
	if st.SendErr == nil && err != nil && (isNoRoute(err) || isUnreachable(err)) {
		st.SendErr = err
	}
	if st.SendErr != nil && st.Sent == 0 {
		st.Sent = 1 // the attempt that failed
	}
	return st, err
}

// tcpPing measures reachability with timed TCP connects, for users who may
// not send ICMP. A refused connect counts as an answer: the host sent a
// reset, so it is up. It first finds a port that answers (all in
// parallel), then times count connects to it.
func tcpPing(ctx context.Context, pp profile.NetPing, addr netip.Addr) (pingStats, int) {
	type try struct {
		port  int
		state connState
		rtt   time.Duration
		err   error
	}
	tries := make([]try, len(pp.FallbackPorts))
	var wg sync.WaitGroup
	for i, port := range pp.FallbackPorts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, rtt, err := dialTCP(ctx, netip.AddrPortFrom(addr, uint16(port)), pp.Timeout.D())
			tries[i] = try{port, st, rtt, err}
		}()
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
		st.Sent = 1
		for _, t := range tries {
			if t.state == stateNoRoute || t.state == stateUnreachable {
				st.SendErr = t.err
				break
			}
		}
		return st, 0
	}
	port := tries[best].port
	rtts := []time.Duration{tries[best].rtt}
	st.Sent, st.Recv = 1, 1
	for i := 1; i < pp.Count && ctx.Err() == nil; i++ {
		select {
		case <-time.After(pp.Interval.D()):
		case <-ctx.Done():
		}
		if budget(ctx, time.Hour) <= time.Millisecond {
			break
		}
		st.Sent++
		s, rtt, _ := dialTCP(ctx, netip.AddrPortFrom(addr, uint16(port)), pp.Timeout.D())
		if s == stateOpen || s == stateRefused {
			st.Recv++
			rtts = append(rtts, rtt)
		}
	}
	st.Min, st.Avg, st.Max, st.Std = rttStats(rtts)
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
	res.SetMetric("sent", float64(st.Sent))
	res.SetMetric("received", float64(st.Recv))
	res.SetMetric("loss_pct", st.lossPct())
	if st.Recv > 0 {
		res.SetMetric("rtt_min_ms", ms(st.Min))
		res.SetMetric("rtt_avg_ms", ms(st.Avg))
		res.SetMetric("rtt_max_ms", ms(st.Max))
		res.SetMetric("rtt_stddev_ms", ms(st.Std))
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
	case st.Recv == 0 && st.SendErr != nil && isNoRoute(st.SendErr):
		res.Summary = fmt.Sprintf("No route to %s: nothing could be sent (%v).", name, rootCause(st.SendErr))
		res.AddFinding(FindingPingNoRoute.Finding(res.Summary, ev))
	case st.Recv == 0 && method == methodTCP && st.SendErr == nil:
		res.Summary = fmt.Sprintf("%s did not answer on TCP ports %s; without ICMP it is unknown whether it is down or filtering.", upperFirst(name), joinInts(pp.FallbackPorts))
		res.AddFinding(FindingPingTCPNoAnswer.Finding(res.Summary, ev))
	case st.Recv == 0:
		fs := FindingPingNoAnswer
		if slices.Contains(t.roles, roleGateway) {
			fs = FindingGatewayDown
		}
		why := "no reply"
		if st.SendErr != nil {
			why = rootCause(st.SendErr)
		}
		res.Summary = fmt.Sprintf("%s did not answer (%d sent, %s).", upperFirst(name), st.Sent, why)
		res.AddFinding(fs.Finding(res.Summary, ev))
	default:
		res.Summary = fmt.Sprintf("%s answers: %.0f%% loss, average %.1f ms (%s).", upperFirst(name), st.lossPct(), ms(st.Avg), method)
		if loss := st.lossPct(); loss > pp.LossWarnPct {
			ev["loss_pct"] = loss
			ev["threshold_pct"] = pp.LossWarnPct
			res.AddFinding(FindingPingLoss.Finding(fmt.Sprintf("%.0f%% of the echo requests to %s were lost (threshold %g%%).", loss, name, pp.LossWarnPct), ev))
		}
		if st.Avg > pp.RTTWarn.D() {
			res.AddFinding(FindingPingSlow.Finding(fmt.Sprintf("Average round trip to %s is %.1f ms (threshold %s).", name, ms(st.Avg), pp.RTTWarn),
				map[string]any{"address": addr.String(), "rtt_avg_ms": ms(st.Avg), "threshold": pp.RTTWarn.String()}))
		}
	}
}

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
