package netcheck

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/internal/icmp"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// mtuSizes are the path MTUs probed, all at once: Ethernet, PPPoE, and
// the usual tunnel overheads (IPsec, GRE, WireGuard, OpenVPN), down to
// IPv6's minimum and IPv4's.
var mtuSizes = []int{1500, 1492, 1480, 1472, 1460, 1450, 1440, 1420, 1400, 1380, 1360, 1300, 1280, 1200, 1000, 576}

// mtuEchoes is how many don't-fragment echoes each size gets: the second
// one runs into EMSGSIZE when a router answered the first with "too big",
// which tells a working path MTU discovery from a black hole.
const mtuEchoes = 2

var mtuSpec = diag.Spec{
	ID: "net-mtu", Category: diag.CategoryNet, Phase: diag.PhaseProbe,
	Finds: "the path MTU to the ping targets with don't-fragment echoes; MTU black holes (VPN, PPPoE)",
	Timeout: func(p *profile.Profile) diag.Duration {
		return diag.Duration(p.Net.MTU.Timeout.D() + time.Second)
	},
	Sockets:  fixedSockets(2), // the ICMP socket, or the timed TCP connects
	Findings: []diag.FindingSpec{FindingNoResolve, FindingLocalError, FindingMTUBlackhole},
	Plan:     planMTU,
}

// planMTU plans a path-MTU probe per ping target (--ping and the
// profile's), per host of a --tcp or --http target, and per net.mtu
// target, when net.mtu is enabled. The hosts of the user's TCP and HTTP
// targets count because a black hole shows exactly there: the handshake
// passes, the first full-size packet of the answer vanishes, and without
// the probe the stalled fetch reads as a hung service. The profile's own
// TCP and HTTP targets (the background probes) are not probed.
func planMTU(in *diag.PlanInput) []diag.Instance {
	if !in.Profile.Net.MTU.Enabled {
		return nil
	}
	all := slices.Concat(in.Targets.Ping, in.Profile.Net.Ping.Targets)
	for _, hp := range in.Targets.TCP {
		all = append(all, hp.Host)
	}
	for _, u := range in.Targets.HTTP {
		all = append(all, u.Hostname())
	}
	var hosts []string
	for _, h := range append(all, in.Profile.Net.MTU.Targets...) {
		if h != "" && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	var checks []diag.Instance
	for _, h := range hosts {
		checks = append(checks, diag.Instance{Target: h, Run: func(ctx context.Context, env *diag.Env) report.Result {
			return runMTU(ctx, env.Profile.Net.MTU, h)
		}})
	}
	return checks
}

// mtuProbe is what one size got, as shown in details.sizes.
type mtuProbe struct {
	MTU      int    `json:"mtu"`
	Sent     int    `json:"sent"`
	Received int    `json:"received"`
	TooBig   bool   `json:"too_big"` // the kernel refused it: local MTU or a router said so
	Error    string `json:"error,omitempty"`
}

func runMTU(ctx context.Context, mp profile.NetMTU, host string) report.Result {
	var res report.Result
	if runtime.GOOS != "linux" {
		return diag.Skipped(fmt.Sprintf("Path MTU probing needs the don't-fragment socket option, which l2diag sets on Linux only (this is %s).", runtime.GOOS))
	}
	rctx, cancel := within(ctx, mp.Timeout.D())
	addrs, err := resolve(rctx, host)
	cancel()
	if err != nil {
		noResolve(&res, host, err)
		return res
	}
	addr := addrs[0]
	method, err := pingMethod(addr)
	if err != nil {
		return diag.Errored(err)
	}
	if method == methodTCP {
		res = diag.Skipped("Not probed: sending ICMP is not permitted for this user (see the ping result).")
		res.Degraded = true
		return res
	}
	overhead, floor := 28, 576 // IPv4 + ICMP headers
	if addr.Is6() {
		overhead, floor = 48, 1280
	}
	var sizes []int
	for _, m := range mtuSizes {
		if m >= floor {
			sizes = append(sizes, m)
		}
	}
	probes := make([]mtuProbe, len(sizes))
	var wg sync.WaitGroup
	for i, m := range sizes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			probes[i] = dfPing(ctx, mp, addr, method == methodICMPRaw, m, m-overhead)
		}()
	}
	wg.Wait()
	res.SetDetail("address", addr.String())
	res.SetDetail("sizes", probes)
	best, blackholed, tooBig := 0, 0, 0
	for _, p := range probes {
		switch {
		case p.Received > 0:
			best = max(best, p.MTU)
		case p.TooBig:
			tooBig = max(tooBig, p.MTU)
		default:
			blackholed = max(blackholed, p.MTU)
		}
	}
	// A black hole drops every large packet and no small one. On a lossy
	// path the large sizes lose all their echoes by chance too; with loss
	// among the sizes that do pass, the lost large ones prove nothing.
	lossy := false
	for _, p := range probes {
		if p.MTU <= best && !p.TooBig && p.Received < p.Sent {
			lossy = true
		}
	}
	ev := map[string]any{"address": addr.String(), "path_mtu": best}
	switch {
	case best == 0:
		res.Status = report.StatusSkipped
		res.Summary = fmt.Sprintf("Not measured: %s answered no echo of any size (see the ping result).", host)
	case blackholed > best && lossy:
		res.SetMetric("path_mtu", float64(best))
		res.Summary = fmt.Sprintf("Path MTU to %s is at least %d bytes; echoes of smaller sizes were lost too (packet loss, see the ping result), so the lost larger ones prove no black hole.", host, best)
	case blackholed > best:
		res.SetMetric("path_mtu", float64(best))
		ev["lost_mtu"] = blackholed
		res.Summary = fmt.Sprintf("Packets to %s larger than %d bytes vanish without an ICMP \"too big\": a path MTU black hole.", host, best)
		res.AddFinding(FindingMTUBlackhole.Finding(res.Summary, ev))
	default:
		res.SetMetric("path_mtu", float64(best))
		res.Summary = fmt.Sprintf("Path MTU to %s is %d bytes.", host, best)
		if best < sizes[0] {
			res.Summary += " Larger packets are refused with a proper \"too big\" (path MTU discovery works)."
		}
	}
	return res
}

// dfPing sends don't-fragment echoes of one size.
func dfPing(ctx context.Context, mp profile.NetMTU, addr netip.Addr, privileged bool, mtu, size int) mtuProbe {
	out := mtuProbe{MTU: mtu}
	p := icmp.New(addr, privileged, mtuEchoes, 100*time.Millisecond, budget(ctx, mp.Timeout.D()))
	p.SetDoNotFragment(true)
	p.Size = size
	err := p.RunWithContext(ctx)
	st := p.Statistics()
	out.Sent, out.Received = st.PacketsSent, st.PacketsRecv
	if serr := p.FirstSendError(); serr != nil {
		err = serr
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		out.Error = rootCause(err)
		out.TooBig = errors.Is(err, syscall.EMSGSIZE)
	}
	return out
}
