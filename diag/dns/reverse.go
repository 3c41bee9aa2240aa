package dnscheck

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/report"
)

// maxReverseAddrs bounds dns-reverse on hosts with many addresses
// (container bridges): the first ones are the ones that matter.
const maxReverseAddrs = 8

var reverseSpec = diag.Spec{
	ID: "dns-reverse", Category: diag.CategoryDNS, Phase: diag.PhaseProbe,
	Finds:    "the PTR name of each of this host's addresses, and whether it resolves back to the address (forward-confirmed reverse DNS)",
	Sockets:  engineSockets,
	Findings: []diag.FindingSpec{FindingPTRMissing, FindingPTRMismatch},
	Plan:     planReverse,
}

func planReverse(in *diag.PlanInput) []diag.Instance {
	s := setupFor(in)
	servers := s.systemServers()
	if len(servers) == 0 {
		return nil
	}
	var out []diag.Instance
	for _, a := range localAddrs(in) {
		rev := wire.ReverseName(a)
		if rev == "" {
			continue
		}
		ks := keys(servers, rev, []uint16{wire.TypePTR})
		s.e.plan(ks...)
		out = append(out, diag.Instance{Target: a.String(), Run: func(ctx context.Context, env *diag.Env) report.Result {
			return runReverse(ctx, s.e, a, servers, s.e.queryAll(ctx, ks))
		}})
	}
	return out
}

// localAddrs are the host's own addresses worth a PTR: the net discovery's
// fact, else the interfaces' global unicast addresses.
func localAddrs(in *diag.PlanInput) []netip.Addr {
	addrs, ok := diag.GetFact(in.Facts, diag.FactLocalAddrs)
	if !ok {
		ifAddrs, _ := net.InterfaceAddrs()
		for _, ia := range ifAddrs {
			if p, err := netip.ParsePrefix(ia.String()); err == nil {
				addrs = append(addrs, p.Addr())
			}
		}
	}
	var out []netip.Addr
	for _, a := range addrs {
		a = a.Unmap()
		if a.IsGlobalUnicast() && !slices.Contains(out, a) && len(out) < maxReverseAddrs {
			out = append(out, a)
		}
	}
	return out
}

func runReverse(ctx context.Context, e *engine, a netip.Addr, servers []server, ptrs []Outcome) report.Result {
	var res report.Result
	// The first server that gave a real answer decides, as a client would.
	var o *Outcome
	for i := range ptrs {
		if ptrs[i].Rcode == wire.NoError || ptrs[i].Rcode == wire.NXDomain {
			o = &ptrs[i]
			break
		}
	}
	res.SetDetail("ptr", ptrs)
	if o == nil {
		return diag.Skipped(fmt.Sprintf("No server answered the PTR query for %s (see dns-server).", a))
	}
	names := o.Data()
	ev := map[string]any{"addr": a.String(), "server": o.Server.String(), "ptr": names}
	if len(names) == 0 {
		res.AddFinding(FindingPTRMissing.Finding(fmt.Sprintf("%s has no PTR record (%s says %s).", a, serverName(o.Server), o.Rcode), ev))
		res.Summary = "No PTR record."
		return res
	}
	// Forward-confirm at the server that answered: it is alive, so this
	// second round trip is quick.
	t := wire.TypeA
	if a.Is6() {
		t = wire.TypeAAAA
	}
	var fwd []string
	for _, n := range names {
		f := e.query(ctx, qkey{server: o.Server, name: n, qtype: t, via: wire.UDP})
		fwd = append(fwd, f.Data()...)
	}
	ev["forward"] = fwd
	res.SetDetail("forward", fwd)
	if !slices.Contains(fwd, a.String()) {
		res.AddFinding(FindingPTRMismatch.Finding(
			fmt.Sprintf("%s has PTR %s, which resolves to %s, not back to %s.", a, strings.Join(names, ", "), orNothing(fwd), a), ev))
		res.Summary = "The PTR name does not resolve back to the address."
		return res
	}
	res.Summary = fmt.Sprintf("%s is %s, forward-confirmed.", a, strings.Join(names, ", "))
	return res
}

func orNothing(s []string) string {
	if len(s) == 0 {
		return "nothing"
	}
	return strings.Join(s, ", ")
}
