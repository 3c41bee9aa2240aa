package triage

import (
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// scenario is one synthetic report and the conclusions it must yield.
type scenario struct {
	name    string
	results func(t *testing.T) []report.Result
	// want lists the conclusion codes in order (nil: none at all).
	want []string
	// top checks the first conclusion further.
	escalation Escalation
	confidence Confidence
	headline   []string // substrings of the top headline
	evidence   []string // refs the top conclusion must cite
	detail     []string // substrings of the top conclusion's evidence brief
}

// The scenario matrix of issue 9, on synthetic reports: each injects one
// fault into an otherwise healthy run (gateway 10.0.0.1, DNS servers
// 10.0.0.53 and 10.0.0.54, a web service app.lab at 10.0.1.10).
func matrix() []scenario {
	return []scenario{
		{
			name:    "healthy",
			results: func(t *testing.T) []report.Result { return healthy(t) },
			want:    nil,
		},
		{
			name: "DHCP failed: link-local only",
			results: func(t *testing.T) []report.Result {
				return results(
					result("net-interfaces", "").with(t, codeLinkLocalOnly, "interface", "eth0"),
					result("net-gateway", "").with(t, codeNoDefaultRoute),
					result("dns-config", "").with(t, codeDNSNoServer),
					result("net-http", "https://app.lab/").with(t, codeHTTPConnect),
					result("net-tcp", "app.lab:443").with(t, codeNoResolve),
				)
			},
			want: []string{"cause.dhcp-failed", "cause.dns-not-configured"}, escalation: Network, confidence: High,
			headline: []string{"eth0", "link-local"},
			evidence: []string{"net.link-local-only (net-interfaces)", "net.no-default-route (net-gateway)"},
		},
		{
			name: "gateway down",
			results: func(t *testing.T) []report.Result {
				return results(
					result("net-gateway", ""),
					result("net-ping", "10.0.0.1").roles(roleGateway).metric("received", 0).with(t, codeGatewayDown),
					result("net-ping", "10.0.0.53").roles(roleDNSServer).metric("received", 0).with(t, codePingNoAnswer),
					result("dns-server", "10.0.0.53").with(t, codeDNSServerDown, "server", "10.0.0.53:53"),
					result("dns-resolve", "app.lab").with(t, codeDNSTimeout, "server", "10.0.0.53:53", "name", "app.lab"),
					result("net-http", "https://app.lab/").with(t, codeHTTPConnect),
					result("net-http", "http://connectivity.example/").with(t, codeNoInternet),
					result("net-trace", "10.0.0.53").with(t, codeTraceStops),
					result("host-clock", "").with(t, codeNTPUnreachable).with(t, codeClockUnsynced),
				)
			},
			want: []string{"cause.gateway-down"}, escalation: Network, confidence: High,
			headline: []string{"10.0.0.1", "consequence"},
			evidence: []string{"net.gateway-no-answer (net-ping 10.0.0.1)", "dns.server-timeout (dns-server 10.0.0.53)"},
		},
		{
			name: "gateway drops ping but routes",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("net-ping", "10.0.0.1").roles(roleGateway).metric("received", 0).with(t, codeGatewayDown).r)
			},
			want: []string{"cause.gateway-ignores-ping"}, escalation: ResolveHere, confidence: High,
		},
		{
			name: "one of two DNS servers dead",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "10.0.0.54"),
					result("net-ping", "10.0.0.54").roles(roleDNSServer).metric("received", 0).with(t, codePingNoAnswer).r,
					result("dns-server", "10.0.0.54").with(t, codeDNSServerDown, "server", "10.0.0.54:53").r,
					result("dns-resolve", "app.lab").with(t, codeDNSTimeout, "server", "10.0.0.54:53", "name", "app.lab").r,
					result("net-trace", "10.0.0.54").with(t, codeTraceStops).r,
				)
			},
			want: []string{"cause.dns-server-down"}, escalation: DNS, confidence: High,
			headline: []string{"10.0.0.54", "not even ping", "10.0.0.53"},
		},
		{
			name: "all DNS servers dead while IPs are reachable",
			results: func(t *testing.T) []report.Result {
				return results(
					result("net-gateway", ""),
					pingOK("10.0.0.1", roleGateway),
					pingOK("10.0.0.53", roleDNSServer),
					pingOK("10.0.0.54", roleDNSServer),
					result("dns-server", "10.0.0.53").with(t, codeDNSServerDown, "server", "10.0.0.53:53"),
					result("dns-server", "10.0.0.54").with(t, codeDNSServerDown, "server", "10.0.0.54:53"),
					result("dns-resolve", "app.lab").with(t, codeDNSTimeout, "server", "10.0.0.53:53", "name", "app.lab"),
					result("net-tcp", "10.0.1.10:443").with(t, codeTCPOpen),
					result("net-http", "https://app.lab/").with(t, codeHTTPConnect),
					result("net-ping", "app.lab").with(t, codeNoResolve, "host", "app.lab"),
					result("host-clock", "").with(t, codeNTPUnreachable),
				)
			},
			want:       []string{"cause.dns-down", "cause.time-sync-broken"},
			escalation: DNS, confidence: High,
			headline: []string{"10.0.0.53 and 10.0.0.54", "IP addresses are reachable"},
		},
		{
			name: "DNSSEC broken",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("dns-resolve", "signed.lab").with(t, codeDNSSEC, "server", "10.0.0.53:53", "name", "signed.lab").r,
					result("net-http", "https://signed.lab/").with(t, codeHTTPConnect).r,
					result("dns-system", "signed.lab").with(t, codeDNSSystemFailed, "name", "signed.lab").r,
				)
			},
			want: []string{"cause.dnssec-broken"}, escalation: DNS, confidence: High,
			headline: []string{"signed.lab", "DNSSEC"},
		},
		{
			name: "NXDOMAIN hijacked",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("dns-hijack", "10.0.0.53").with(t, codeDNSHijack, "server", "10.0.0.53:53").r,
					result("dns-consistency", "app.lab").with(t, codeDNSDisagree, "name", "app.lab").r,
				)
			},
			want: []string{"cause.dns-hijacked"}, escalation: Network, confidence: High,
			headline: []string{"10.0.0.53", "hijacked"},
		},
		{
			name: "hosts-file override",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("dns-system", "app.lab").with(t, codeDNSHostsOverride, "name", "app.lab").r,
					result("net-tcp", "app.lab:443").with(t, codeTCPFiltered).r,
					result("net-http", "https://app.lab/").with(t, codeHTTPConnect).r,
				)
			},
			want: []string{"cause.hosts-override"}, escalation: ResolveHere, confidence: High,
			headline: []string{"app.lab", "hosts file"},
		},
		{
			name: "firewall drops one port",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					pingOK("10.0.1.10").r,
					result("net-tcp", "10.0.1.10:8443").with(t, codeTCPFiltered).r,
					result("net-trace", "10.0.1.10:8443").with(t, codeTraceReached).r,
				)
			},
			want: []string{"cause.port-filtered"}, escalation: Network, confidence: High,
			headline: []string{"10.0.1.10:8443", "ping"},
			evidence: []string{"net.tcp-filtered (net-tcp 10.0.1.10:8443)", "ok (net-ping 10.0.1.10)"},
		},
		{
			name: "IPv6 path broken, IPv4 works: not a port filter, not a dead host",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "app.lab"),
					result("dns-resolve", "app.lab").r,
					result("net-tcp", "app.lab:443").
						with(t, codeTCPOpen, "address", "10.0.1.10:443", "family", "ipv4").
						with(t, codeTCPFiltered, "address", "[fd00:1::10]:443", "family", "ipv6").warned().r,
					result("net-trace", "fd00:1::10").with(t, codeTraceStops, "last_hop", "fd00::1").r,
				)
			},
			want: []string{"cause.ipv6-broken"}, escalation: Network, confidence: High,
			headline: []string{"IPv6 to app.lab is broken", "fd00:1::10", "10.0.1.10"},
		},
		{
			name: "short name through a stale earlier search domain: not a dead host",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					pingOK("10.0.1.10").r,
					result("dns-search", "app").with(t, codeDNSSearchShadowed, "name", "app", "search", []string{"corp.lab", "lab"},
						"answered_by", "app.corp.lab", "addrs", []string{"10.0.1.99"}, "also", "app.lab", "also_addrs", []string{"10.0.1.10"}).r,
					result("net-tcp", "app:443").with(t, codeTCPFiltered, "address", "10.0.1.99:443", "family", "ipv4").r,
					result("net-trace", "10.0.1.99").with(t, codeTraceStops, "last_hop", "10.0.0.1").r,
				)
			},
			want: []string{"cause.search-domain"}, escalation: DNS, confidence: High,
			headline: []string{"app reaches the wrong host", "app.corp.lab (10.0.1.99)", "app.lab (10.0.1.10)"},
		},
		{
			name: "a shadowed short name whose host answers: no conclusion",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("dns-search", "app").with(t, codeDNSSearchShadowed, "name", "app", "search", []string{"lab", "corp.lab"},
						"answered_by", "app.lab", "addrs", []string{"10.0.1.10"}, "also", "app.corp.lab", "also_addrs", []string{"10.0.1.99"}).r,
					result("net-tcp", "app:443").with(t, codeTCPOpen, "address", "10.0.1.10:443", "family", "ipv4").r,
				)
			},
			want: nil,
		},
		{
			name: "hosts-file override: the trace to the wrong address is its consequence",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "app.lab"),
					result("dns-resolve", "app.lab").r,
					result("dns-system", "app.lab").with(t, codeDNSHostsOverride, "name", "app.lab").r,
					result("net-tcp", "app.lab:443").with(t, codeTCPFiltered, "address", "10.0.1.99:443", "family", "ipv4").r,
					result("net-http", "https://app.lab/").with(t, codeHTTPTimeout).r,
					result("net-trace", "10.0.1.99").with(t, codeTraceStops, "last_hop", "10.0.0.1").r,
				)
			},
			want: []string{"cause.hosts-override"}, escalation: ResolveHere, confidence: High,
		},
		{
			name: "slow DNS: how slow, against what",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "10.0.0.53"),
					pingOK("10.0.0.53", roleDNSServer).r,
					result("dns-server", "10.0.0.53").with(t, codeDNSServerSlow, "server", "10.0.0.53:53", "rtt_ms", 1502.0, "threshold_ms", 500.0, "tries", 1).r)
			},
			want: []string{"cause.dns-slow"}, escalation: DNS, confidence: Low,
			headline: []string{"DNS server 10.0.0.53 answers slowly (up to 1502 ms, threshold 500 ms): every new connection waits that long."},
		},
		{
			// The trace goes to the address the name resolved to: one
			// machine, one conclusion, named both ways.
			name: "host down, named by name, traced by address: one conclusion",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("net-tcp", "files.lab:445").with(t, codeTCPFiltered, "address", "10.0.1.99:445", "family", "ipv4").r,
					result("net-trace", "10.0.1.99").with(t, codeTraceStops, "last_hop", "10.0.0.1").r,
				)
			},
			want: []string{"cause.host-unreachable"}, escalation: Network, confidence: High,
			headline: []string{"files.lab (10.0.1.99) does not answer at all", "stops after 10.0.0.1"},
		},
		{
			name: "nothing listening",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("net-tcp", "10.0.1.10:8080").with(t, codeTCPRefused).r,
					result("net-http", "http://10.0.1.10:8080/").with(t, codeHTTPConnect).r,
				)
			},
			want: []string{"cause.nothing-listening"}, escalation: Application, confidence: High,
			headline: []string{"10.0.1.10:8080"},
		},
		{
			name: "expired certificate",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("net-http", "https://old.lab/").with(t, codeTLSExpired, "not_after", "2024-01-01").r)
			},
			want: []string{"cause.cert-expired"}, escalation: Application, confidence: High,
			headline: []string{"old.lab", "2024-01-01"}, detail: []string{"expires 2024-01-01"},
		},
		{
			name: "expired certificate from a wrong clock",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("net-http", "https://app.lab/").with(t, codeTLSExpired).r,
					result("host-clock", "").with(t, codeClockSkewSevere, "offset_ms", 7200000.0).r)
			},
			want: []string{"cause.clock-skew"}, escalation: ResolveHere, confidence: High,
			headline: []string{"2h0m0s", "consequence"},
		},
		{
			name: "TLS-intercepting proxy",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("net-http", "https://a.example/").with(t, codeTLSUnknownCA, "issuer", "CN=Corp Inspection CA").r,
					result("net-http", "https://b.example/").with(t, codeTLSUnknownCA, "issuer", "CN=Corp Inspection CA").r)
			},
			want: []string{"cause.tls-interception"}, escalation: Security, confidence: High,
			headline: []string{"intercepted", "Corp Inspection CA"},
		},
		{
			name: "packet loss beyond the gateway",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					pingOK("10.0.1.10").metric("loss_pct", 30).with(t, codePingLoss).r,
					result("net-http", "https://app.lab/").with(t, codeHTTPSlow).r)
			},
			want: []string{"cause.packet-loss"}, escalation: Network, confidence: Medium,
			headline: []string{"30%", "beyond the gateway"},
		},
		{
			name: "packet loss placed at a hop by the trace",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					pingOK("10.0.1.10").metric("loss_pct", 30).with(t, codePingLoss).r,
					result("net-trace", "10.0.1.10").with(t, codeTraceLossFrom, "from_hop", "10.9.2.2", "from_hop_ttl", 2).r)
			},
			want: []string{"cause.packet-loss"}, escalation: Network, confidence: High,
			headline: []string{"30%", "hop 2 (10.9.2.2)"},
		},
		{
			name: "packet loss only past the last hop",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					pingOK("10.0.1.10").metric("loss_pct", 30).with(t, codePingLoss).r,
					result("net-trace", "10.0.1.10").with(t, codeTraceLossFrom, "from_hop", "10.0.1.10", "after_hop", "10.9.2.2", "after_hop_ttl", 2).r)
			},
			want: []string{"cause.packet-loss"}, escalation: Network, confidence: High,
			headline: []string{"30%", "after hop 2 (10.9.2.2)"},
		},
		{
			name: "packet loss from the first hop is the local link",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					pingOK("10.0.1.10").metric("loss_pct", 30).with(t, codePingLoss).r,
					result("net-trace", "10.0.1.10").with(t, codeTraceLossFrom, "from_hop", "10.0.0.1", "from_hop_ttl", 1).r)
			},
			want: []string{"cause.packet-loss"}, escalation: ResolveHere, confidence: Medium,
			headline: []string{"local link"},
		},
		{
			// A lookup lost on a lossy link is not a missing name: the DNS
			// checks resolved it (one server timed out, another answered).
			name: "packet loss: a lost lookup is not a missing name",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "10.0.0.1", "app.lab"),
					pingOK("10.0.0.1", roleGateway).metric("loss_pct", 25).with(t, codePingLoss).r,
					result("dns-resolve", "app.lab").with(t, codeDNSTimeout, "server", "10.0.0.54:53", "name", "app.lab").warned().r,
					result("net-tcp", "app.lab:443").with(t, codeNoResolve, "host", "app.lab").r,
					result("net-http", "https://app.lab/").with(t, codeHTTPSlow).r)
			},
			want: []string{"cause.packet-loss"}, escalation: ResolveHere,
			headline: []string{"local link", "25%"},
		},
		{
			// UDP queries lost twice to a server that loses pings: loss,
			// not a UDP filter.
			name: "packet loss: lost UDP queries are not a UDP filter",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "10.0.0.1", "10.0.0.54"),
					pingOK("10.0.0.1", roleGateway).metric("loss_pct", 25).with(t, codePingLoss).r,
					pingOK("10.0.0.54", roleDNSServer).metric("loss_pct", 22).with(t, codePingLoss).r,
					result("dns-server", "10.0.0.54").with(t, codeDNSUDPBlocked).with(t, codeDNSTCPBlocked).r,
					result("dns-system", "app.lab").with(t, codeDNSSystemFailed, "name", "app.lab").r)
			},
			want: []string{"cause.packet-loss"}, escalation: ResolveHere,
		},
		{
			name: "UDP blocked to a server that loses no ping: still a UDP filter",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "10.0.0.54"),
					pingOK("10.0.0.54", roleDNSServer).r,
					result("dns-server", "10.0.0.54").with(t, codeDNSUDPBlocked).r)
			},
			want: []string{"cause.dns-udp-blocked"}, escalation: Network,
		},
		{
			name: "a name the DNS checks did not resolve still does not exist",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "app.lab"),
					result("dns-resolve", "app.lab").with(t, codeDNSNXDomain, "server", "10.0.0.53:53", "name", "app.lab").r,
					result("net-tcp", "app.lab:443").with(t, codeNoResolve, "host", "app.lab").r)
			},
			want: []string{"cause.name-not-found"}, escalation: DNS,
		},
		{
			name: "packet loss on the local link",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "10.0.0.1"),
					pingOK("10.0.0.1", roleGateway).metric("loss_pct", 10).with(t, codePingLoss).r,
					result("net-interfaces", "").with(t, codeIfaceErrors).r)
			},
			want: []string{"cause.packet-loss"}, escalation: ResolveHere, confidence: High,
			headline: []string{"local link"},
		},
		{
			name: "service error",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t), result("net-http", "https://app.lab/").with(t, codeHTTP5xx, "status", 503).r)
			},
			want: []string{"cause.service-error"}, escalation: Application, confidence: High,
			headline: []string{"HTTP 503"},
		},
		{
			name: "full disk",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("host-disks", "").with(t, codeDiskFull, "mount", "/var").r,
					result("perm-temp", "").with(t, codeTempLowSpace).r)
			},
			want: []string{"cause.disk-full"}, escalation: ResolveHere, confidence: High,
			headline: []string{"/var"},
		},
		{
			name: "path the user cannot write",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("perm-path", "w=/srv/share/report.txt").with(t, codePathDenied,
						"path", "/srv/share/report.txt", "component", "/srv/share", "access", "w", "mode", "0755", "owner", "root", "reason", "others lack w").r)
			},
			want: []string{"cause.path-denied"}, escalation: ResolveHere, confidence: High,
			headline: []string{"cannot write /srv/share/report.txt", "/srv/share refuses", "mode 0755, owner root, others lack w"},
		},
		{
			name: "read-only filesystem explains the path",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("host-disks", "").with(t, codeDiskReadOnly, "mount", "/srv").r,
					result("perm-path", "w=/srv/x").with(t, codePathReadOnly, "path", "/srv/x").r)
			},
			want: []string{"cause.disk-readonly"}, escalation: ResolveHere, confidence: High,
		},
		{
			name: "uplink down behind an internal resolver",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					background(result("net-tcp", "1.1.1.1:443").with(t, codeTCPUnreachable, "address", "1.1.1.1:443", "error", "connect: network is unreachable")),
					background(result("net-trace", "1.1.1.1").with(t, codeTraceStops, "last_hop", "10.0.0.1", "note", "network unreachable")),
					background(result("net-http", "http://connectivity.example/").with(t, codeNoInternet)),
					background(result("dns-resolve", "connectivity.example").
						with(t, codeDNSServfail, "server", "10.0.0.53:53", "name", "connectivity.example").
						with(t, codeDNSTimeout, "server", "10.0.0.54:53", "name", "connectivity.example")),
					result("host-clock", "").with(t, codeNTPUnreachable).r,
				)
			},
			want: []string{"cause.no-internet"}, escalation: Network, confidence: High,
			headline: []string{"10.0.0.1", "network unreachable", "local network works"},
			detail:   []string{"reports network unreachable"},
		},
		{
			name: "wrong first DNS server: the unreachable host is its consequence",
			results: func(t *testing.T) []report.Result {
				return append(healthyWithout(t, "app.lab"),
					result("dns-resolve", "app.lab").r,
					result("dns-consistency", "app.lab").with(t, codeDNSDisagree, "name", "app.lab",
						"answers", map[string]any{"10.0.0.53": "A 10.0.1.99; AAAA (none)", "10.0.0.54": "A 10.0.1.10; AAAA (none)"}).r,
					result("net-tcp", "app.lab:443").with(t, codeTCPFiltered, "address", "10.0.1.99:443").r,
					result("net-http", "https://app.lab/").with(t, codeHTTPConnect).r,
					result("net-trace", "app.lab").with(t, codeTraceStops, "last_hop", "10.0.0.1").r,
					pingOK("10.0.1.10").r,
				)
			},
			want: []string{"cause.dns-inconsistent"}, escalation: DNS, confidence: High,
			headline: []string{"app.lab resolves to the wrong address", "DNS server 10.0.0.53 answers 10.0.1.99", "answers at 10.0.1.10"},
			detail:   []string{"10.0.0.53: A 10.0.1.99", "10.0.0.54: A 10.0.1.10"},
		},
		{
			name: "named-target fault beside a background failure: the user's question first",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("net-mtu", "app.lab").with(t, codeMTUBlackhole, "address", "10.0.1.10", "path_mtu", 1400).r,
					background(result("net-tcp", "1.1.1.1:443").with(t, codeTCPFiltered, "address", "1.1.1.1:443")),
				)
			},
			want: []string{"cause.mtu-blackhole", "cause.no-internet"}, escalation: Network, confidence: High,
			headline: []string{"app.lab", "1400"},
		},
		{
			name: "local socket failure: no network verdict, the OS resolver cross-checked",
			results: func(t *testing.T) []report.Result {
				const wsa = "dial udp 10.0.0.53:53: socket: An operation on a socket could not be performed because the system lacked sufficient buffer space"
				return append(healthyWithout(t, "10.0.0.53", "10.0.0.54", "app.lab"),
					result("dns-server", "10.0.0.53").with(t, codeDNSLocalError, "server", "10.0.0.53:53", "udp_error", wsa).r,
					result("dns-server", "10.0.0.54").with(t, codeDNSLocalError, "server", "10.0.0.54:53", "udp_error", wsa).r,
					result("dns-resolve", "app.lab").with(t, codeDNSLocalError, "server", "10.0.0.53:53", "name", "app.lab", "error", wsa).r,
					result("host-clock", "").with(t, codeHostLocalError).r,
					result("dns-system", "app.lab").r,
					result("net-tcp", "app.lab:443").with(t, codeTCPOpen).r,
				)
			},
			want: []string{"cause.local-socket-error"}, escalation: ResolveHere, confidence: High,
			headline: []string{"refuses the network sockets", "4 checks", "system resolver works", "app.lab"},
		},
		{
			name: "two independent faults: both concluded, worst first",
			results: func(t *testing.T) []report.Result {
				return append(healthy(t),
					result("host-disks", "").with(t, codeDiskFilling, "mount", "/home").r,
					result("net-tcp", "10.0.1.10:8080").with(t, codeTCPRefused).r)
			},
			want: []string{"cause.nothing-listening", "cause.disk-full"}, escalation: Application,
		},
	}
}

// background marks a result as one of the built-in background probes.
func background(b *res) report.Result {
	b.r.Background = true
	return b.r
}

// healthy is a run where everything answers.
func healthy(t *testing.T) []report.Result { return healthyWithout(t) }

// healthyWithout is healthy without the results about the hosts given (a
// scenario replaces them with failing ones).
func healthyWithout(t *testing.T, skip ...string) []report.Result {
	all := []*res{
		result("net-interfaces", ""),
		result("net-gateway", ""),
		pingOK("10.0.0.1", roleGateway),
		pingOK("10.0.0.53", roleDNSServer),
		pingOK("10.0.0.54", roleDNSServer),
		result("dns-config", ""),
		result("dns-server", "10.0.0.53"),
		result("dns-server", "10.0.0.54"),
		result("dns-resolve", "app.lab"),
		result("net-tcp", "app.lab:443").with(t, codeTCPOpen),
		result("net-http", "https://app.lab/").with(t, codeHTTPOK),
		result("host-disks", ""),
		result("perm-path", "w=/srv/data"),
	}
	var out []report.Result
	for _, b := range all {
		if !slices.Contains(skip, hostOf(b.r.Target)) {
			out = append(out, b.r)
		}
	}
	return out
}

func TestScenarioMatrix(t *testing.T) {
	for _, sc := range matrix() {
		t.Run(sc.name, func(t *testing.T) {
			got := ConcludeResults(sc.results(t))
			if !slices.Equal(codes(got), sc.want) && !(len(got) == 0 && len(sc.want) == 0) {
				t.Fatalf("conclusions = %v, want %v\n%s", codes(got), sc.want, dump(got))
			}
			if len(got) == 0 {
				return
			}
			top := got[0]
			if sc.escalation != "" && top.Escalation != string(sc.escalation) {
				t.Errorf("escalation = %s, want %s", top.Escalation, sc.escalation)
			}
			if sc.confidence != "" && top.Confidence != string(sc.confidence) {
				t.Errorf("confidence = %s, want %s", top.Confidence, sc.confidence)
			}
			for _, h := range sc.headline {
				if !strings.Contains(top.Headline, h) {
					t.Errorf("headline %q lacks %q", top.Headline, h)
				}
			}
			for _, d := range sc.detail {
				if !strings.Contains(top.Detail, d) {
					t.Errorf("detail %q lacks %q", top.Detail, d)
				}
			}
			for _, e := range sc.evidence {
				if !slices.Contains(top.Evidence, e) {
					t.Errorf("evidence %v lacks %q", top.Evidence, e)
				}
			}
			for _, c := range got {
				if c.Headline == "" || c.NextStep == "" || len(c.Evidence) == 0 {
					t.Errorf("%s: headline, next step and evidence must be set: %+v", c.Code, c)
				}
			}
		})
	}
}

func dump(cs []report.Conclusion) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString("  " + c.Code + " [" + string(c.Status) + "/" + c.Confidence + "] " + c.Headline + "\n    " + strings.Join(c.Evidence, "; ") + "\n")
	}
	return b.String()
}
