package orgcheck

import (
	"net/netip"
	"slices"
)

// routeEntry is one row of an OS routing table, read through the OS's
// own API (Windows GetIpForwardTable2, the BSD routing socket).
type routeEntry struct {
	IfIndex int
	Dst     netip.Prefix
}

// prefixesVia lists the destinations routed through interface ifIndex,
// leaving out what every interface has (link-local, multicast, the
// limited broadcast), once each, in table order.
func prefixesVia(rows []routeEntry, ifIndex int) []string {
	var out []string
	for _, r := range rows {
		a := r.Dst.Addr()
		if r.IfIndex != ifIndex || !r.Dst.IsValid() || a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsLinkLocalMulticast() ||
			a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
			continue
		}
		p := r.Dst.Masked().String()
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// maskBits counts a netmask's leading ones (a BSD netmask may be cut
// short: trailing zero bytes are not sent).
func maskBits(m netip.Addr) int {
	n := 0
	for _, b := range m.AsSlice() {
		if b == 0xff {
			n += 8
			continue
		}
		for ; b&0x80 != 0; b <<= 1 {
			n++
		}
		break
	}
	return n
}
