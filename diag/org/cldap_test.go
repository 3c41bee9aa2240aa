package orgcheck

import (
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/l2diag/l2diag/report"
)

// buildNetlogon packs a NETLOGON_SAM_LOGON_RESPONSE_EX with the names
// compressed against each other, the way Windows DCs send it (miekg/dns
// does the RFC 1035 compression), and next closest site when not empty.
func buildNetlogon(t testing.TB, opcode uint16, flags uint32, names []string, next string) []byte {
	t.Helper()
	b := make([]byte, 4096)
	binary.LittleEndian.PutUint16(b, opcode)
	binary.LittleEndian.PutUint32(b[4:], flags)
	off := netlogonFixedLen
	comp := map[string]int{}
	if next != "" {
		names = append(slices.Clone(names), next)
	}
	for _, n := range names {
		var err error
		if off, err = dns.PackDomainName(dns.Fqdn(n), b, off, comp, true); err != nil {
			t.Fatal(err)
		}
	}
	binary.LittleEndian.PutUint32(b[off:], 5|0x10)
	off += 4
	binary.LittleEndian.PutUint32(b[off:], 0xffffffff)
	return b[:off+4]
}

func TestParseNetlogon(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	site := []string{"corp.example", "corp.example", "dc7.corp.example", "CORP", "DC7", "", "Hamburg", "Berlin"}
	tests := []struct {
		name    string
		data    []byte
		want    netlogonResponse
		flags   []string
		wantErr string
	}{
		{"Samba, one site", read("netlogon-samba-default-site.bin"),
			netlogonResponse{Opcode: 23, DNSForestName: "corp.l2lab", DNSDomainName: "corp.l2lab", DNSHostName: "dc1.corp.l2lab", NetbiosDomain: "CORP", NetbiosComputer: "DC1", DCSiteName: "Default-First-Site-Name", ClientSiteName: "Default-First-Site-Name"},
			[]string{"pdc", "gc", "ldap", "ds", "kdc", "timeserv", "closest", "writable", "rodc" /* not */}, ""},
		{"Samba, client subnet in no site", read("netlogon-samba-no-client-site.bin"),
			netlogonResponse{Opcode: 23, DNSForestName: "corp.l2lab", DNSDomainName: "corp.l2lab", DNSHostName: "dc1.corp.l2lab", NetbiosDomain: "CORP", NetbiosComputer: "DC1", DCSiteName: "Default-First-Site-Name"},
			nil, ""},
		{"Samba, client in Branch", read("netlogon-samba-branch-site.bin"),
			netlogonResponse{Opcode: 23, DNSForestName: "corp.l2lab", DNSDomainName: "corp.l2lab", DNSHostName: "dc1.corp.l2lab", NetbiosDomain: "CORP", NetbiosComputer: "DC1", DCSiteName: "Default-First-Site-Name", ClientSiteName: "Branch"},
			nil, ""},
		{"Windows-style, compressed, next closest site", buildNetlogon(t, 23, 0x20|0x100, site, "Berlin"),
			netlogonResponse{Opcode: 23, Flags: 0x120, DNSForestName: "corp.example", DNSDomainName: "corp.example", DNSHostName: "dc7.corp.example", NetbiosDomain: "CORP", NetbiosComputer: "DC7", DCSiteName: "Hamburg", ClientSiteName: "Berlin", NextClosestSite: "Berlin"},
			[]string{"kdc", "writable"}, ""},
		{"netlogon paused", buildNetlogon(t, opLogonPauseEx, 0, site, ""),
			netlogonResponse{Opcode: 24, DNSForestName: "corp.example", DNSDomainName: "corp.example", DNSHostName: "dc7.corp.example", NetbiosDomain: "CORP", NetbiosComputer: "DC7", DCSiteName: "Hamburg", ClientSiteName: "Berlin"},
			nil, ""},
		{"too short", []byte{23, 0, 0, 0}, netlogonResponse{}, nil, "shorter than"},
		{"old NT4 opcode", append([]byte{19, 0}, make([]byte, 40)...), netlogonResponse{}, nil, "not a 5EX"},
		{"name cut off", read("netlogon-samba-default-site.bin")[:40], netlogonResponse{}, nil, "netlogon name"},
		{"pointer loop", append(append([]byte{23, 0, 0, 0}, make([]byte, 20)...), 0xc0, 24), netlogonResponse{}, nil, "netlogon name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseNetlogon(tt.data)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			gotFlags := got.Flags
			got.Flags, got.DomainGUID = 0, [16]byte{}
			want := tt.want
			wantFlags := want.Flags
			want.Flags = 0
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			if wantFlags != 0 && gotFlags != wantFlags {
				t.Errorf("flags %#x, want %#x", gotFlags, wantFlags)
			}
			if tt.flags != nil {
				names := netlogonResponse{Flags: gotFlags}.flagNames()
				for _, f := range tt.flags {
					if f == "rodc" {
						if slices.Contains(names, f) {
							t.Errorf("flags %v name rodc on a writable DC", names)
						}
						continue
					}
					if !slices.Contains(names, f) {
						t.Errorf("flags %v lack %s", names, f)
					}
				}
			}
		})
	}
}

// FuzzParseNetlogon: any bytes a DC (or anything on UDP 389) sends must
// parse or fail, never panic or loop; what parses from a real capture
// mutated keeps names a DNS name can hold.
func FuzzParseNetlogon(f *testing.F) {
	for _, name := range []string{"netlogon-samba-default-site.bin", "netlogon-samba-no-client-site.bin", "netlogon-samba-branch-site.bin"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(buildNetlogon(f, 23, 0xffffffff, []string{"a.b", "a.b", "x.a.b", "A", "X", "u", "s", "s"}, "t"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseNetlogon(b)
		if err != nil {
			return
		}
		for _, n := range []string{r.DNSForestName, r.DNSDomainName, r.DNSHostName, r.ClientSiteName, r.DCSiteName, r.NextClosestSite} {
			if len(n) > 1024 {
				t.Fatalf("name of %d bytes from %d input bytes", len(n), len(b))
			}
		}
	})
}

func TestJudgeSite(t *testing.T) {
	dc := netip.MustParseAddr("10.1.0.10")
	local := netip.MustParseAddr("10.2.0.7")
	resp := func(client string, flags uint32) netlogonResponse {
		return netlogonResponse{Opcode: 23, Flags: flags, DNSHostName: "dc1.corp.example", DCSiteName: "HQ", ClientSiteName: client}
	}
	timeout := &netErr{}
	tests := []struct {
		name    string
		s       siteResult
		reached netip.Addr
		want    []string
		detail  string
	}{
		{"closest DC in the client's site", siteResult{Site: "HQ", Pings: []ldapPing{{Addr: dc, Local: local, Resp: resp("HQ", dsFlagClosest|dsFlagKDC)}}}, dc, nil, "site_dc"},
		{"no client site", siteResult{Pings: []ldapPing{{Addr: dc, Local: local, Resp: resp("", dsFlagKDC)}}}, dc, []string{"org.dc-no-client-site"}, "ldap_ping"},
		{"branch without DC", siteResult{Site: "Branch", SiteSRV: "_ldap._tcp.Branch._sites.dc._msdcs.corp.example", Pings: []ldapPing{{Addr: dc, Local: local, Resp: resp("Branch", dsFlagKDC)}}}, dc, []string{"org.dc-not-in-site"}, "site_dcs"},
		{"branch DC found and closest", siteResult{Site: "Branch", SiteSRV: "x", SiteDCs: []string{"dc9"}, Pings: []ldapPing{{Addr: dc, Resp: resp("Branch", 0)}, {Addr: netip.MustParseAddr("10.2.0.2"), Resp: resp("Branch", dsFlagClosest)}}}, dc, nil, "site_dc"},
		{"TCP answers, ping silent", siteResult{Pings: []ldapPing{{Addr: dc, Err: timeout}}}, dc, []string{"org.dc-ldap-ping-silent"}, "ldap_ping"},
		{"neither TCP nor ping: left to org.dc-unreachable", siteResult{Pings: []ldapPing{{Addr: dc, Err: timeout}}}, netip.Addr{}, nil, "ldap_ping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res report.Result
			judgeSite(&res, tt.s, tt.reached)
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Code)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("codes %v, want %v", got, tt.want)
			}
			if _, ok := res.Details[tt.detail]; !ok {
				t.Errorf("details %v lack %s", res.Details, tt.detail)
			}
		})
	}
}

// netErr is a timeout as the socket reports it.
type netErr struct{}

func (*netErr) Error() string   { return "i/o timeout" }
func (*netErr) Timeout() bool   { return true }
func (*netErr) Temporary() bool { return true }

// BenchmarkParseNetlogon: one DC answer, as captured from Samba.
func BenchmarkParseNetlogon(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "netlogon-samba-branch-site.bin"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseNetlogon(data); err != nil {
			b.Fatal(err)
		}
	}
}
