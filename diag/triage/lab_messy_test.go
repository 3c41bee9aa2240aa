package triage_test

import (
	"strings"
	"testing"
	"time"
)

// TestLabMessyNetworks grows the matrix by fault classes where the
// network half works: the verdict must name what is wrong without calling
// the working part down. Each row runs the built l2diag in the client
// namespace of buildNet, with nft on the router or DNS servers of the
// test's own (tc netem is not available in every kernel the lab runs on).
func TestLabMessyNetworks(t *testing.T) {
	// 30 echoes: a 25% loss shows in the ping with near certainty; the
	// default profile's TCP and HTTP timeouts, which outlast a lost SYN.
	lossy := strings.NewReplacer("count: 10", "count: 30", "timeout: 2s", "timeout: 4s", "timeout: 3s", "timeout: 6s").Replace(labProfile)
	// No ping target: the site is named by URL only, as l2diag ask does.
	noPing := strings.Replace(labProfile, "targets: ["+webAddr+"]", "targets: []", 1)
	// The default profile's DNS timing: a 2 s query timeout, slow above 500 ms.
	defaultDNS := strings.Replace(labProfile, "query_timeout: 1s", "query_timeout: 2s\n  slow_threshold: 500ms", 1)
	tests := []struct {
		name    string
		fault   fault
		profile string
		inject  func(n *labNet) // a fault that needs the built network
		args    []string
		want    string
		// never lists conclusions that would blame the working part.
		never []string
		// headline: substrings the top headline must have.
		headline []string
	}{
		{
			// The router loses a quarter of what it sends the client.
			name: "gateway loses 25% of packets, the target still answers", profile: lossy,
			inject: func(n *labNet) {
				n.router.Nft(`table inet f {
  chain fwd_c { type filter hook forward priority 0; oifname "` + n.routerClientIf + `" numgen random mod 100 < 25 drop; }
  chain out_c { type filter hook output priority 0; oifname "` + n.routerClientIf + `" numgen random mod 100 < 25 drop; }
}`)
			},
			want: "cause.packet-loss",
			never: []string{"cause.gateway-down", "cause.host-unreachable", "cause.dns-down", "cause.dns-server-down", "cause.port-filtered", "cause.name-not-found", "cause.dns-slow",
				"cause.dns-udp-blocked", "cause.dns-tcp-blocked", "cause.system-resolver-broken"},
		},
		{
			name: "DNS answers in 1.5 s: names resolve, slowly", profile: defaultDNS,
			fault: fault{slowDNS: 1500 * time.Millisecond},
			want:  "cause.dns-slow", headline: []string{"up to 150", "threshold 500 ms", "every new connection waits"},
			never: []string{"cause.dns-down", "cause.dns-server-down"},
		},
		{
			name: "DNS answers in 100 ms: control", profile: defaultDNS,
			fault: fault{slowDNS: 100 * time.Millisecond},
		},
		{
			// A link that silently drops large packets (no "fragmentation
			// needed" comes back): ping and the TCP handshake pass, the
			// page stalls.
			name: "MTU black hole behind a working ping", profile: labProfile,
			fault: fault{bigPage: true, routerNft: `table inet f {
  chain forward_c { type filter hook forward priority 0; ip length > 1400 drop; }
}`},
			// One conclusion: the stalled page is its consequence, not a
			// hung service; it names the host the user knows.
			want: "cause.mtu-blackhole", headline: []string{webName, "1400"},
			never: []string{"cause.host-unreachable", "cause.port-filtered", "cause.service-error", "cause.service-timeout", "cause.gateway-down"},
		},
		{
			name: "MTU black hole, the site named by URL only", profile: noPing,
			fault: fault{bigPage: true, routerNft: `table inet f {
  chain forward_c { type filter hook forward priority 0; ip length > 1400 drop; }
}`},
			args: []string{"--http", "http://" + webName + ":" + webPort + "/"},
			want: "cause.mtu-blackhole", headline: []string{webName, "1400"},
			never: []string{"cause.service-timeout", "cause.host-unreachable"},
		},
		{
			// The name has an AAAA, the router drops IPv6 it forwards:
			// the service works over IPv4, the IPv6 path is broken.
			name: "IPv6 path broken, IPv4 works", profile: labProfile,
			fault: fault{v6: true, routerNft: `table ip6 f6 {
  chain forward_c { type filter hook forward priority 0; policy drop; }
}`},
			want: "cause.ipv6-broken", headline: []string{webAddr6, webAddr},
			never: []string{"cause.host-unreachable", "cause.port-filtered", "cause.service-timeout", "cause.nothing-listening"},
		},
		{
			name: "IPv6 and IPv4 both work: control", profile: labProfile,
			fault: fault{v6: true},
		},
		{
			// The user types the short name; the first search domain has
			// a stale record of it, the service is in the second.
			name: "short name resolves through the wrong search domain", profile: labProfile,
			fault: fault{search: "corp.lab lab", extra: []string{"app.corp.lab,10.2.0.99"}},
			args:  []string{"--tcp", "app:" + webPort, "--http", "http://app:" + webPort + "/"},
			want:  "cause.search-domain", headline: []string{"app.corp.lab (10.2.0.99)", webName + " (" + webAddr + ")"},
			never: []string{"cause.host-unreachable", "cause.port-filtered"},
		},
		{
			name: "short name resolves through the right search domain: control", profile: labProfile,
			fault: fault{search: "lab corp.lab", extra: []string{"app.corp.lab,10.2.0.99"}},
			args:  []string{"--tcp", "app:" + webPort, "--http", "http://app:" + webPort + "/"},
		},
		{
			name: "large page on a clean path: control", profile: labProfile,
			fault: fault{bigPage: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := buildNet(t, tt.fault)
			if tt.inject != nil {
				tt.inject(n)
			}
			args := append([]string{"--only", "net,dns", "--profile", writeFile(t, "profile.yaml", tt.profile), "--timeout", "60s"}, tt.args...)
			rep := run(t, n.client, "", args...)
			wantTop(t, rep, tt.want)
			for _, h := range tt.headline {
				if !strings.Contains(rep.Conclusions[0].Headline, h) {
					t.Errorf("headline %q lacks %q", rep.Conclusions[0].Headline, h)
				}
			}
			for _, c := range rep.Conclusions {
				for _, bad := range tt.never {
					if c.Code == bad {
						t.Errorf("conclusion %s blames a working part: %s\n%s", c.Code, c.Headline, describe(rep))
					}
				}
			}
			t.Logf("\n%s", describe(rep))
		})
	}
}
