//go:build darwin

package netcheck

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"

	"golang.org/x/net/route"
)

func routeSource(string) string { return "routing socket" }

// defaultRoutes reads the routing table through the routing socket.
func defaultRoutes() ([]defaultRoute, map[string][]byte, error) {
	rib, err := route.FetchRIB(syscall.AF_UNSPEC, route.RIBTypeRoute, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch routing table: %w", err)
	}
	msgs, err := route.ParseRIB(route.RIBTypeRoute, rib)
	if err != nil {
		return nil, nil, fmt.Errorf("parse routing table: %w", err)
	}
	routes := []defaultRoute{}
	for _, m := range msgs {
		rm, ok := m.(*route.RouteMessage)
		if !ok || len(rm.Addrs) <= syscall.RTAX_NETMASK || rm.Flags&syscall.RTF_UP == 0 {
			continue
		}
		var r defaultRoute
		switch dst := rm.Addrs[syscall.RTAX_DST].(type) {
		case *route.Inet4Addr:
			if dst.IP != [4]byte{} {
				continue
			}
			r.Family = "ipv4"
		case *route.Inet6Addr:
			if dst.IP != [16]byte{} {
				continue
			}
			r.Family = "ipv6"
		default:
			continue
		}
		if !zeroMask(rm.Addrs[syscall.RTAX_NETMASK]) {
			continue
		}
		if ifc, err := net.InterfaceByIndex(rm.Index); err == nil {
			r.Interface = ifc.Name
		}
		switch gw := rm.Addrs[syscall.RTAX_GATEWAY].(type) {
		case *route.Inet4Addr:
			r.Gateway = netip.AddrFrom4(gw.IP)
		case *route.Inet6Addr:
			r.Gateway = netip.AddrFrom16(gw.IP)
			if r.Gateway.IsLinkLocalUnicast() && r.Interface != "" {
				r.Gateway = r.Gateway.WithZone(r.Interface)
			}
		}
		if rm.Flags&syscall.RTF_GATEWAY == 0 {
			r.Gateway = netip.Addr{}
		}
		routes = append(routes, r)
	}
	return routes, nil, nil
}

func zeroMask(a route.Addr) bool {
	switch m := a.(type) {
	case nil:
		return true
	case *route.Inet4Addr:
		return m.IP == [4]byte{}
	case *route.Inet6Addr:
		return m.IP == [16]byte{}
	}
	return false
}
