package orgcheck

import "os"

// tunnelRoutes reads the main routing table's prefixes through ifc.
func tunnelRoutes(ifc string) ([]string, bool) {
	v4, err := os.ReadFile("/proc/net/route")
	if err != nil {
		return nil, false
	}
	out := parseProcRoute(v4, ifc)
	if v6, err := os.ReadFile("/proc/net/ipv6_route"); err == nil {
		out = append(out, parseProcIPv6Route(v6, ifc)...)
	}
	return out, true
}
