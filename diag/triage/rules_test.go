package triage

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// One rule at a time, over a View of synthetic results: does it fire, and
// with what confidence.
func TestRules(t *testing.T) {
	tests := []struct {
		name     string
		rule     func(*View) []Match
		results  func(t *testing.T) []report.Result
		want     int // matches
		conf     Confidence
		headline string
	}{
		{"group policy failing, DCs reached", ruleGPO, func(t *testing.T) []report.Result {
			return results(result("org-group-policy", "").with(t, codeOrgGPOFailing, "scope", "computer", "status", 1355))
		}, 1, Medium, "ended with an error"},
		{"group policy failing with the DCs unreachable", ruleGPO, func(t *testing.T) []report.Result {
			return results(result("org-group-policy", "").with(t, codeOrgGPOStale, "scope", "computer"),
				result("org-domain", "").with(t, codeOrgDCUnreachable))
		}, 1, Medium, "not found or not reached"},
		{"machine secret stale", simple(High, message, codeOrgSecretStale, codeOrgAccountGone), func(t *testing.T) []report.Result {
			return results(result("org-machine-account", "").with(t, codeOrgSecretStale, "account", "PC1$@CORP", "reason", "KDC_ERR_PREAUTH_FAILED"))
		}, 1, High, ""},
		{"gateway down: nothing answers", ruleGatewayDown, func(t *testing.T) []report.Result {
			return results(result("net-ping", "10.0.0.1").roles(roleGateway).with(t, codeGatewayDown))
		}, 1, Medium, "10.0.0.1 does not answer."},
		{"gateway down: others fail too", ruleGatewayDown, func(t *testing.T) []report.Result {
			return results(result("net-ping", "10.0.0.1").roles(roleGateway).with(t, codeGatewayDown),
				result("net-tcp", "10.9.9.9:443").with(t, codeTCPFiltered))
		}, 1, High, "consequence"},
		{"gateway down: not when a host beyond answers", ruleGatewayDown, func(t *testing.T) []report.Result {
			return results(result("net-ping", "10.0.0.1").roles(roleGateway).with(t, codeGatewayDown),
				result("net-tcp", "10.9.9.9:443").with(t, codeTCPOpen))
		}, 0, "", ""},
		{"gateway down: a local listener proves nothing", ruleGatewayDown, func(t *testing.T) []report.Result {
			return results(result("net-ping", "10.0.0.1").roles(roleGateway).with(t, codeGatewayDown),
				result("net-tcp", "127.0.0.1:22").with(t, codeTCPOpen))
		}, 1, Medium, ""},
		{"proxy cannot reach the site", ruleProxyCannotReach, func(t *testing.T) []report.Result {
			return results(result("net-http", "https://app.lab/").with(t, codeHTTPConnect, "proxy", "http://10.0.0.3:8888", "url", "https://app.lab/"))
		}, 1, Medium, "cannot reach"},
		{"no proxy: not the proxy's fault", ruleProxyCannotReach, func(t *testing.T) []report.Result {
			return results(result("net-http", "https://app.lab/").with(t, codeHTTPConnect, "proxy", "none", "url", "https://app.lab/"))
		}, 0, "", ""},
		{"mtu black hole", ruleMTUBlackhole, func(t *testing.T) []report.Result {
			return results(result("net-mtu", "10.9.9.9").with(t, codeMTUBlackhole, "address", "10.9.9.9", "path_mtu", 1400))
		}, 1, High, "at most 1400 bytes"},
		{"gateway ignores ping", ruleGatewayNoPing, func(t *testing.T) []report.Result {
			return results(result("net-ping", "10.0.0.1").roles(roleGateway).with(t, codeGatewayDown), pingOK("10.9.9.9"))
		}, 1, High, "only drops ping"},
		{"dhcp: other interface works", ruleDHCPFailed, func(t *testing.T) []report.Result {
			return results(result("net-interfaces", "").with(t, codeLinkLocalOnly, "interface", "eth1"), pingOK("10.9.9.9"))
		}, 1, Low, "another interface"},
		{"dns all down: no proof IPs work", ruleDNSAllDown, func(t *testing.T) []report.Result {
			return results(result("dns-server", "10.0.0.53").with(t, codeDNSServerDown, "server", "10.0.0.53:53"))
		}, 1, Medium, "10.0.0.53"},
		{"dns all down: not when one answers", ruleDNSAllDown, func(t *testing.T) []report.Result {
			return results(result("dns-server", "10.0.0.53").with(t, codeDNSServerDown, "server", "10.0.0.53:53"),
				result("dns-server", "10.0.0.54"))
		}, 0, "", ""},
		{"dns all down: a refusing server is up", ruleDNSAllDown, func(t *testing.T) []report.Result {
			return results(result("dns-server", "10.0.0.53").with(t, codeDNSServerDown, "server", "10.0.0.53:53"),
				result("dns-server", "10.0.0.54").with(t, codeDNSRefused, "server", "10.0.0.54:53"))
		}, 0, "", ""},
		{"dns all down: timeout of the server check counts", ruleDNSAllDown, func(t *testing.T) []report.Result {
			return results(result("dns-server", "10.0.0.53").with(t, codeCheckTimeout))
		}, 1, Medium, ""},
		{"one dns server down", ruleDNSServerDown, func(t *testing.T) []report.Result {
			return results(result("dns-server", "10.0.0.53").with(t, codeDNSServerRejects, "server", "10.0.0.53:53"),
				result("dns-server", "10.0.0.54"))
		}, 1, High, "DNS server 10.0.0.53 does not answer; the other server works (10.0.0.54)."},
		{"refused: fail when alone", ruleDNSRefused, func(t *testing.T) []report.Result {
			return results(result("dns-server", "10.0.0.53").with(t, codeDNSRefused, "server", "10.0.0.53:53"))
		}, 1, High, "refuses"},
		{"names that do not resolve: plural", ruleNXDomain, func(t *testing.T) []report.Result {
			return results(result("net-tcp", "a.lab:443").with(t, codeNoResolve, "host", "a.lab"),
				result("net-tcp", "b.lab:443").with(t, codeNoResolve, "host", "b.lab"))
		}, 1, Medium, "a.lab and b.lab do not resolve: the names do not exist in DNS."},
		{"proxy down: named from the evidence, not an empty target", ruleProxyDown, func(t *testing.T) []report.Result {
			return results(result("net-proxy", "").with(t, codeProxyDown, "proxy", "http://10.0.0.3:3128", "source", "HTTPS_PROXY"))
		}, 1, High, "The proxy http://10.0.0.3:3128 does not accept connections"},
		{"hosts that reject: the verb agrees", rules[ruleIndex("cause.http-client-error")].Match, func(t *testing.T) []report.Result {
			return results(result("net-http", "https://a.lab/").with(t, codeHTTP4xx), result("net-http", "https://b.lab/").with(t, codeHTTP4xx))
		}, 1, Low, "a.lab and b.lab reject the request"},
		{"no host at all: the message, not an empty name", rules[ruleIndex("cause.cert-name-mismatch")].Match, func(t *testing.T) []report.Result {
			return results(result("net-http", "").with(t, codeTLSNameMismatch))
		}, 1, High, "not valid for"},
		{"port filtered needs the host up", rulePortFiltered, func(t *testing.T) []report.Result {
			return results(result("net-tcp", "10.0.1.10:443").with(t, codeTCPFiltered))
		}, 0, "", ""},
		{"host unreachable: trace names the hop", ruleHostUnreachable, func(t *testing.T) []report.Result {
			return results(result("net-tcp", "10.0.1.10:443").with(t, codeTCPFiltered),
				result("net-trace", "10.0.1.10").with(t, codeTraceStops, "last_hop", "10.0.0.254"))
		}, 1, High, "stops after 10.0.0.254"},
		{"host unreachable: not when it answers ping", ruleHostUnreachable, func(t *testing.T) []report.Result {
			return results(result("net-tcp", "10.0.1.10:443").with(t, codeTCPFiltered), pingOK("10.0.1.10"))
		}, 0, "", ""},
		{"tls: one host is medium", ruleTLSInterception, func(t *testing.T) []report.Result {
			return results(result("net-http", "https://a.lab/").with(t, codeTLSUnknownCA, "issuer", "CN=Lab CA"))
		}, 1, Medium, "private CA"},
		{"tls: known inspection product is high", ruleTLSInterception, func(t *testing.T) []report.Result {
			return results(result("net-http", "https://a.lab/").with(t, codeTLSUnknownCA, "issuer", "CN=Zscaler Root CA"))
		}, 1, High, "intercepted"},
		{"service hang needs the host up", ruleServiceHang, func(t *testing.T) []report.Result {
			return results(result("net-http", "https://a.lab/").with(t, codeHTTPTimeout, "phase", "connect"))
		}, 0, "", ""},
		{"service hang after connect", ruleServiceHang, func(t *testing.T) []report.Result {
			return results(result("net-http", "https://a.lab/").with(t, codeHTTPTimeout, "phase", "first_byte"))
		}, 1, Medium, "hangs"},
		{"memory hog goes to the vendor", ruleMemory, func(t *testing.T) []report.Result {
			return results(result("host-processes", "").with(t, codeMemoryHog, "name", "leaky"))
		}, 1, High, "leaky"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.rule(NewView(tt.results(t)))
			if len(got) != tt.want {
				t.Fatalf("matches = %d, want %d: %+v", len(got), tt.want, got)
			}
			if tt.want == 0 {
				return
			}
			if got[0].Confidence != tt.conf {
				t.Errorf("confidence = %s, want %s", got[0].Confidence, tt.conf)
			}
			if !strings.Contains(got[0].Headline, tt.headline) {
				t.Errorf("headline = %q, want it to contain %q", got[0].Headline, tt.headline)
			}
		})
	}
}

// A rule must not see findings a lower layer explained.
func TestExplainedFindingsAreHidden(t *testing.T) {
	rs := results(
		result("net-ping", "10.0.0.1").roles(roleGateway).with(t, codeGatewayDown),
		result("net-tcp", "10.0.1.10:8080").with(t, codeTCPRefused), // cannot be seen without a gateway; still a net failure
		result("dns-server", "10.0.0.53").with(t, codeDNSServerDown, "server", "10.0.0.53"),
		result("host-disks", "").with(t, codeDiskFull, "mount", "/"),
	)
	got := codes(ConcludeResults(rs))
	// tcp-refused proves 10.0.1.10 answered, so the gateway only drops ping;
	// then the DNS server really is dead and the port really is closed.
	want := []string{"cause.dns-down", "cause.nothing-listening", "cause.disk-full", "cause.gateway-ignores-ping"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want %v", got, want)
	}
	rs = results(
		result("net-ping", "10.0.0.1").roles(roleGateway).with(t, codeGatewayDown),
		result("dns-server", "10.0.0.53").with(t, codeDNSServerDown, "server", "10.0.0.53"),
		result("net-tcp", "10.0.1.10:443").with(t, codeTCPFiltered),
		result("host-disks", "").with(t, codeDiskFull, "mount", "/"),
	)
	cs := ConcludeResults(rs)
	got = codes(cs)
	want = []string{"cause.gateway-down", "cause.disk-full"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want %v", got, want)
	}
	// The conclusion names the results it accounts for, so reports can
	// show them as consequences rather than as problems of their own.
	if len(cs) == 2 {
		if got, want := strings.Join(cs[0].Explains, ","), "net-ping 10.0.0.1,dns-server 10.0.0.53,net-tcp 10.0.1.10:443"; got != want {
			t.Errorf("gateway-down explains %q, want %q", got, want)
		}
		if got, want := strings.Join(cs[1].Explains, ","), "host-disks"; got != want {
			t.Errorf("disk-full explains %q, want %q", got, want)
		}
	}
}

func TestHostOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.0.0.1", "10.0.0.1"},
		{"10.0.0.1:53", "10.0.0.1"},
		{"[2001:db8::1]:443", "2001:db8::1"},
		{"2001:db8::1", "2001:db8::1"},
		{"App.Lab:443", "app.lab"},
		{"https://app.lab:8443/x?y=1", "app.lab"},
		{"app.lab.", "app.lab"},
		{"w=/srv/data", ""},
		{"/srv/data", ""},
		{`C:\Users`, ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := hostOf(tt.in); got != tt.want {
				t.Errorf("hostOf(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEvidenceRefs(t *testing.T) {
	rs := results(
		result("net-ping", "10.0.0.1").roles(roleGateway).with(t, codeGatewayDown),
		result("net-gateway", "").with(t, codeNoDefaultRoute),
	)
	v := NewView(rs)
	var refs []string
	for _, o := range v.Where(func(Obs) bool { return true }) {
		refs = append(refs, o.Ref())
	}
	want := "net.gateway-no-answer (net-ping 10.0.0.1)|net.no-default-route (net-gateway)"
	if got := strings.Join(refs, "|"); got != want {
		t.Errorf("refs = %s, want %s", got, want)
	}
	if got := (Obs{Check: "net-ping", Target: "10.0.0.9", Status: report.StatusOK}).Ref(); got != "ok (net-ping 10.0.0.9)" {
		t.Errorf("bare result ref = %s", got)
	}
}

// Roles survive a JSON round trip as []any.
func TestHasRoleAfterJSON(t *testing.T) {
	o := Obs{Result: &report.Result{Details: map[string]any{"roles": []any{"target", "gateway"}}}}
	if !o.HasRole(roleGateway) || o.HasRole(roleDNSServer) {
		t.Error("HasRole on []any roles")
	}
}

// A built-in probe's name is spelled right: no "check the spelling" for it.
func TestNXDomainBackgroundAdvice(t *testing.T) {
	bg := result("dns-resolve", "connectivity.example").with(t, codeDNSNXDomain, "server", "10.0.0.53:53", "name", "connectivity.example")
	bg.r.Background = true
	named := result("dns-resolve", "app.lab").with(t, codeDNSNXDomain, "server", "10.0.0.53:53", "name", "app.lab")
	for _, tt := range []struct {
		name     string
		r        report.Result
		spelling bool
	}{{"background probe", bg.r, false}, {"a name the user gave", named.r, true}} {
		t.Run(tt.name, func(t *testing.T) {
			cs := ConcludeResults([]report.Result{tt.r})
			if len(cs) != 1 {
				t.Fatalf("conclusions = %v", codes(cs))
			}
			if got := strings.Contains(cs[0].NextStep, "spelling"); got != tt.spelling {
				t.Errorf("next step %q: mentions spelling = %v, want %v", cs[0].NextStep, got, tt.spelling)
			}
		})
	}
}

// ruleIndex returns the index of the rule drawing code.
func ruleIndex(code string) int {
	for i, r := range rules {
		if r.Spec.Code == code {
			return i
		}
	}
	panic("no rule draws " + code)
}
