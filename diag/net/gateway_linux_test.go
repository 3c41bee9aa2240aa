package netcheck

import (
	"net/netip"
	"testing"
)

func TestParseProcRoutes(t *testing.T) {
	v4 := `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
eth0	00000000	0100A8C0	0003	0	0	100	00000000	0	0	0
eth0	0000A8C0	00000000	0001	0	0	100	00FFFFFF	0	0	0
wg0	00000000	00000000	0001	0	0	50	00000000	0	0	0
`
	got := parseProcRoute([]byte(v4))
	want := []defaultRoute{
		{Family: "ipv4", Gateway: netip.MustParseAddr("192.168.0.1"), Interface: "eth0", Metric: 100},
		{Family: "ipv4", Interface: "wg0", Metric: 50},
	}
	if len(got) != len(want) {
		t.Fatalf("routes = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("route %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	v6 := `00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth0
20010db8000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
`
	got = parseProcIPv6Route([]byte(v6))
	if len(got) != 1 || got[0].Gateway != netip.MustParseAddr("fe80::1%eth0") || got[0].Metric != 1024 {
		t.Errorf("ipv6 routes = %+v, want the default via fe80::1%%eth0, metric 1024", got)
	}
	// A global gateway carries no zone: "2001:db8::1%eth0" is noise.
	global := `00000000000000000000000000000000 00 00000000000000000000000000000000 00 20010db8000000000000000000000001 00000400 00000001 00000000 00000003     eth0
`
	got = parseProcIPv6Route([]byte(global))
	if len(got) != 1 || got[0].Gateway != netip.MustParseAddr("2001:db8::1") {
		t.Errorf("ipv6 routes = %+v, want the default via 2001:db8::1 without a zone", got)
	}
}
