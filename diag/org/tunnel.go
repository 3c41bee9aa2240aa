package orgcheck

import (
	"net"
	"net/netip"
	"strings"
)

// tunnelPrefixes are interface names VPN clients create: the kernel's
// tun/tap, WireGuard (wg, and wg-quick's names), PPP (PPTP, L2TP), macOS
// utun, IPsec VTI/XFRM, GlobalProtect (gpd), AnyConnect (cscotun), Tailscale,
// ZeroTier, NordLynx.
var tunnelPrefixes = []string{"tun", "tap", "wg", "ppp", "utun", "ipsec", "vti", "xfrm", "gpd", "cscotun", "tailscale", "zt", "nordlynx"}

// tunnelWords are words in Windows adapter names (friendly name or driver
// description) of VPN adapters.
var tunnelWords = []string{"vpn", "wireguard", "openvpn", "tap-windows", "wintun", "anyconnect", "globalprotect", "pangp",
	"fortinet", "forticlient", "juniper", "pulse secure", "ivanti", "f5 ", "zscaler", "check point", "sonicwall", "tailscale", "zerotier"}

// isTunnelName reports whether an interface name looks like a VPN tunnel.
func isTunnelName(name string) bool {
	n := strings.ToLower(name)
	for _, p := range tunnelPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	for _, w := range tunnelWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// tunnel is one tunnel adapter.
type tunnel struct {
	Name  string   `json:"name"`
	Up    bool     `json:"up"`
	Kind  string   `json:"kind,omitempty"`
	Addrs []string `json:"addresses,omitempty"`
}

// listTunnels returns the tunnel adapters, up or not.
func listTunnels() ([]tunnel, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var out []tunnel
	for _, ifc := range ifs {
		kind := tunnelKind(ifc.Name)
		if kind == "" && !isTunnelName(ifc.Name) {
			continue
		}
		t := tunnel{Name: ifc.Name, Up: ifc.Flags&net.FlagUp != 0 && ifc.Flags&net.FlagRunning != 0, Kind: kind}
		if addrs, err := ifc.Addrs(); err == nil {
			for _, a := range addrs {
				t.Addrs = append(t.Addrs, a.String())
			}
		}
		// A tunnel with no address carries nothing (a disconnected client
		// leaves its adapter up on some systems).
		if len(t.Addrs) == 0 {
			t.Up = false
		}
		out = append(out, t)
	}
	return out, nil
}

// upTunnels is the set of tunnel interfaces that are up.
func upTunnels() map[string]bool {
	ts, _ := listTunnels()
	out := map[string]bool{}
	for _, t := range ts {
		if t.Up {
			out[t.Name] = true
		}
	}
	return out
}

// probeAddr is the documentation address (TEST-NET-2) whose route stands
// for "the internet": a full tunnel routes it through the tunnel.
var probeAddr = netip.MustParseAddr("198.51.100.1")

// routeIface names the interface the OS would send to addr through: a
// connected UDP socket sends nothing but makes the kernel pick the route
// (policy routing and metrics included) and its source address.
func routeIface(addr netip.Addr) string {
	if !addr.IsValid() || addr.IsLoopback() {
		return ""
	}
	conn, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, 9)))
	if err != nil {
		return ""
	}
	src := conn.LocalAddr().(*net.UDPAddr).AddrPort().Addr().Unmap()
	_ = conn.Close()
	ifs, err := net.Interfaces()
	if err != nil {
		return ""
	}
	for _, ifc := range ifs {
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if p, err := netip.ParsePrefix(a.String()); err == nil && p.Addr().Unmap() == src {
				return ifc.Name
			}
		}
	}
	return ""
}
