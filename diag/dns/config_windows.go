package dnscheck

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// systemPaths: Windows keeps no resolver file; only the hosts file.
var systemPaths = Paths{
	Hosts: filepath.Join(os.Getenv("SystemRoot"), `System32\drivers\etc\hosts`),
}

// systemConfig reads the DNS servers and suffixes of every adapter that is
// up, through the IP helper API (what ipconfig /all shows).
func systemConfig(Paths) (*Config, []rawFile, error) {
	c := &Config{Source: "GetAdaptersAddresses", Ndots: defaultNdots, Timeout: 1, Attempts: defaultAttempts}
	var suffixes winSuffixes
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
		suffixes.Adapters = append(suffixes.Adapters, ad.Suffix)
		for s := a.FirstDnsSuffix; s != nil; s = s.Next {
			suffixes.Adapters = append(suffixes.Adapters, windows.UTF16ToString(s.String[:]))
		}
		c.Adapters = append(c.Adapters, ad)
	}
	suffixes.Primary = regString(registry.LOCAL_MACHINE, tcpipParams, "Domain")
	suffixes.SearchList = regString(registry.LOCAL_MACHINE, tcpipParams, "SearchList")
	suffixes.PolicyPrimary = regString(registry.LOCAL_MACHINE, dnsClientPolicy, "PrimaryDnsSuffix")
	suffixes.PolicySearchList = regString(registry.LOCAL_MACHINE, dnsClientPolicy, "SearchList")
	c.Search, c.PrimarySuffix, c.SearchSource = suffixes.searchList()
	c.Scoped = nrptRules()
	return c, nil, nil
}

const (
	tcpipParams     = `SYSTEM\CurrentControlSet\Services\Tcpip\Parameters`
	dnsClientPolicy = `SOFTWARE\Policies\Microsoft\Windows NT\DNSClient`
)

// nrptLocations hold Name Resolution Policy Table rules: group policy's,
// then the local ones (Add-DnsClientNrptRule without a GPO).
var nrptLocations = []string{
	dnsClientPolicy + `\DnsPolicyConfig`,
	`SYSTEM\CurrentControlSet\Services\Dnscache\Parameters\DnsPolicyConfig`,
}

// nrptRules reads the NRPT: per-namespace DNS servers (DirectAccess, VPN
// split DNS). Each rule's Name lists namespaces (".corp.example" for a
// suffix) and GenericDNSServers the servers, ";"-separated. Rules without
// servers (DNSSEC-only, proxy settings) are left out.
func nrptRules() map[string][]netip.AddrPort {
	out := map[string][]netip.AddrPort{}
	for _, loc := range nrptLocations {
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, loc, registry.ENUMERATE_SUB_KEYS)
		if err != nil {
			continue
		}
		rules, _ := k.ReadSubKeyNames(-1)
		k.Close()
		for _, r := range rules {
			rk, err := registry.OpenKey(registry.LOCAL_MACHINE, loc+`\`+r, registry.QUERY_VALUE)
			if err != nil {
				continue
			}
			names, _, _ := rk.GetStringsValue("Name")
			servers, _, _ := rk.GetStringValue("GenericDNSServers")
			rk.Close()
			var aps []netip.AddrPort
			for _, f := range strings.FieldsFunc(servers, func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
				if a, err := netip.ParseAddr(f); err == nil {
					aps = append(aps, netip.AddrPortFrom(a.Unmap(), 53))
				}
			}
			for _, n := range names {
				if n = strings.TrimSpace(n); n != "" && len(aps) > 0 && out[n] == nil {
					out[n] = aps
				}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// regString reads a string value, "" when it is absent.
func regString(root registry.Key, path, name string) string {
	k, err := registry.OpenKey(root, path, registry.QUERY_VALUE)
	if err != nil {
		return ""
	}
	defer k.Close()
	v, _, err := k.GetStringValue(name)
	if err != nil {
		return ""
	}
	return v
}
