//go:build linux

package netcheck

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

const (
	procRoute     = "/proc/net/route"
	procIPv6Route = "/proc/net/ipv6_route"
	rtfUp         = 0x1
	rtfGateway    = 0x2
	rtfReject     = 0x200
)

func routeSource(name string) string {
	if name == "ipv6_route" {
		return procIPv6Route
	}
	return procRoute
}

// defaultRoutes reads the main routing table from /proc: no netlink
// dependency, and the same text goes to the bundle as evidence.
func defaultRoutes() ([]defaultRoute, map[string][]byte, error) {
	raw := map[string][]byte{}
	var routes []defaultRoute
	var firstErr error
	if data, err := os.ReadFile(procRoute); err == nil {
		raw["route"] = data
		routes = append(routes, parseProcRoute(data)...)
	} else {
		firstErr = fmt.Errorf("read %s: %w", procRoute, err)
	}
	if data, err := os.ReadFile(procIPv6Route); err == nil {
		raw["ipv6_route"] = data
		routes = append(routes, parseProcIPv6Route(data)...)
	}
	if routes == nil && firstErr == nil {
		routes = []defaultRoute{}
	}
	return routes, raw, firstErr
}

// parseProcRoute parses /proc/net/route: Iface Destination Gateway Flags
// RefCnt Use Metric Mask ..., addresses as little-endian hex.
func parseProcRoute(data []byte) []defaultRoute {
	var out []defaultRoute
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 8 || f[0] == "Iface" {
			continue
		}
		flags, err := strconv.ParseUint(f[3], 16, 32)
		if err != nil || flags&rtfUp == 0 || f[1] != "00000000" || f[7] != "00000000" {
			continue
		}
		r := defaultRoute{Family: "ipv4", Interface: f[0]}
		r.Metric, _ = strconv.Atoi(f[6])
		if flags&rtfGateway != 0 {
			if b, err := hex.DecodeString(f[2]); err == nil && len(b) == 4 {
				var a [4]byte
				binary.LittleEndian.PutUint32(a[:], binary.BigEndian.Uint32(b))
				r.Gateway = netip.AddrFrom4(a)
			}
		}
		out = append(out, r)
	}
	return out
}

// parseProcIPv6Route parses /proc/net/ipv6_route: dest destlen src srclen
// nexthop metric refcnt use flags iface, addresses as plain hex.
func parseProcIPv6Route(data []byte) []defaultRoute {
	var out []defaultRoute
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[0] != strings.Repeat("0", 32) || f[1] != "00" {
			continue
		}
		flags, err := strconv.ParseUint(f[8], 16, 32)
		if err != nil || flags&rtfUp == 0 || flags&rtfReject != 0 || f[9] == "lo" {
			continue
		}
		r := defaultRoute{Family: "ipv6", Interface: f[9]}
		m, _ := strconv.ParseUint(f[5], 16, 32)
		r.Metric = int(m)
		if b, err := hex.DecodeString(f[4]); err == nil && len(b) == 16 {
			if a := netip.AddrFrom16([16]byte(b)); !a.IsUnspecified() {
				r.Gateway = a
				if a.IsLinkLocalUnicast() {
					// Only a link-local gateway needs its interface.
					r.Gateway = a.WithZone(r.Interface)
				}
			}
		}
		out = append(out, r)
	}
	return out
}
