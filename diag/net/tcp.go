package netcheck

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/report"
)

var tcpSpec = diag.Spec{
	ID: "net-tcp", Category: diag.CategoryNet, Phase: diag.PhaseProbe,
	Finds: "whether HOST:PORT is open, refused, filtered or unreachable, for each IPv4 and IPv6 address",
	Timeout: func(p *profile.Profile) diag.Duration {
		// Resolution and the connects each get the tcp timeout.
		return diag.Duration(2*p.Net.TCP.Timeout.D() + 500*time.Millisecond)
	},
	Sockets:  fixedSockets(2), // one connect per address, IPv4 and IPv6 at once
	Findings: []diag.FindingSpec{FindingNoResolve, FindingTCPOpen, FindingTCPRefused, FindingTCPFiltered, FindingTCPUnreachable, FindingLocalError, FindingTCPSlow},
	Plan:     planTCP,
}

// planTCP plans one connect check per HOST:PORT, --tcp targets first.
func planTCP(in *diag.PlanInput) []diag.Instance {
	var hps []target.HostPort
	add := func(hp target.HostPort) {
		if !slices.Contains(hps, hp) {
			hps = append(hps, hp)
		}
	}
	for _, hp := range in.Targets.TCP {
		add(hp)
	}
	for _, t := range in.Profile.Net.TCP.Targets {
		if hp, err := target.ParseHostPort(t); err == nil {
			add(hp)
		}
	}
	proxy, _ := diag.GetFact(in.Facts, diag.FactProxy)
	var checks []diag.Instance
	for _, hp := range hps {
		asked := slices.Contains(in.Targets.TCP, hp)
		checks = append(checks, diag.Instance{Target: hp.String(), Run: func(ctx context.Context, env *diag.Env) report.Result {
			res := runTCP(ctx, env.Profile.Net.TCP, hp)
			if proxy != "" && !asked {
				return behindProxy(res, hp, proxy)
			}
			return res
		}})
	}
	return checks
}

// behindProxy judges a profile's direct TCP probe on a network whose way
// out is a proxy: direct connections being blocked there is the design,
// not a fault, and net-http tests the way out through the proxy. The
// result keeps what was seen; a target the user named with --tcp is
// judged as is.
func behindProxy(res report.Result, hp target.HostPort, proxy string) report.Result {
	if !res.Status.Problem() {
		return res
	}
	seen := strings.TrimSuffix(res.Summary, ".")
	out := report.Result{
		Status:   report.StatusOK,
		Summary:  fmt.Sprintf("No direct connection (%s), as expected with a proxy configured (%s): net-http tests the way out through it.", seen, proxy),
		Metrics:  res.Metrics,
		Details:  res.Details,
		Degraded: res.Degraded,
	}
	out.SetDetail("direct_blocked_behind_proxy", true)
	return out
}

// tcpAttempt is one address's connect, as shown in details.addresses.
type tcpAttempt struct {
	Address   string    `json:"address"`
	Family    string    `json:"family"`
	State     connState `json:"state"`
	ConnectMS float64   `json:"connect_ms"`
	Error     string    `json:"error,omitempty"`
}

func runTCP(ctx context.Context, tp profile.NetTCP, hp target.HostPort) report.Result {
	var res report.Result
	rctx, cancel := within(ctx, tp.Timeout.D())
	addrs, err := resolve(rctx, hp.Host)
	cancel()
	if err != nil {
		noResolve(&res, hp.Host, err)
		return res
	}
	// Every address separately: a broken IPv6 path hides behind a working
	// IPv4 one in browsers (happy eyeballs) but not in every client.
	attempts := make([]tcpAttempt, len(addrs))
	var wg sync.WaitGroup
	for i, a := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, el, err := dialTCP(ctx, netip.AddrPortFrom(a, uint16(hp.Port)), tp.Timeout.D())
			at := tcpAttempt{Address: netip.AddrPortFrom(a, uint16(hp.Port)).String(), Family: family(a), State: st, ConnectMS: diag.Millis(el)}
			if err != nil {
				at.Error = rootCause(err)
			}
			attempts[i] = at
		}()
	}
	wg.Wait()
	res.SetDetail("addresses", attempts)
	open := 0
	var fastest float64 = -1
	for _, at := range attempts {
		if at.State == stateOpen {
			open++
			if fastest < 0 || at.ConnectMS < fastest {
				fastest = at.ConnectMS
			}
		}
	}
	if fastest >= 0 {
		res.SetMetric("connect_ms", fastest)
	}
	res.SetMetric("addresses", float64(len(attempts)))
	res.SetMetric("open", float64(open))
	var states []string
	for _, at := range attempts {
		ev := map[string]any{"address": at.Address, "family": at.Family, "state": string(at.State), "connect_ms": at.ConnectMS}
		if at.Error != "" {
			ev["error"] = at.Error
		}
		var f report.Finding
		switch at.State {
		case stateOpen:
			f = FindingTCPOpen.Finding(fmt.Sprintf("%s is open (connected in %.1f ms).", at.Address, at.ConnectMS), ev)
		case stateRefused:
			f = FindingTCPRefused.Finding(fmt.Sprintf("%s refused the connection: the host is up, nothing listens on port %d.", at.Address, hp.Port), ev)
		case stateFiltered:
			f = FindingTCPFiltered.Finding(fmt.Sprintf("%s did not answer within %s: a firewall drops the connection, or the host is off.", at.Address, tp.Timeout), ev)
		case stateNoRoute:
			f = FindingTCPUnreachable.Finding(fmt.Sprintf("%s is unreachable: no route (%s).", at.Address, at.Error), ev)
		case stateUnreachable:
			f = FindingTCPUnreachable.Finding(fmt.Sprintf("%s is unreachable (%s).", at.Address, at.Error), ev)
		case stateLocal:
			f = FindingLocalError.Finding(fmt.Sprintf("This machine could not open a connection to %s: %s (a local error; nothing was learnt about the network).", at.Address, at.Error), ev)
		default:
			f = FindingTCPUnreachable.Finding(fmt.Sprintf("Connecting to %s failed: %s.", at.Address, at.Error), ev)
			f.Status = report.StatusError
		}
		// One address failing while another works is degraded service,
		// not an outage.
		if open > 0 && f.Status == report.StatusFail {
			f.Status = report.StatusWarn
		}
		res.AddFinding(f)
		states = append(states, fmt.Sprintf("%s %s", at.Address, at.State))
	}
	if fastest > float64(tp.ConnectWarn.D().Milliseconds()) {
		res.AddFinding(FindingTCPSlow.Finding(fmt.Sprintf("The fastest connect to %s took %.0f ms (threshold %s).", hp, fastest, tp.ConnectWarn),
			map[string]any{"connect_ms": fastest, "threshold": tp.ConnectWarn.String()}))
	}
	switch {
	case open == len(attempts):
		res.Summary = fmt.Sprintf("%s is open (%.1f ms).", hp, fastest)
		if len(attempts) > 1 {
			res.Summary = fmt.Sprintf("%s is open on all %d addresses (fastest %.1f ms).", hp, len(attempts), fastest)
		}
	case len(res.Findings) == 1:
		res.Summary = res.Findings[0].Message
	default:
		res.Summary = fmt.Sprintf("%s: %s.", hp, strings.Join(states, ", "))
	}
	return res
}
