package orgcheck

import (
	"net/netip"
	"slices"
	"testing"
)

func TestPrefixesVia(t *testing.T) {
	p := netip.MustParsePrefix
	// As Windows' GetIpForwardTable2 lists a split tunnel (interface 17)
	// beside Wi-Fi (interface 9): the tunnel's own host and broadcast
	// routes, multicast and link-local ones every adapter has.
	rows := []routeEntry{
		{9, p("0.0.0.0/0")},
		{17, p("10.20.0.0/16")},
		{17, p("10.99.0.2/32")},
		{17, p("10.20.0.0/16")},
		{17, p("224.0.0.0/4")},
		{17, p("255.255.255.255/32")},
		{17, p("fe80::/64")},
		{17, p("ff00::/8")},
		{17, p("fd00:c0:1::/48")},
		{9, p("192.168.1.0/24")},
	}
	tests := []struct {
		name  string
		index int
		want  []string
	}{
		{"the tunnel", 17, []string{"10.20.0.0/16", "10.99.0.2/32", "fd00:c0:1::/48"}},
		{"the Wi-Fi", 9, []string{"0.0.0.0/0", "192.168.1.0/24"}},
		{"an interface with no route", 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := prefixesVia(rows, tt.index); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMaskBits(t *testing.T) {
	tests := []struct {
		mask string
		want int
	}{
		{"255.255.255.0", 24}, {"255.255.254.0", 23}, {"0.0.0.0", 0}, {"255.255.255.255", 32},
		{"255.0.255.0", 8}, // not contiguous: the leading ones count
		{"ffff:ffff:ffff:ff80::", 57},
	}
	for _, tt := range tests {
		if got := maskBits(netip.MustParseAddr(tt.mask)); got != tt.want {
			t.Errorf("maskBits(%s) = %d, want %d", tt.mask, got, tt.want)
		}
	}
}
