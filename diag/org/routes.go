package orgcheck

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
)

// parseProcRoute returns the IPv4 prefixes /proc/net/route routes through
// ifc (the main table only: policy routes of wg-quick are not in it).
func parseProcRoute(data []byte, ifc string) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 8 || f[0] != ifc {
			continue
		}
		dst, ok1 := hexIPv4(f[1])
		mask, ok2 := hexIPv4(f[7])
		if !ok1 || !ok2 {
			continue
		}
		bits := 0
		for _, b := range mask.As4() {
			for ; b != 0; b <<= 1 {
				bits++
			}
		}
		out = append(out, netip.PrefixFrom(dst, bits).Masked().String())
	}
	return out
}

// parseProcIPv6Route returns the IPv6 prefixes /proc/net/ipv6_route routes
// through ifc, leaving out link-local and multicast ones every interface has.
func parseProcIPv6Route(data []byte, ifc string) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[9] != ifc {
			continue
		}
		b, err := hex.DecodeString(f[0])
		if err != nil || len(b) != 16 {
			continue
		}
		var bits int
		if _, err := fmt.Sscanf(f[1], "%x", &bits); err != nil {
			continue
		}
		a := netip.AddrFrom16([16]byte(b))
		if a.IsLinkLocalUnicast() || a.IsMulticast() {
			continue
		}
		out = append(out, netip.PrefixFrom(a, bits).String())
	}
	return out
}

// hexIPv4 decodes /proc/net/route's host-order (little-endian) hex.
func hexIPv4(s string) (netip.Addr, bool) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 4 {
		return netip.Addr{}, false
	}
	var a [4]byte
	binary.BigEndian.PutUint32(a[:], binary.LittleEndian.Uint32(b))
	return netip.AddrFrom4(a), true
}
