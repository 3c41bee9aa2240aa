package netproxy

import (
	"context"
	"net"
	"net/netip"
)

// SystemHost is the Host of this machine for a PAC script outside a run
// (ticket uploads): the OS resolver and the first non-loopback IPv4
// address of an interface that is up.
func SystemHost() Host {
	return Host{
		Resolve: ResolveIPv4,
		MyIP: func() string {
			ifs, _ := net.Interfaces()
			for _, ifc := range ifs {
				if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
					continue
				}
				addrs, _ := ifc.Addrs()
				for _, a := range addrs {
					if p, err := netip.ParsePrefix(a.String()); err == nil && p.Addr().Is4() && !p.Addr().IsLinkLocalUnicast() {
						return p.Addr().String()
					}
				}
			}
			return ""
		},
	}
}

// ResolveIPv4 is a Host's Resolve through the OS resolver: the IPv4
// addresses of host, as PAC's dnsResolve gives them.
func ResolveIPv4(ctx context.Context, host string) ([]string, error) {
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip4", host)
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, a.Unmap().String())
	}
	return out, err
}
