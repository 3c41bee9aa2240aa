//go:build windows

package orgcheck

import (
	"context"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	netapi32      = windows.NewLazySystemDLL("netapi32.dll")
	procDsGetDcNW = netapi32.NewProc("DsGetDcNameW")
)

// DsGetDcName flags (dsgetdc.h): a DNS-named DC that runs the directory
// service, from the locator's cache when it has one (no forced rediscovery).
const (
	dsDirectoryServiceRequired = 0x00000010
	dsReturnDNSName            = 0x40000000
)

// domainControllerInfo is DOMAIN_CONTROLLER_INFOW.
type domainControllerInfo struct {
	DomainControllerName    *uint16
	DomainControllerAddress *uint16
	DomainControllerAddrTyp uint32
	DomainGUID              windows.GUID
	DomainName              *uint16
	DNSForestName           *uint16
	Flags                   uint32
	DcSiteName              *uint16
	ClientSiteName          *uint16
}

// osMembership asks NetGetJoinInformation whether the machine is joined,
// GetComputerNameEx for the DNS domain, and DsGetDcName for the DC and
// site the OS's locator uses. A failing API (wine implements only some of
// them) is "could not read", never "not joined".
func osMembership(ctx context.Context) (membership, error) {
	m := membership{Seen: map[string]string{}, Source: "NetGetJoinInformation"}
	var name *uint16
	var typ uint32
	if err := windows.NetGetJoinInformation(nil, &name, &typ); err != nil {
		return m, fmt.Errorf("org: NetGetJoinInformation: %w", err)
	}
	netbios := windows.UTF16PtrToString(name)
	_ = windows.NetApiBufferFree((*byte)(unsafe.Pointer(name)))
	if typ != windows.NetSetupDomainName {
		m.Seen["join_status"] = joinStatus(typ)
		if netbios != "" {
			m.Seen["workgroup"] = netbios
		}
		return m, nil
	}
	m.Joined = true
	m.Seen["netbios_domain"] = netbios
	buf := make([]uint16, 256)
	n := uint32(len(buf))
	if err := windows.GetComputerNameEx(windows.ComputerNameDnsDomain, &buf[0], &n); err == nil {
		m.Domain = strings.ToLower(windows.UTF16ToString(buf[:n]))
		m.Realm = strings.ToUpper(m.Domain)
	} else {
		m.Unreadable = append(m.Unreadable, "GetComputerNameEx(ComputerNameDnsDomain): "+err.Error())
	}
	// DsGetDcName can block for the locator's whole discovery (tens of
	// seconds with no DC in reach): it runs aside and is abandoned at the
	// deadline.
	type dcResult struct {
		dc, site, domain string
		err              error
	}
	if err := procDsGetDcNW.Find(); err != nil {
		m.Unreadable = append(m.Unreadable, "DsGetDcName: "+err.Error())
		return m, nil
	}
	ch := make(chan dcResult, 1)
	go func() {
		var info *domainControllerInfo
		r, _, _ := procDsGetDcNW.Call(0, 0, 0, 0, dsDirectoryServiceRequired|dsReturnDNSName, uintptr(unsafe.Pointer(&info)))
		if r != 0 {
			ch <- dcResult{err: fmt.Errorf("DsGetDcName: %w", windows.Errno(r))}
			return
		}
		defer windows.NetApiBufferFree((*byte)(unsafe.Pointer(info)))
		ch <- dcResult{
			dc:     strings.TrimPrefix(windows.UTF16PtrToString(info.DomainControllerName), `\\`),
			site:   windows.UTF16PtrToString(info.ClientSiteName),
			domain: windows.UTF16PtrToString(info.DomainName),
		}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			m.Unreadable = append(m.Unreadable, r.err.Error())
			break
		}
		m.DC, m.Site = r.dc, r.site
		if m.Domain == "" && r.domain != "" {
			m.Domain, m.Realm = strings.ToLower(r.domain), strings.ToUpper(r.domain)
		}
	case <-ctx.Done():
		m.Unreadable = append(m.Unreadable, "DsGetDcName: no answer before the check's deadline")
	}
	return m, nil
}

func joinStatus(t uint32) string {
	switch t {
	case windows.NetSetupUnjoined:
		return "unjoined"
	case windows.NetSetupWorkgroupName:
		return "workgroup"
	}
	return fmt.Sprintf("unknown (%d)", t)
}
