package dnscheck

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// labZone is the local data of the test unbound.
func labZone() string {
	var b strings.Builder
	b.WriteString(`local-zone: "corp.l2lab." static
local-data: "www.corp.l2lab. 300 IN A 10.53.0.10"
local-data: "www.corp.l2lab. 300 IN AAAA 2001:db8::10"
local-data: "v4only.corp.l2lab. 300 IN A 10.53.0.11"
local-data: "txtonly.corp.l2lab. 300 IN TXT \"no address here\""
`)
	// 120 A records make an answer of ~2 KB, beyond the 1232-byte EDNS
	// size: unbound truncates it over UDP and the TCP retry must happen.
	for i := range 120 {
		fmt.Fprintf(&b, "local-data: \"big.corp.l2lab. 300 IN A 10.54.%d.%d\"\n", i/250, i%250+1)
	}
	return b.String()
}

func loopback(t testing.TB) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(lab.FreePort(t, "127.0.0.1")))
}

// blackhole listens on UDP and TCP and never answers: a server that is
// there but silent, without touching the host's firewall.
func blackhole(t testing.TB) netip.AddrPort {
	t.Helper()
	ap := loopback(t)
	u, err := net.ListenPacket("udp", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { u.Close(); l.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := u.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	return ap
}

func TestResolveAndServerAgainstUnbound(t *testing.T) {
	good := lab.Unbound(t, nil, loopback(t), labZone(), "")
	refusing := lab.Unbound(t, nil, loopback(t), "access-control: 127.0.0.0/8 refuse\n"+labZone(), "")
	silent := blackhole(t)
	// A port nobody listens on: the kernel answers ICMP port unreachable.
	closed := loopback(t)

	p := testProfile("www.corp.l2lab", "v4only.corp.l2lab", "txtonly.corp.l2lab", "missing.corp.l2lab", "big.corp.l2lab")
	facts := serverFacts(good.Addr, refusing.Addr, silent, closed)
	got := runPlanned(t, p, facts, nil, serverSpec, resolveSpec)

	t.Run("server", func(t *testing.T) {
		tests := []struct {
			name   string
			server netip.AddrPort
			want   []string
		}{
			{"good", good.Addr, nil},
			{"refused", refusing.Addr, []string{"dns.server-refused"}},
			{"silent", silent, []string{"dns.server-timeout"}},
			{"closed port", closed, []string{"dns.server-unreachable"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r, ok := got["dns-server "+serverName(tt.server)]
				if !ok {
					t.Fatalf("no dns-server result for %s; have %v", tt.server, keysOf(got))
				}
				if c := codes(r); !slices.Equal(c, tt.want) {
					t.Errorf("codes = %v, want %v (summary %q)", c, tt.want, r.Summary)
				}
			})
		}
	})

	t.Run("resolve", func(t *testing.T) {
		// Every name also fails on the three broken servers, in the same way.
		broken := []string{"dns.query-refused", "dns.query-timeout"}
		tests := []struct {
			name string
			want []string
			// wantStatus is the result's status.
			wantStatus report.Status
		}{
			{"www.corp.l2lab", broken, report.StatusFail},
			{"v4only.corp.l2lab", broken, report.StatusFail},
			{"txtonly.corp.l2lab", append([]string{"dns.no-data"}, broken...), report.StatusFail},
			{"missing.corp.l2lab", append([]string{"dns.nxdomain"}, broken...), report.StatusFail},
			{"big.corp.l2lab", broken, report.StatusFail},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := got["dns-resolve "+tt.name]
				want := slices.Clone(tt.want)
				slices.Sort(want)
				if c := uniq(codes(r)); !slices.Equal(c, want) {
					t.Errorf("codes = %v, want %v", c, want)
				}
				if r.Status != tt.wantStatus {
					t.Errorf("status = %s, want %s", r.Status, tt.wantStatus)
				}
			})
		}
	})

	t.Run("silent server is a warning when others answer", func(t *testing.T) {
		r := got["dns-resolve www.corp.l2lab"]
		for _, f := range r.Findings {
			if f.Code == "dns.query-timeout" && f.Evidence["server"] == silent.String() && f.Status != report.StatusWarn {
				t.Errorf("silent server finding status = %s, want warn", f.Status)
			}
		}
	})

	t.Run("answers match dig", func(t *testing.T) {
		r := got["dns-resolve big.corp.l2lab"]
		outs := r.Details["answers"].(map[string][]Outcome)[serverName(good.Addr)]
		var a Outcome
		for _, o := range outs {
			if o.Type == "A" {
				a = o
			}
		}
		if !a.Truncated {
			t.Errorf("big answer not truncated over UDP: the TCP retry was not exercised")
		}
		if a.TCPFallbackError != "" {
			t.Errorf("TCP fallback failed: %s", a.TCPFallbackError)
		}
		for _, name := range []string{"www.corp.l2lab", "big.corp.l2lab"} {
			outs := got["dns-resolve "+name].Details["answers"].(map[string][]Outcome)[serverName(good.Addr)]
			for _, o := range outs {
				want := dig(t, good.Addr, name, o.Type)
				if gotData := o.Data(); !slices.Equal(gotData, want) {
					t.Errorf("%s %s: got %v, dig says %v", name, o.Type, gotData, want)
				}
			}
		}
	})
}

func TestTypesInStepWithProfile(t *testing.T) {
	for _, ty := range profileTypes() {
		if _, ok := wire.TypeCode(ty); !ok {
			t.Errorf("profile type %s has no wire code", ty)
		}
	}
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func uniq(s []string) []string { return slices.Compact(s) }
