//go:build windows

package orgcheck

import (
	"net"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/windows"
)

// tunnelRoutes reads the routing table with GetIpForwardTable2 (IPv4 and
// IPv6) and keeps the prefixes routed through ifc. ok is false when the
// table cannot be read (wine implements it; an old or broken IP helper
// may not): the caller then says nothing about the tunnel's routes.
func tunnelRoutes(ifc string) ([]string, bool) {
	i, err := net.InterfaceByName(ifc)
	if err != nil {
		return nil, false
	}
	rows, err := windowsRoutes()
	if err != nil {
		return nil, false
	}
	return prefixesVia(rows, i.Index), true
}

func windowsRoutes() ([]routeEntry, error) {
	var tab *windows.MibIpForwardTable2
	if err := windows.GetIpForwardTable2(windows.AF_UNSPEC, &tab); err != nil {
		return nil, err
	}
	defer windows.FreeMibTable(unsafe.Pointer(tab))
	var out []routeEntry
	for _, r := range tab.Rows() {
		if a, ok := sockaddrInet(&r.DestinationPrefix.Prefix); ok {
			out = append(out, routeEntry{IfIndex: int(r.InterfaceIndex), Dst: netip.PrefixFrom(a, int(r.DestinationPrefix.PrefixLength))})
		}
	}
	return out, nil
}

// sockaddrInet reads a SOCKADDR_INET union: its family says whether the
// bytes after it are a sockaddr_in or a sockaddr_in6.
func sockaddrInet(sa *windows.RawSockaddrInet) (netip.Addr, bool) {
	switch sa.Family {
	case windows.AF_INET:
		v4 := (*windows.RawSockaddrInet4)(unsafe.Pointer(sa))
		return netip.AddrFrom4(v4.Addr), true
	case windows.AF_INET6:
		v6 := (*windows.RawSockaddrInet6)(unsafe.Pointer(sa))
		return netip.AddrFrom16(v6.Addr), true
	}
	return netip.Addr{}, false
}
