package target

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseNameExpect(t *testing.T) {
	tests := []struct {
		name, in   string
		wantName   string
		wantExpect string // Expectation.String()
		wantErr    string // substring; "" = valid
	}{
		{"bare name", "www.example.com", "www.example.com", "", ""},
		{"one address", "intranet.example.com=10.20.0.5", "intranet.example.com", "10.20.0.5", ""},
		{"addresses and a prefix", "a.example=10.20.0.5, 2001:db8::5,10.21.0.0/16", "a.example", "10.20.0.5 or 2001:db8::5 or 10.21.0.0/16", ""},
		{"private", "vpn.example=private", "vpn.example", "a private address (RFC 1918 or ULA)", ""},
		{"bad name", "bad name=10.0.0.1", "", "", "use NAME, NAME=IP[,IP...] or NAME=private"},
		{"nothing after =", "a.example=", "", "", `"a.example=" names no address`},
		{"bad address", "a.example=10.0.0.300", "", "", `"10.0.0.300" is not an IP address or prefix`},
		{"a name is no address", "a.example=b.example", "", "", "NAME=IP[,IP...]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, e, err := ParseNameExpect(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.wantName || e.String() != tt.wantExpect {
				t.Errorf("got %q, %q; want %q, %q", n, e.String(), tt.wantName, tt.wantExpect)
			}
		})
	}
}

func TestExpectationMet(t *testing.T) {
	p := func(s string) netip.Prefix { pf, _ := ParseExpected(s); return pf }
	as := func(ss ...string) []netip.Addr {
		var out []netip.Addr
		for _, s := range ss {
			out = append(out, netip.MustParseAddr(s))
		}
		return out
	}
	tests := []struct {
		name  string
		e     Expectation
		addrs []netip.Addr
		want  bool
	}{
		{"the address", Expectation{Prefixes: []netip.Prefix{p("10.20.0.5")}}, as("10.20.0.5"), true},
		{"one of several", Expectation{Prefixes: []netip.Prefix{p("10.20.0.5")}}, as("2001:db8::5", "10.20.0.5"), true},
		{"another address", Expectation{Prefixes: []netip.Prefix{p("10.20.0.5")}}, as("203.0.113.7"), false},
		{"in the prefix", Expectation{Prefixes: []netip.Prefix{p("10.20.0.0/16")}}, as("10.20.9.9"), true},
		{"v4-mapped", Expectation{Prefixes: []netip.Prefix{p("10.20.0.5")}}, as("::ffff:10.20.0.5"), true},
		{"private v4", Expectation{Private: true}, as("192.168.1.5"), true},
		{"private ULA", Expectation{Private: true}, as("fd00::5"), true},
		{"public", Expectation{Private: true}, as("203.0.113.7"), false},
		{"CGNAT is not RFC 1918", Expectation{Private: true}, as("100.64.0.5"), false},
		{"nothing", Expectation{Private: true}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Met(tt.addrs); got != tt.want {
				t.Errorf("Met(%v) = %v, want %v", tt.addrs, got, tt.want)
			}
		})
	}
}
