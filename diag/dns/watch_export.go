package dnscheck

import "net/netip"

// SystemServers returns the DNS servers the machine uses, as dns-config
// reads them: the configured servers, a local stub's upstreams and
// per-domain servers (l2diag watch re-reads them to see changes).
func SystemServers() ([]netip.AddrPort, error) {
	c, _, err := systemConfig(systemPaths)
	if err != nil {
		return nil, err
	}
	servers := append([]netip.AddrPort(nil), c.Servers...)
	if c.Stub {
		servers = appendNew(servers, c.Upstreams...)
	}
	return appendNew(servers, scopedServers(c)...), nil
}
