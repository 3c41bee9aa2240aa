package watch

import (
	"bufio"
	"bytes"
	"net"
	"net/netip"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// SystemState is what the watch re-reads of the machine's network.
type SystemState struct {
	// Links maps an interface name to its state; loopback is left out.
	Links map[string]Link
	// Gateways and DNSServers as the OS has them now; Err* say why one
	// could not be read (then no change is reported for it).
	Gateways    []string
	GatewaysErr string
	DNSServers  []string
	DNSErr      string
	// WiFi maps a wireless interface to its signal level in dBm, where the
	// OS exposes it (Linux /proc/net/wireless).
	WiFi map[string]float64
	// WiFiAPs maps an associated Wi-Fi interface to its access point,
	// where nl80211 can be asked (Linux): a new BSSID is a roam.
	WiFiAPs map[string]WiFiAP
}

// Link is one interface.
type Link struct {
	Up bool // administratively up and with carrier (running)
	// Addrs are its addresses without link-local ones, sorted.
	Addrs []string
	VPN   bool
}

// vpnPrefixes are interface names of tunnels: WireGuard, OpenVPN tun/tap,
// PPP, macOS utun, IPsec vti/xfrm, and common vendor names.
var vpnPrefixes = []string{"tun", "tap", "wg", "ppp", "utun", "ipsec", "vti", "xfrm", "gpd", "cscotun", "vpn", "nordlynx", "tailscale", "zt"}

func isVPN(name string) bool {
	n := strings.ToLower(name)
	for _, p := range vpnPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// ReadLinks reads the interfaces with the standard library.
func ReadLinks() map[string]Link {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil
	}
	out := map[string]Link{}
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		l := Link{Up: ifc.Flags&net.FlagUp != 0 && ifc.Flags&net.FlagRunning != 0, VPN: isVPN(ifc.Name)}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			p, err := netip.ParsePrefix(a.String())
			if err != nil || p.Addr().IsLinkLocalUnicast() {
				continue
			}
			l.Addrs = append(l.Addrs, p.String())
		}
		sort.Strings(l.Addrs)
		out[ifc.Name] = l
	}
	return out
}

// ReadWiFi parses /proc/net/wireless (Linux); nil elsewhere or without
// wireless interfaces.
func ReadWiFi() map[string]float64 {
	data, err := os.ReadFile("/proc/net/wireless")
	if err != nil {
		return nil
	}
	return parseWireless(data)
}

// parseWireless reads the signal level (dBm) per interface from the
// /proc/net/wireless table:
//
//	Inter-| sta-|   Quality        |   Discarded packets
//	 face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22
//	wlan0: 0000   54.  -56.  -256        0      0      0      0     12        0
func parseWireless(data []byte) map[string]float64 {
	out := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) < 3 {
			continue
		}
		level, err := strconv.ParseFloat(strings.TrimSuffix(f[2], "."), 64)
		if err != nil {
			continue
		}
		out[strings.TrimSpace(name)] = level
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// change is one difference between two system states.
type change struct {
	kind   string
	target string // the interface, for link-down/up pairing
	up     bool   // for link and VPN changes: the new state
	detail string
	roam   *Roam    // for a roam: from and to
	ssids  []string // the Wi-Fi network names detail names
}

// weakSignal is the level below which a Wi-Fi link is unreliable
// (-75 dBm: below it, rates drop and roaming starts).
const weakSignal = -75

// diffSystem lists what changed from a to b.
func diffSystem(a, b SystemState) []change {
	var out []change
	names := map[string]bool{}
	for n := range a.Links {
		names[n] = true
	}
	for n := range b.Links {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		la, inA := a.Links[n]
		lb, inB := b.Links[n]
		wasUp, isUp := inA && la.Up, inB && lb.Up
		if wasUp != isUp {
			kind, verb := KindLinkDown, "went down"
			if isUp {
				verb = "came up"
			}
			if !inB {
				verb = "disappeared"
			} else if !inA {
				verb = "appeared"
			}
			if la.VPN || lb.VPN {
				kind = KindVPNDown
				if isUp {
					kind = KindVPNUp
				}
			}
			out = append(out, change{kind: kind, target: n, up: isUp, detail: "interface " + n + " " + verb})
			continue
		}
		if inA && inB && !slices.Equal(la.Addrs, lb.Addrs) {
			out = append(out, change{kind: KindAddressChange, target: n,
				detail: "addresses of " + n + ": " + list(la.Addrs) + " → " + list(lb.Addrs)})
		}
	}
	if a.GatewaysErr == "" && b.GatewaysErr == "" && !slices.Equal(a.Gateways, b.Gateways) {
		out = append(out, change{kind: KindGatewayChange, detail: "default gateways: " + list(a.Gateways) + " → " + list(b.Gateways)})
	}
	if a.DNSErr == "" && b.DNSErr == "" && !slices.Equal(a.DNSServers, b.DNSServers) {
		out = append(out, change{kind: KindDNSChange, detail: "DNS servers: " + list(a.DNSServers) + " → " + list(b.DNSServers)})
	}
	out = append(out, diffWiFi(a.WiFiAPs, b.WiFiAPs)...)
	for n, lv := range b.WiFi {
		old, ok := a.WiFi[n]
		if ok && old >= weakSignal && lv < weakSignal {
			out = append(out, change{kind: KindWiFiSignal, target: n,
				detail: "Wi-Fi signal of " + n + " dropped to " + strconv.FormatFloat(lv, 'f', 0, 64) + " dBm (was " + strconv.FormatFloat(old, 'f', 0, 64) + ")"})
		}
	}
	return out
}

func list(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
