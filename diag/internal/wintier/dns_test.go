//go:build linux

package wintier

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestDNS runs the DNS checks of the UDP-capable exe against the tier's
// servers: an answer, NXDOMAIN, a server answering REFUSED, one that
// rejects (nothing listens: ICMP port unreachable and TCP reset), and a
// short name found through the search suffix.
func TestDNS(t *testing.T) {
	tr := newTier(t)
	rep, _ := tr.run(t, lab.WineExe(t, true), "--only", "dns",
		"--dns-name", "intra.example", "--dns-name", "nx.example", "--dns-name", "fileserver",
		"--dns-server", dnsRefused, "--dns-server", rejecting)

	cfg := one(t, rep, "dns-config", "")
	if !strings.Contains(cfg.Summary, dnsGood) {
		t.Errorf("dns-config does not name the adapter's server %s: %s", dnsGood, cfg.Summary)
	}

	good := one(t, rep, "dns-server", dnsGood)
	if good.Status != "ok" {
		t.Errorf("dns-server %s: status %s, want ok\n%s", dnsGood, good.Status, dump(good))
	}
	if r := one(t, rep, "dns-server", dnsRefused); !hasCode(r, "dns.server-refused") {
		t.Errorf("dns-server %s: codes %v, want dns.server-refused\n%s", dnsRefused, codes(r), dump(r))
	}
	if r := one(t, rep, "dns-server", rejecting); !hasCode(r, "dns.server-unreachable") {
		t.Errorf("dns-server %s (rejects): codes %v, want dns.server-unreachable, not a silent server\n%s", rejecting, codes(r), dump(r))
	}

	intra := one(t, rep, "dns-resolve", "intra.example")
	for _, f := range intra.Findings {
		if f.Evidence["server"] == dnsGood+":53" {
			t.Errorf("dns-resolve intra.example: %s about the server that answers it: %s", f.Code, f.Message)
		}
	}
	if sys := one(t, rep, "dns-system", "intra.example"); !strings.Contains(sys.Summary, intraIP) {
		t.Errorf("dns-system intra.example: %q, want the OS resolver's answer %s", sys.Summary, intraIP)
	}
	nx := one(t, rep, "dns-resolve", "nx.example")
	if !slices.Contains(codes(nx), "dns.nxdomain") {
		t.Errorf("dns-resolve nx.example: codes %v, want dns.nxdomain\n%s", codes(nx), dump(nx))
	}
	search := one(t, rep, "dns-search", "fileserver")
	if search.Status != "ok" || !strings.Contains(search.Summary, "corp.example") {
		t.Errorf("dns-search fileserver: %s %q, want ok via corp.example\n%s", search.Status, search.Summary, dump(search))
	}
}

// TestDNSLocalSocketFailure runs the shipped exe, whose UDP sockets wine
// cannot open (SIO_UDP_NETRESET): that is this machine's error and must
// say so, never "the server does not answer" or "UDP blocked".
func TestDNSLocalSocketFailure(t *testing.T) {
	tr := newTier(t)
	rep, _ := tr.run(t, lab.WineExe(t, false), "--only", "dns", "--dns-name", "intra.example")
	r := one(t, rep, "dns-server", dnsGood)
	for _, bad := range []string{"dns.server-timeout", "dns.udp-blocked", "dns.server-unreachable"} {
		if hasCode(r, bad) {
			t.Errorf("dns-server %s: %s for a local socket failure\n%s", dnsGood, bad, dump(r))
		}
	}
	if !hasCode(r, "dns.local-error") || r.Status != "error" {
		t.Errorf("dns-server %s: status %s codes %v, want error with dns.local-error\n%s", dnsGood, r.Status, codes(r), dump(r))
	}
	for _, c := range causes(rep) {
		if c == "cause.dns-down" || strings.Contains(c, "udp") {
			t.Errorf("conclusion %s drawn from a local socket failure: %v", c, causes(rep))
		}
	}
}

// TestDNSConfigSuffixesAndNRPT: dns-config reads the suffix search list
// group policy sets (which replaces the adapters' suffixes), the primary
// suffix, and NRPT rules (per-namespace servers).
func TestDNSConfigSuffixesAndNRPT(t *testing.T) {
	tr := newTier(t)
	const policy = `HKLM\SOFTWARE\Policies\Microsoft\Windows NT\DNSClient`
	tr.wine.Reg("add", policy, "/v", "SearchList", "/t", "REG_SZ", "/d", "gpo.example,corp.example", "/f")
	tr.wine.Reg("add", policy, "/v", "PrimaryDnsSuffix", "/t", "REG_SZ", "/d", "ad.corp.example", "/f")
	tr.wine.Reg("add", policy+`\DnsPolicyConfig\{l2diag-test-rule}`, "/v", "Name", "/t", "REG_MULTI_SZ", "/d", ".vpn.example", "/f")
	tr.wine.Reg("add", policy+`\DnsPolicyConfig\{l2diag-test-rule}`, "/v", "GenericDNSServers", "/t", "REG_SZ", "/d", dnsRefused, "/f")
	rep, _ := tr.run(t, lab.WineExe(t, true), "--only", "dns", "--skip", "dns-resolve,dns-system,dns-consistency,dns-hijack,dns-reverse,dns-search")
	cfg := one(t, rep, "dns-config", "")
	got := func(k string) string { b, _ := json.Marshal(cfg.Details[k]); return string(b) }
	t.Logf("dns-config: %s", cfg.Summary)
	var c struct {
		Search        []string            `json:"search"`
		PrimarySuffix string              `json:"primary_suffix"`
		SearchSource  string              `json:"search_source"`
		Scoped        map[string][]string `json:"scoped"`
	}
	if err := json.Unmarshal([]byte(got("config")), &c); err != nil {
		t.Fatalf("details.config: %v (%s)", err, got("config"))
	}
	if strings.Join(c.Search, " ") != "gpo.example corp.example" || !strings.Contains(c.SearchSource, "group policy") {
		t.Errorf("search %v from %q, want the policy's list [gpo.example corp.example]", c.Search, c.SearchSource)
	}
	if c.PrimarySuffix != "ad.corp.example" {
		t.Errorf("primary suffix %q, want the policy's ad.corp.example", c.PrimarySuffix)
	}
	if s := c.Scoped[".vpn.example"]; len(s) != 1 || s[0] != dnsRefused+":53" {
		t.Errorf("NRPT rule for .vpn.example: %v, want [%s:53]\n%s", c.Scoped, dnsRefused, dump(cfg))
	}
}
