package netcheck

import "net/netip"

// DefaultGateways returns the gateways of the default routes, as
// net-gateway reads them (l2diag watch re-reads them to see changes).
func DefaultGateways() ([]netip.Addr, error) {
	routes, _, err := defaultRoutes()
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, r := range routes {
		if r.Gateway.IsValid() && !r.Gateway.IsUnspecified() {
			out = append(out, r.Gateway)
		}
	}
	return out, nil
}
