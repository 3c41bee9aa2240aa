package dnscheck

import (
	"context"
	"fmt"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/report"
)

var hijackSpec = diag.Spec{
	ID: "dns-hijack", Category: diag.CategoryDNS, Phase: diag.PhaseProbe,
	Finds:    "whether a server answers a random name that cannot exist with an address (NXDOMAIN rewritten by an ISP or captive portal)",
	Sockets:  engineSockets,
	Findings: []diag.FindingSpec{FindingHijack},
	Plan:     planHijack,
}

func planHijack(in *diag.PlanInput) []diag.Instance {
	s := setupFor(in)
	name := wire.Fqdn(s.e.nxLabel + "." + in.Profile.DNS.HijackDomain)
	var out []diag.Instance
	for _, sv := range s.servers {
		k := qkey{server: sv.Addr, name: name, qtype: wire.TypeA, via: wire.UDP}
		s.e.plan(k)
		out = append(out, diag.Instance{Target: serverName(sv.Addr), Run: func(ctx context.Context, env *diag.Env) report.Result {
			return judgeHijack(sv, s.e.query(ctx, k))
		}})
	}
	return out
}

func judgeHijack(sv server, o Outcome) report.Result {
	var res report.Result
	res.SetDetail("probe", o)
	who := serverName(sv.Addr)
	switch {
	case !o.Answered():
		return diag.Skipped(fmt.Sprintf("%s did not answer the probe for %s; cannot tell (see dns-server).", who, o.Name))
	case o.Rcode == wire.Refused || o.Rcode == wire.ServFail:
		return diag.Skipped(fmt.Sprintf("%s answered %s to the probe for %s; cannot tell.", who, o.Rcode, o.Name))
	case o.Rcode == wire.NXDomain:
		res.Summary = fmt.Sprintf("%s answers NXDOMAIN for a name that cannot exist, as it should.", who)
	case o.HasData():
		res.AddFinding(FindingHijack.Finding(
			fmt.Sprintf("%s answers %s, a name that cannot exist, with %v.", who, o.Name, o.Data()),
			map[string]any{"server": sv.Addr.String(), "name": o.Name, "answer": o.Data()}))
		res.Summary = "NXDOMAIN is rewritten into an address."
	default:
		res.Summary = fmt.Sprintf("%s answers %s with no address (%s): not rewritten.", who, o.Name, o.Rcode)
	}
	return res
}
