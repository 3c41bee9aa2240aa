//go:build windows

package netcheck

import (
	"fmt"
	"net"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/windows"
)

func routeSource(string) string { return "GetIpForwardTable2" }

// defaultRoutes reads the routing table through the IP helper API.
func defaultRoutes() ([]defaultRoute, map[string][]byte, error) {
	var table *windows.MibIpForwardTable2
	if err := windows.GetIpForwardTable2(windows.AF_UNSPEC, &table); err != nil {
		return nil, nil, fmt.Errorf("GetIpForwardTable2: %w", err)
	}
	defer windows.FreeMibTable(unsafe.Pointer(table))
	routes := []defaultRoute{}
	for _, row := range table.Rows() {
		if row.DestinationPrefix.PrefixLength != 0 {
			continue
		}
		r := defaultRoute{Metric: int(row.Metric)}
		if ifc, err := net.InterfaceByIndex(int(row.InterfaceIndex)); err == nil {
			r.Interface = ifc.Name
		}
		switch row.NextHop.Family {
		case windows.AF_INET:
			r.Family = "ipv4"
			sa := (*windows.RawSockaddrInet4)(unsafe.Pointer(&row.NextHop))
			r.Gateway = netip.AddrFrom4(sa.Addr)
		case windows.AF_INET6:
			r.Family = "ipv6"
			sa := (*windows.RawSockaddrInet6)(unsafe.Pointer(&row.NextHop))
			r.Gateway = netip.AddrFrom16(sa.Addr)
		default:
			continue
		}
		if r.Gateway.IsUnspecified() {
			r.Gateway = netip.Addr{}
		} else if r.Gateway.Is6() && r.Gateway.IsLinkLocalUnicast() && r.Interface != "" {
			r.Gateway = r.Gateway.WithZone(r.Interface)
		}
		routes = append(routes, r)
	}
	return routes, nil, nil
}
