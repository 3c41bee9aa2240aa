//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package orgcheck

import (
	"net"
	"net/netip"
	"syscall"

	"golang.org/x/net/route"
)

// tunnelRoutes dumps the routing table through the routing socket
// (sysctl NET_RT_DUMP, what netstat -rn reads) and keeps the prefixes
// routed through ifc.
func tunnelRoutes(ifc string) ([]string, bool) {
	i, err := net.InterfaceByName(ifc)
	if err != nil {
		return nil, false
	}
	b, err := route.FetchRIB(syscall.AF_UNSPEC, route.RIBTypeRoute, 0)
	if err != nil {
		return nil, false
	}
	msgs, err := route.ParseRIB(route.RIBTypeRoute, b)
	if err != nil {
		return nil, false
	}
	var rows []routeEntry
	for _, m := range msgs {
		rm, ok := m.(*route.RouteMessage)
		if !ok || len(rm.Addrs) <= syscall.RTAX_NETMASK {
			continue
		}
		dst, ok := bsdAddr(rm.Addrs[syscall.RTAX_DST])
		if !ok {
			continue
		}
		bits := dst.BitLen() // a host route carries no netmask
		if rm.Flags&syscall.RTF_HOST == 0 {
			bits = 0 // the default route's netmask may be left out too
			if mask, ok := bsdAddr(rm.Addrs[syscall.RTAX_NETMASK]); ok {
				bits = maskBits(mask)
			}
		}
		rows = append(rows, routeEntry{IfIndex: rm.Index, Dst: netip.PrefixFrom(dst, bits)})
	}
	return prefixesVia(rows, i.Index), true
}

func bsdAddr(a route.Addr) (netip.Addr, bool) {
	switch a := a.(type) {
	case *route.Inet4Addr:
		return netip.AddrFrom4(a.IP), true
	case *route.Inet6Addr:
		return netip.AddrFrom16(a.IP), true
	}
	return netip.Addr{}, false
}
