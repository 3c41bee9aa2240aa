package watch

import (
	"context"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
)

// Plan says what to watch: the discovered gateways and DNS servers (when
// Discover is set) and the profile's and the command line's targets.
type Plan struct {
	Profile  *profile.Profile
	Targets  *diag.Targets
	Gateways []netip.Addr
	DNS      []netip.AddrPort
}

// BuildTargets turns a plan into probed targets, each with its interval
// from the profile's watch section.
func BuildTargets(p Plan) []*Target {
	pr := p.Profile
	iv := pr.Watch.Interval
	var out []*Target
	add := func(t *Target) {
		for _, o := range out {
			if o.Probe == t.Probe && o.Addr == t.Addr {
				return
			}
		}
		t.ID = len(out)
		out = append(out, t)
	}
	ports := pr.Net.Ping.FallbackPorts
	if pr.Net.Ping.Gateways {
		for _, gw := range p.Gateways {
			add(pingTarget("gateway "+gw.String(), RoleGateway, gw.String(), iv.Ping.D(), ports))
		}
	}
	name := dnsProbeName(p)
	method := "udp, asks " + name
	if name == "." {
		method = "udp, asks the root (any answer is up)"
	}
	for _, s := range append(append([]netip.AddrPort(nil), p.DNS...), p.Targets.DNSServers...) {
		add(&Target{Name: "DNS " + s.Addr().String(), Probe: ProbeDNS, Method: method, Role: RoleDNS,
			Addr: s.String(), Interval: iv.DNS.D(), prober: &dnsProber{server: s.String(), name: name, anyAnswer: name == "."}})
	}
	for _, h := range append(append([]string(nil), pr.Net.Ping.Targets...), p.Targets.Ping...) {
		add(pingTarget("ping "+h, RoleTarget, h, iv.Ping.D(), ports))
	}
	tcps := append([]string(nil), pr.Net.TCP.Targets...)
	for _, hp := range p.Targets.TCP {
		tcps = append(tcps, hp.String())
	}
	for _, a := range tcps {
		add(&Target{Name: "tcp " + a, Probe: ProbeTCP, Method: "connect", Role: RoleTarget, Addr: a,
			Interval: iv.TCP.D(), prober: &tcpProber{addrs: []string{a}}})
	}
	urls := append([]string(nil), pr.Net.HTTP.Targets...)
	for _, u := range p.Targets.HTTP {
		urls = append(urls, u.String())
	}
	for _, u := range urls {
		add(&Target{Name: "http " + u, Probe: ProbeHTTP, Method: "GET", Role: RoleTarget, Addr: u,
			Interval: iv.HTTP.D(), prober: newHTTPProber(u)})
	}
	return out
}

// pingTarget pings an address, or a host name resolved at each probe (the
// name may not resolve when the watch starts: the network may be down).
func pingTarget(name, role, host string, interval time.Duration, ports []int) *Target {
	t := &Target{Name: name, Probe: ProbePing, Role: role, Addr: host, Interval: interval}
	probeAddr := netip.MustParseAddr("127.0.0.1")
	if a, err := netip.ParseAddr(host); err == nil {
		probeAddr = a
	} else if strings.Contains(host, ":") {
		probeAddr = netip.IPv6Loopback()
	}
	pr, method := pingMethod(probeAddr, ports)
	t.Method = method
	t.Degraded = !strings.HasPrefix(method, "icmp")
	switch x := pr.(type) {
	case *helperProber:
		if _, err := netip.ParseAddr(host); err != nil {
			t.prober = &resolvingProber{host: host, mk: func(a netip.Addr) prober { return &helperProber{addr: a} }}
			return t
		}
		t.prober = x
	case *icmpProber:
		if _, err := netip.ParseAddr(host); err != nil {
			t.prober = &resolvingProber{host: host, mk: func(a netip.Addr) prober { return &icmpProber{addr: a, privileged: x.privileged} }}
			return t
		}
		t.prober = &icmpProber{addr: probeAddr, privileged: x.privileged}
	default:
		var addrs []string
		for _, port := range ports {
			addrs = append(addrs, net.JoinHostPort(host, itoa(port)))
		}
		t.prober = &tcpProber{addrs: addrs}
	}
	return t
}

// resolvingProber resolves a host name before each probe.
type resolvingProber struct {
	host string
	mk   func(netip.Addr) prober
}

func (p *resolvingProber) probe(ctx context.Context) (bool, time.Duration, string, bool) {
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", p.host)
	if err != nil || len(addrs) == 0 {
		return false, 0, "cannot resolve " + p.host, false
	}
	return p.mk(addrs[0].Unmap()).probe(ctx)
}

// dnsProbeName is the name DNS servers are asked for: the first name the
// technician or the profile cares about, else the host of the first URL
// or TCP target, else the root (every resolver answers it from its hints).
func dnsProbeName(p Plan) string {
	if len(p.Targets.DNSNames) > 0 {
		return p.Targets.DNSNames[0]
	}
	if len(p.Profile.DNS.Names) > 0 {
		return p.Profile.DNS.Names[0].Name
	}
	for _, u := range p.Targets.HTTP {
		if _, err := netip.ParseAddr(u.Hostname()); err != nil {
			return u.Hostname()
		}
	}
	for _, hp := range p.Targets.TCP {
		if _, err := netip.ParseAddr(hp.Host); err != nil {
			return hp.Host
		}
	}
	for _, s := range p.Profile.Net.HTTP.Targets {
		if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
			return u.Hostname()
		}
	}
	return "."
}
