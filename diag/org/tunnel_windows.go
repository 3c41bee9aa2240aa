//go:build windows

package orgcheck

import (
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

// IANA ifType values of tunnel adapters (ipifcons.h).
const (
	ifTypePPP    = 23
	ifTypeTunnel = 131
)

// tunnelKind looks the adapter up by its friendly name (what Go's
// net.Interfaces reports on Windows): its IANA type and driver description
// name VPN adapters whose friendly name is "Ethernet 3".
func tunnelKind(name string) string {
	size := uint32(15 << 10)
	for range 3 {
		buf := make([]byte, size)
		aa := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0]))
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, 0, 0, aa, &size)
		if err == windows.ERROR_BUFFER_OVERFLOW {
			continue
		}
		if err != nil {
			return ""
		}
		for a := aa; a != nil; a = a.Next {
			if windows.UTF16PtrToString(a.FriendlyName) != name {
				continue
			}
			desc := windows.UTF16PtrToString(a.Description)
			switch {
			case isTunnelName(desc):
				return strings.TrimSpace(desc)
			case a.IfType == ifTypePPP:
				return "ppp"
			case a.IfType == ifTypeTunnel && !ipv6Transition(desc):
				return "tunnel"
			}
			return ""
		}
		return ""
	}
	return ""
}

// ipv6Transition reports Windows' own IPv6 transition tunnels (Teredo,
// ISATAP, 6to4, IP-HTTPS), which are tunnels but not VPNs.
func ipv6Transition(desc string) bool {
	d := strings.ToLower(desc)
	for _, w := range []string{"teredo", "isatap", "6to4", "ip-https"} {
		if strings.Contains(d, w) {
			return true
		}
	}
	return false
}
