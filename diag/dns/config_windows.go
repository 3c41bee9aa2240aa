package dnscheck

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"unsafe"

	"golang.org/x/sys/windows"
)

// systemPaths: Windows keeps no resolver file; only the hosts file.
var systemPaths = Paths{
	Hosts: filepath.Join(os.Getenv("SystemRoot"), `System32\drivers\etc\hosts`),
}

// systemConfig reads the DNS servers and suffixes of every adapter that is
// up, through the IP helper API (what ipconfig /all shows).
func systemConfig(Paths) (*Config, []rawFile, error) {
	c := &Config{Source: "GetAdaptersAddresses", Ndots: defaultNdots, Timeout: 1, Attempts: defaultAttempts}
	size := uint32(15 * 1024)
	var buf []byte
	for range 3 {
		buf = make([]byte, size)
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC,
			windows.GAA_FLAG_SKIP_ANYCAST|windows.GAA_FLAG_SKIP_MULTICAST,
			0, (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0])), &size)
		if errors.Is(err, windows.ERROR_BUFFER_OVERFLOW) {
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("dns: GetAdaptersAddresses: %w", err)
		}
		break
	}
	for a := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0])); a != nil; a = a.Next {
		if a.OperStatus != windows.IfOperStatusUp || a.IfType == windows.IF_TYPE_SOFTWARE_LOOPBACK {
			continue
		}
		ad := Adapter{Name: windows.UTF16PtrToString(a.FriendlyName), Suffix: windows.UTF16PtrToString(a.DnsSuffix)}
		for s := a.FirstDnsServerAddress; s != nil; s = s.Next {
			ip, ok := netip.AddrFromSlice(s.Address.IP())
			if !ok {
				continue
			}
			ap := netip.AddrPortFrom(ip.Unmap(), 53)
			ad.Servers = append(ad.Servers, ap)
			if !slices.Contains(c.Servers, ap) {
				c.Servers = append(c.Servers, ap)
			}
		}
		if ad.Suffix != "" && !slices.Contains(c.Search, ad.Suffix) {
			c.Search = append(c.Search, ad.Suffix)
		}
		for s := a.FirstDnsSuffix; s != nil; s = s.Next {
			d := windows.UTF16ToString(s.String[:])
			if d != "" && !slices.Contains(c.Search, d) {
				c.Search = append(c.Search, d)
			}
		}
		c.Adapters = append(c.Adapters, ad)
	}
	return c, nil, nil
}
