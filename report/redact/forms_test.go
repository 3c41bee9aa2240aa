package redact

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/internal/sample"
)

// TestRedactKeepsAddressClass: a public address becomes a documentation
// address (before, 1.1.1.1 could come out as multicast 224.x), private
// stays private in its own range, v6 stays v6, and a /24 stays one /24.
// Many keys, since each bundle draws its own.
func TestRedactKeepsAddressClass(t *testing.T) {
	doc4 := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24")}
	in := func(a netip.Addr, ps ...netip.Prefix) bool {
		for _, p := range ps {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	tests := []struct {
		real string
		want []netip.Prefix
	}{
		{"1.1.1.1", doc4},
		{"8.8.8.8", doc4},
		{"93.184.216.34", doc4},
		{"223.255.255.1", doc4},
		{"10.20.30.40", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}},
		{"172.20.1.2", []netip.Prefix{netip.MustParsePrefix("172.16.0.0/12")}},
		{"192.168.1.20", []netip.Prefix{netip.MustParsePrefix("192.168.0.0/16")}},
		{"100.64.3.4", []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10")}},
		{"2606:4700:4700::1111", []netip.Prefix{netip.MustParsePrefix("2001:db8::/32")}},
		{"fd00:1234::40", []netip.Prefix{netip.MustParsePrefix("fc00::/7")}},
		{"fe80::5054:ff:fe12:3456", []netip.Prefix{netip.MustParsePrefix("fe80::/10")}},
		{"::ffff:1.1.1.1", []netip.Prefix{netip.MustParsePrefix("::ffff:192.0.2.0/120"), netip.MustParsePrefix("::ffff:198.51.100.0/120"), netip.MustParsePrefix("::ffff:203.0.113.0/120")}},
	}
	for k := range 40 {
		r := NewRedactor(Identity{}, nil)
		for _, tc := range tests {
			got, err := netip.ParseAddr(r.addr(netip.MustParseAddr(tc.real)))
			if err != nil || !in(got, tc.want...) || got.String() == tc.real {
				t.Fatalf("key %d: %s -> %s (%v), want a pseudonym in %v", k, tc.real, got, err, tc.want)
			}
		}
		a, b := r.addr(netip.MustParseAddr("93.184.216.34")), r.addr(netip.MustParseAddr("93.184.216.35"))
		if prefix(a, 3) != prefix(b, 3) || a == b {
			t.Fatalf("key %d: one public /24 became %s and %s", k, a, b)
		}
	}
	r := NewRedactor(Identity{}, nil)
	seen := map[string]string{}
	for i := range 600 {
		real := fmt.Sprintf("%d.%d.%d.7", 11+i%200, i/200+1, i%7)
		p := r.addr(netip.MustParseAddr(real))
		if other, dup := seen[p]; dup && other != real {
			t.Fatalf("%s and %s share the pseudonym %s", other, real, p)
		}
		seen[p] = real
	}
	for _, keep := range []string{"192.0.2.10", "2001:db8::1", "224.0.0.251", "127.0.0.1"} {
		if got := r.addr(netip.MustParseAddr(keep)); got != keep {
			t.Errorf("%s -> %s, want it kept (it names nobody)", keep, got)
		}
	}
}

// TestRedactOtherSpellings: the same addresses written as reverse DNS
// names and in the kernel's hex files get the same pseudonyms as their
// plain forms (before, they went out as they were).
func TestRedactOtherSpellings(t *testing.T) {
	r := NewRedactor(testIdentity(), nil)
	s := NewScrubber(nil, r)
	v4 := netip.MustParseAddr(s.String("10.20.30.40"))
	pub := netip.MustParseAddr(s.String("93.184.216.34"))
	v6 := netip.MustParseAddr(s.String("fd00:1234::40"))
	rev4 := func(a netip.Addr) string {
		b := a.As4()
		return fmt.Sprintf("%d.%d.%d.%d.in-addr.arpa", b[3], b[2], b[1], b[0])
	}
	rev6 := func(a netip.Addr) string {
		h := hex.EncodeToString(a.AsSlice())
		var out []string
		for i := len(h) - 1; i >= 0; i-- {
			out = append(out, string(h[i]))
		}
		return strings.Join(out, ".") + ".ip6.arpa"
	}
	le := func(a netip.Addr) string {
		return fmt.Sprintf("%08X", binary.LittleEndian.Uint32(a.AsSlice()))
	}
	hex6 := func(a netip.Addr) string { return hex.EncodeToString(a.AsSlice()) }
	real6 := netip.MustParseAddr("fd00:1234::40")
	tests := []struct{ name, in, want string }{
		{"in-addr.arpa", "PTR 40.30.20.10.in-addr.arpa.", "PTR " + rev4(v4) + "."},
		{"public in-addr.arpa", "34.216.184.93.in-addr.arpa PTR x", rev4(pub) + " PTR x"},
		{"ip6.arpa", "q " + rev6(real6) + " PTR", "q " + rev6(v6) + " PTR"},
		{"proc/net/route", "eth0\t281E140A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0", "eth0\t" + le(v4) + "\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0"},
		{"ipv6_route", hex6(real6) + " 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0",
			hex6(v6) + " 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0"},
		{"if_inet6", hex6(real6) + " 02 40 00 80     eth0", hex6(v6) + " 02 40 00 80     eth0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.String(tc.in); got != tc.want {
				t.Errorf("redact(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
	// A reverse zone (a prefix) keeps the same prefix as the addresses in it.
	zone := s.String("zone 20.10.in-addr.arpa")
	b := v4.As4()
	if want := fmt.Sprintf("zone %d.%d.in-addr.arpa", b[1], b[0]); zone != want {
		t.Errorf("reverse zone -> %q, want %q", zone, want)
	}
}

// TestRedactPathOwners: run as root, the path checks report other users
// and groups owning what they looked at; those names are replaced
// everywhere (system accounts and groups stay).
func TestRedactPathOwners(t *testing.T) {
	rep := sample.Report()
	rep.Results[0].SetDetail("components", []map[string]any{{"path": "/srv/finance", "owner": "bob", "group": "finance-team"}, {"path": "/srv", "owner": "root", "group": "wheel"}})
	r := NewRedactor(testIdentity(), rep)
	s := NewScrubber(nil, r)
	got := s.String("/srv/finance (drwxr-x--- bob:finance-team) under /srv (drwxr-xr-x root:wheel)")
	if strings.Contains(got, "bob") || strings.Contains(got, "finance-team") {
		t.Errorf("owner names survived: %q", got)
	}
	if !strings.Contains(got, "root:wheel") || !strings.Contains(got, ":group") || !strings.Contains(got, "user") {
		t.Errorf("want userN:groupN and root:wheel kept, got %q", got)
	}
	if class, found := r.Guard().Find([]byte("owned by bob")); !found || class != ClassUsername {
		t.Errorf("the re-scan does not guard the owner name: %v %q", found, class)
	}
}

// TestRedactOrgNames: the AD site names and the machine account the org
// checks report are replaced everywhere.
func TestRedactOrgNames(t *testing.T) {
	rep := sample.Report()
	rep.Results[0].SetDetail("client_site", "Hamburg-HQ")
	rep.Results[0].SetDetail("ldap_ping", []map[string]any{{"dc_site": "Frankfurt", "client_site": "Hamburg-HQ"}})
	rep.Results[0].SetDetail("account", "WS-4711$@CORP.EXAMPLE")
	s := NewScrubber(nil, NewRedactor(testIdentity(), rep))
	got := s.String("This machine is in AD site Hamburg-HQ, served by dc9 (Frankfurt); account WS-4711$ rejected")
	for _, leak := range []string{"Hamburg", "Frankfurt", "4711"} {
		if strings.Contains(got, leak) {
			t.Errorf("%s survived: %q", leak, got)
		}
	}
}

// TestRedactWifiNetworks: the Wi-Fi network names org-wifi reports (its
// own struct in the details, a finding's evidence) are replaced
// everywhere, also when the name has a space, and guarded.
func TestRedactWifiNetworks(t *testing.T) {
	type link struct {
		Interface string `json:"interface"`
		SSID      string `json:"ssid,omitempty"`
	}
	rep := sample.Report()
	rep.Results[0].SetDetail("wifi", []link{{"wlp2s0", "Acme Staff"}, {"wlan1", ""}})
	rep.Results[0].AddFinding(report.Finding{Code: "org.wifi-wrong-network", Status: report.StatusWarn, Evidence: map[string]any{"ssid": "Cafe-Lumiere"}})
	r := NewRedactor(testIdentity(), rep)
	got := NewScrubber(nil, r).String(`wlp2s0 on "Acme Staff", then "cafe-lumiere"; {"ssid":"Acme Staff"}`)
	for _, leak := range []string{"Acme", "Lumiere", "lumiere"} {
		if strings.Contains(got, leak) {
			t.Errorf("%s survived: %q", leak, got)
		}
	}
	if !strings.Contains(got, "wlan-network") {
		t.Errorf("no wlan-networkN pseudonym in %q", got)
	}
	if class, found := r.Guard().Find([]byte("joined acme staff")); !found || class != ClassSSID {
		t.Errorf("the re-scan does not guard the network name: %v %q", found, class)
	}
}

// TestLearnSSID: a network met after the redactor was made (a watch
// roaming onto it) is replaced and guarded from then on; a system word is
// not learnt.
func TestLearnSSID(t *testing.T) {
	r := NewRedactor(testIdentity(), sample.Report())
	s := NewScrubber(nil, r)
	const line = `wlan0 left Wi-Fi network "CorpWLAN" for "Cafe Lumiere"`
	if got := s.String(line); !strings.Contains(got, "Cafe Lumiere") {
		t.Fatalf("unknown network replaced before it was learnt: %q", got)
	}
	if !r.LearnSSID("Cafe Lumiere") || r.LearnSSID("cafe lumiere") {
		t.Errorf("LearnSSID: want new once, not again")
	}
	if r.LearnSSID("guest") {
		t.Errorf("a system word was learnt as a network name")
	}
	got := s.String(line)
	if strings.Contains(strings.ToLower(got), "lumiere") || strings.Count(got, "wlan-network") != 2 {
		t.Errorf("after learning: %q", got)
	}
	if class, found := r.Guard().Find([]byte("joined cafe lumiere")); !found || class != ClassSSID {
		t.Errorf("the learnt network is not guarded: %v %q", found, class)
	}
}
