package orgcheck

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// vpnCheck is org-vpn with its OS readers replaceable in tests.
type vpnCheck struct {
	tunnels func() ([]tunnel, error)
	route   func(netip.Addr) string
	// routes lists the prefixes routed through an interface; nil when the
	// OS's table is not read (ok false).
	routes func(ifc string) (prefixes []string, ok bool)
	// lookup resolves an intranet host; perLink reads systemd-resolved's
	// per-link DNS (ok false where there is none); joined is the domain
	// the machine is joined to ("" when not, or unreadable).
	lookup  func(ctx context.Context, host string) ([]netip.Addr, error)
	perLink func() ([]linkDNS, bool, error)
	joined  func(ctx context.Context) string
}

var vpnSpec = diag.Spec{
	ID: IDVPN, Category: diag.CategoryOrg, Phase: diag.PhaseProbe,
	Finds:    "tunnel adapters up or down, full or split tunnel, the routes through each tunnel, whether the DNS servers and the intranet servers are reached through it, systemd-resolved's per-link DNS for the intranet's names",
	Findings: []diag.FindingSpec{FindingVPNDNSOutside, FindingVPNIntranetOutside, FindingVPNSplitDNS},
	Plan:     diag.Once(runVPN),
}

func runVPN(ctx context.Context, env *diag.Env) report.Result {
	c := vpnCheck{tunnels: listTunnels, route: routeIface, routes: tunnelRoutes, lookup: lookupHost,
		perLink: func() ([]linkDNS, bool, error) { return readResolvedLinks(defaultResolvedDirs, interfaceName) },
		joined: func(ctx context.Context) string {
			m, _ := osMembership(ctx)
			return m.Domain
		}}
	return c.run(ctx, env)
}

func (c vpnCheck) run(ctx context.Context, env *diag.Env) report.Result {
	ts, err := c.tunnels()
	if err != nil {
		return diag.Errored(fmt.Errorf("org: list interfaces: %w", err))
	}
	if len(ts) == 0 {
		return diag.Skipped("No VPN tunnel adapter on this machine.")
	}
	var res report.Result
	res.SetDetail("tunnels", ts)
	up := map[string]bool{}
	var names []string
	for _, t := range ts {
		if t.Up {
			up[t.Name] = true
			names = append(names, t.Name)
		}
	}
	if len(up) == 0 {
		// An installed client that is not connected (in the office) is
		// not a problem by itself.
		res.Summary = fmt.Sprintf("VPN adapter %s present, not connected.", ts[0].Name)
		return res
	}
	full := up[c.route(probeAddr)]
	mode := "split"
	if full {
		mode = "full"
	}
	res.SetDetail("mode", mode)
	routes := map[string][]string{}
	for _, n := range names {
		if p, ok := c.routes(n); ok {
			routes[n] = p
		}
	}
	if len(routes) > 0 {
		res.SetDetail("routes", routes)
	}

	servers, _ := diag.GetFact(env.Facts, diag.FactDNSServers)
	var rows []map[string]any
	var outside []string
	via := 0
	for _, s := range servers {
		if s.Addr().IsLoopback() {
			continue // a local forwarder: where it forwards is not seen here
		}
		ifc := c.route(s.Addr())
		rows = append(rows, map[string]any{"server": s.String(), "interface": ifc, "via_tunnel": up[ifc]})
		if up[ifc] {
			via++
		} else {
			outside = append(outside, fmt.Sprintf("%s via %s", s.Addr(), orUnknown(ifc)))
		}
	}
	if len(rows) > 0 {
		res.SetDetail("dns_servers", rows)
	}
	if len(rows) > 0 && via == 0 {
		res.AddFinding(FindingVPNDNSOutside.Finding(fmt.Sprintf("The VPN (%s, %s tunnel) is up but every DNS server is reached outside it: %s.", strings.Join(names, ", "), mode, strings.Join(outside, ", ")),
			map[string]any{"tunnels": names, "mode": mode, "dns_servers": outside}))
	}
	org := env.Profile.Org
	c.intranetRoutes(ctx, &res, org.IntranetHosts, org.Timeout.D(), up, names)
	c.splitDNS(&res, intranetNames(org.Domain, c.joined(ctx), org.IntranetHosts), up, servers)
	res.Summary = fmt.Sprintf("VPN %s up (%s tunnel); %d of %d DNS server(s) through it.", strings.Join(names, ", "), mode, via, len(rows))
	return res
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown interface"
	}
	return s
}
