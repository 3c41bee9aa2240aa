package orgcheck

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

var (
	FindingVPNIntranetOutside = diag.FindingSpec{
		Code: "org.vpn-intranet-outside", Status: report.StatusWarn,
		Meaning:  "A VPN tunnel is up but the route to an intranet server (org.intranet_hosts) leaves through another interface: the split tunnel does not carry its subnet, so it is not reached (or reached on the local network's address that only looks the same).",
		Hint:     "Ask the VPN administrators to add the server's subnet to the tunnel's routes (split-tunnel include list); check that the home network does not use the same private range (route print / ip route get ADDRESS).",
		Evidence: []diag.EvidenceKey{{Name: "hosts", Meaning: "each intranet server routed outside the tunnel: name (address) via interface"}, evTunnels},
	}
	FindingVPNSplitDNS = diag.FindingSpec{
		Code: "org.vpn-split-dns-missing", Status: report.StatusWarn,
		Meaning:  "The VPN brings its own DNS servers, but systemd-resolved sends the intranet's names to another link's servers: the tunnel has no routing domain for the intranet suffix (or does not take names no domain matches), so intranet names are asked from the local or public resolver that does not know them.",
		Hint:     "Have the VPN set a routing domain for the intranet on the tunnel (resolvectl domain TUNNEL '~corp.example'; NetworkManager: ipv4.dns-search ~corp.example on the VPN connection; WireGuard: PostUp resolvectl domain), then check with resolvectl query NAME.",
		Evidence: []diag.EvidenceKey{{Name: "names", Meaning: "the intranet names whose queries do not reach the tunnel"}, {Name: "asked", Meaning: "the links (and servers) resolved sends them to"}, {Name: "tunnel_dns", Meaning: "each tunnel link's DNS servers, search and routing domains"}},
	}
)

// intranetRoutes resolves each intranet host (within the check's
// deadline) and names the interface its route uses. A name that does not
// resolve is said so; it is not a routing verdict.
func (c vpnCheck) intranetRoutes(ctx context.Context, res *report.Result, hosts []string, timeout time.Duration, up map[string]bool, names []string) {
	if len(hosts) == 0 {
		return
	}
	// The lookups run at once: a few names the resolver cannot answer
	// cost one org.timeout, not one each.
	type answer struct {
		addrs []netip.Addr
		err   error
	}
	answers := make([]answer, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Go(func() {
			lctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			answers[i].addrs, answers[i].err = c.lookup(lctx, h)
		})
	}
	wg.Wait()
	var rows []map[string]any
	var outside []string
	for i, h := range hosts {
		addrs, err := answers[i].addrs, answers[i].err
		if err != nil || len(addrs) == 0 {
			rows = append(rows, map[string]any{"host": h, "error": lookupErr(err)})
			continue
		}
		a := addrs[0]
		ifc := c.route(a)
		rows = append(rows, map[string]any{"host": h, "address": a.String(), "interface": ifc, "via_tunnel": up[ifc]})
		if !up[ifc] && ifc != "" {
			outside = append(outside, fmt.Sprintf("%s via %s", hostAddr(h, a), ifc))
		}
	}
	res.SetDetail("intranet_hosts", rows)
	if len(outside) > 0 {
		res.AddFinding(FindingVPNIntranetOutside.Finding(fmt.Sprintf("The VPN (%s) is up but the route to %s leaves outside the tunnel.", strings.Join(names, ", "), strings.Join(outside, ", ")),
			map[string]any{"hosts": outside, "tunnels": names}))
	}
}

func lookupErr(err error) string {
	if err == nil {
		return "no address"
	}
	return err.Error()
}

func hostAddr(h string, a netip.Addr) string {
	if h == a.String() {
		return h
	}
	return fmt.Sprintf("%s (%s)", h, a)
}

// lookupHost resolves a host the way applications do (an address is
// taken as is).
func lookupHost(ctx context.Context, h string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(h); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", h)
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, err
}

// splitDNS judges systemd-resolved's per-link routing: when a tunnel
// link that is up has DNS servers of its own, every intranet name must
// be sent to it. Without resolved's state (another OS, no resolved) it
// says nothing: org.vpn-dns-outside covers a machine with one server list.
//
// The routing only applies when the machine resolves through resolved:
// its stub (127.0.0.53, or 127.0.0.54) among the DNS servers. Otherwise
// glibc asks resolv.conf's servers and the per-link state is shown, not
// judged.
func (c vpnCheck) splitDNS(res *report.Result, names []string, up map[string]bool, servers []netip.AddrPort) {
	links, ok, err := c.perLink()
	if err != nil {
		res.SetDetail("per_link_dns_error", err.Error())
		return
	}
	if !ok || len(links) == 0 {
		return
	}
	res.SetDetail("per_link_dns", links)
	if !slices.ContainsFunc(servers, isResolvedStub) {
		res.SetDetail("per_link_dns_note", "the DNS servers are not systemd-resolved's stub: its per-link routing is not what this machine's lookups follow")
		return
	}
	var tunDNS []linkDNS
	for _, l := range links {
		if up[l.Name] && len(l.Server) > 0 {
			tunDNS = append(tunDNS, l)
		}
	}
	if len(tunDNS) == 0 || len(names) == 0 {
		return
	}
	var missed []string
	asked := map[string]string{}
	for _, n := range names {
		to := resolvedRoute(links, n)
		viaTunnel := false
		var where []string
		for _, l := range to {
			viaTunnel = viaTunnel || up[l.Name]
			where = append(where, fmt.Sprintf("%s (%s)", l.Name, strings.Join(l.Server, ", ")))
		}
		if !viaTunnel {
			missed = append(missed, n)
			asked[n] = strings.Join(where, ", ")
			if len(where) == 0 {
				asked[n] = "no link"
			}
		}
	}
	if len(missed) == 0 {
		return
	}
	tun := make([]map[string]any, 0, len(tunDNS))
	var tunText []string
	for _, l := range tunDNS {
		tun = append(tun, map[string]any{"interface": l.Name, "servers": l.Server, "search_domains": l.Search, "routing_domains": l.Route})
		tunText = append(tunText, fmt.Sprintf("%s (%s)", l.Name, strings.Join(l.Server, ", ")))
	}
	var parts []string
	for _, n := range missed {
		parts = append(parts, fmt.Sprintf("%s goes to %s", n, asked[n]))
	}
	res.AddFinding(FindingVPNSplitDNS.Finding(fmt.Sprintf("The VPN's DNS servers on %s are not asked for the intranet: %s.", strings.Join(tunText, ", "), strings.Join(parts, "; ")),
		map[string]any{"names": missed, "asked": asked, "tunnel_dns": tun}))
}

// intranetNames are the names the tunnel's DNS must answer: the
// profile's domain, the joined domain and the intranet hosts' names.
func intranetNames(domain, joined string, hosts []string) []string {
	var out []string
	for _, n := range append([]string{domain, joined}, hosts...) {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		if n == "" || slices.Contains(out, n) {
			continue
		}
		if _, err := netip.ParseAddr(n); err == nil {
			continue
		}
		out = append(out, n)
	}
	return out
}

// isResolvedStub reports systemd-resolved's stub listeners (127.0.0.53,
// and 127.0.0.54, its proxy without local routing of single labels).
func isResolvedStub(s netip.AddrPort) bool {
	a := s.Addr().Unmap()
	return a == netip.AddrFrom4([4]byte{127, 0, 0, 53}) || a == netip.AddrFrom4([4]byte{127, 0, 0, 54})
}
