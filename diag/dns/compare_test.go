package dnscheck

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestConsistencyHijackSearch runs two unbounds that disagree about one
// name and a dnsmasq that answers every name (a hijacking resolver).
func TestConsistencyHijackSearch(t *testing.T) {
	a := lab.Unbound(t, nil, loopback(t), labZone(), "")
	b := lab.Unbound(t, nil, loopback(t), `local-zone: "corp.l2lab." static
local-data: "www.corp.l2lab. 300 IN A 10.53.9.99"
local-data: "v4only.corp.l2lab. 300 IN A 10.53.0.11"
local-zone: "old.l2lab." static
local-data: "legacy.old.l2lab. 300 IN A 10.53.7.7"
local-data: "v4only.old.l2lab. 300 IN A 10.53.7.11"`, "")
	hijacker := lab.Dnsmasq(t, nil, loopback(t), "--address=/#/192.0.2.66", "--address=/#/2001:db8::66")

	p := testProfile("www.corp.l2lab", "v4only.corp.l2lab", "legacy", "www", "nothere", "v4only")
	p.DNS.HijackDomain = "corp.l2lab"
	facts := serverFacts(a.Addr, b.Addr)
	diag.SetFact(facts, diag.FactSearchDomains, []string{"corp.l2lab", "old.l2lab"})
	targets := &diag.Targets{DNSServers: []netip.AddrPort{hijacker.Addr}}
	got := runPlanned(t, p, facts, targets, consistencySpec, hijackSpec, searchSpec)

	tests := []struct {
		key        string
		wantCodes  []string
		wantStatus report.Status
	}{
		// a says 10.53.0.10 + AAAA, b says 10.53.9.99, the hijacker 192.0.2.66.
		{"dns-consistency www.corp.l2lab", []string{"dns.servers-disagree"}, report.StatusWarn},
		// Only the hijacker differs here.
		{"dns-consistency v4only.corp.l2lab", []string{"dns.servers-disagree"}, report.StatusWarn},
		{"dns-hijack " + serverName(a.Addr), nil, report.StatusOK},
		{"dns-hijack " + serverName(b.Addr), nil, report.StatusOK},
		{"dns-hijack " + serverName(hijacker.Addr), []string{"dns.nxdomain-hijack"}, report.StatusWarn},
		{"dns-search www", nil, report.StatusOK},
		{"dns-search legacy", []string{"dns.search-unexpected"}, report.StatusWarn},
		{"dns-search nothere", []string{"dns.search-unresolved"}, report.StatusFail},
		// v4only.corp.l2lab is used; v4only.old.l2lab exists elsewhere: a note.
		{"dns-search v4only", []string{"dns.search-shadowed"}, report.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			r, ok := got[tt.key]
			if !ok {
				t.Fatalf("no result %q; have %v", tt.key, keysOf(got))
			}
			if c := codes(r); !slices.Equal(c, tt.wantCodes) {
				t.Errorf("codes = %v, want %v (%s)", c, tt.wantCodes, r.Summary)
			}
			if r.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s", r.Status, tt.wantStatus)
			}
		})
	}
	t.Run("shadowed evidence names both expansions once", func(t *testing.T) {
		f := got["dns-search v4only"].Findings[0]
		if f.Evidence["answered_by"] != "v4only.corp.l2lab" || f.Evidence["also"] != "v4only.old.l2lab" ||
			!slices.Equal(f.Evidence["addrs"].([]string), []string{"10.53.0.11"}) || !slices.Equal(f.Evidence["also_addrs"].([]string), []string{"10.53.7.11"}) {
			t.Errorf("evidence = %v", f.Evidence)
		}
	})
	t.Run("disagreement evidence names each server", func(t *testing.T) {
		f := got["dns-consistency www.corp.l2lab"].Findings[0]
		says := f.Evidence["answers"].(map[string]string)
		want := map[string]string{
			serverName(a.Addr):        "A 10.53.0.10; AAAA 2001:db8::10",
			serverName(b.Addr):        "A 10.53.9.99; AAAA (none)",
			serverName(hijacker.Addr): "A 192.0.2.66; AAAA 2001:db8::66",
		}
		for k, v := range want {
			if says[k] != v {
				t.Errorf("%s says %q, want %q", k, says[k], v)
			}
		}
	})
}
