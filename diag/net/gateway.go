package netcheck

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// defaultRoute is one default route of the OS routing table. Gateway is
// invalid for a route straight out of an interface (point-to-point VPNs).
type defaultRoute struct {
	Family    string     `json:"family"`
	Gateway   netip.Addr `json:"gateway"`
	Interface string     `json:"interface,omitempty"`
	Metric    int        `json:"metric"`
}

var gatewaySpec = diag.Spec{
	ID: "net-gateway", Category: diag.CategoryNet, Phase: diag.PhaseDiscover,
	Finds:    "the default routes (IPv4, IPv6) and gateways; no default route",
	Findings: []diag.FindingSpec{FindingNoDefaultRoute},
	Plan:     diag.Once(runGateway),
}

func runGateway(ctx context.Context, env *diag.Env) report.Result {
	var res report.Result
	if addrs, err := localAddrs(); err == nil {
		diag.SetFact(env.Facts, diag.FactLocalAddrs, addrs)
	}
	routes, raw, err := defaultRoutes()
	for name, data := range raw {
		env.Evidence.AddFile("net/"+name, routeSource(name), data)
	}
	if err != nil {
		if routes == nil {
			return diag.Errored(fmt.Errorf("net: read the routing table: %w", err))
		}
	}
	var gws []netip.Addr
	var lines []string
	for _, r := range routes {
		if r.Gateway.IsValid() && !slices.Contains(gws, r.Gateway) {
			gws = append(gws, r.Gateway)
		}
		via := "directly out of " + r.Interface
		if r.Gateway.IsValid() {
			via = "via " + r.Gateway.String()
			if r.Interface != "" {
				via += " dev " + r.Interface
			}
		}
		lines = append(lines, r.Family+" "+via)
	}
	diag.SetFact(env.Facts, diag.FactGateways, gws)
	if routes == nil {
		routes = []defaultRoute{}
	}
	res.SetDetail("default_routes", routes)
	res.SetMetric("default_routes", float64(len(routes)))
	if len(routes) == 0 {
		res.Summary = "No default route: only the local subnets are reachable."
		res.AddFinding(FindingNoDefaultRoute.Finding(res.Summary, nil))
		return res
	}
	res.Summary = "Default route " + strings.Join(lines, "; ") + "."
	return res
}

// localAddrs lists the machine's unicast addresses, loopback excluded.
func localAddrs() ([]netip.Addr, error) {
	ifas, err := net.InterfaceAddrs()
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, ifa := range ifas {
		p, err := netip.ParsePrefix(ifa.String())
		if err != nil {
			continue
		}
		if a := p.Addr().Unmap(); !a.IsLoopback() && !a.IsMulticast() {
			out = append(out, a)
		}
	}
	return out, nil
}
