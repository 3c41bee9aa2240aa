package orgcheck

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/miekg/dns"
)

// The "LDAP ping" (MS-ADTS 6.3.3) is how the Windows DC locator and sssd's
// AD provider learn the client's site: a connectionless (UDP 389) LDAP
// search of the rootDSE for the Netlogon attribute, with the domain and
// the NetLogon version wanted in the filter. The DC answers with a
// NETLOGON_SAM_LOGON_RESPONSE_EX (MS-ADTS 6.3.1.9).

// ntVersion asks for the 5EX response with the closest-site name
// (NETLOGON_NT_VERSION_5 | _5EX | _WITH_CLOSEST_SITE), as the Windows
// locator does; the value travels little-endian in the filter.
const ntVersion = 0x00000016

// The NetLogon opcodes a DC answers an LDAP ping with (MS-ADTS 6.3.1.9).
const (
	opLogonResponseEx     = 23 // LOGON_SAM_LOGON_RESPONSE_EX
	opLogonPauseEx        = 24 // LOGON_SAM_PAUSE_RESPONSE_EX: netlogon paused
	opLogonUserUnknownEx  = 25 // LOGON_SAM_USER_UNKNOWN_EX: the user asked is not known
	netlogonFixedLen      = 24 // opcode, sbz, flags, domain GUID
	netlogonVersionsWords = 8  // NtVersion, LmNtToken, Lm20Token
)

// The DS_FLAG bits a DC sets in its answer (MS-ADTS 6.3.1.2, dsgetdc.h).
var dsFlags = []struct {
	bit  uint32
	name string
}{
	{0x00000001, "pdc"},
	{0x00000004, "gc"},
	{0x00000008, "ldap"},
	{0x00000010, "ds"},
	{0x00000020, "kdc"},
	{0x00000040, "timeserv"},
	{0x00000080, "closest"},
	{0x00000100, "writable"},
	{0x00000200, "good_timeserv"},
	{0x00000400, "ndnc"},
	{0x00000800, "rodc"},
	{0x00001000, "full_secret"},
	{0x00002000, "ws"},
	{0x00004000, "ds_8"},
	{0x00008000, "ds_9"},
	{0x00010000, "ds_10"},
}

const (
	dsFlagKDC      = 0x00000020
	dsFlagClosest  = 0x00000080
	dsFlagWritable = 0x00000100
)

// netlogonResponse is the part of NETLOGON_SAM_LOGON_RESPONSE_EX the
// verdicts and the technician use.
type netlogonResponse struct {
	Opcode          uint16
	Flags           uint32
	DomainGUID      [16]byte
	DNSForestName   string
	DNSDomainName   string
	DNSHostName     string
	NetbiosDomain   string
	NetbiosComputer string
	UserName        string
	DCSiteName      string
	ClientSiteName  string
	// NextClosestSite is set when the client's site has no DC and the DC
	// knows the next closest one (Windows Server 2008 and later).
	NextClosestSite string
}

// flagNames lists the set DS_FLAG bits by name.
func (r netlogonResponse) flagNames() []string {
	var out []string
	for _, f := range dsFlags {
		if r.Flags&f.bit != 0 {
			out = append(out, f.name)
		}
	}
	return out
}

// parseNetlogon decodes a NETLOGON_SAM_LOGON_RESPONSE_EX. Its names are
// RFC 1035 names, compressed with pointers relative to the structure's
// start, so miekg/dns unpacks them. The trailing fields (DcSockAddr only
// when 5EX_WITH_IP was asked, NextClosestSiteName, the version words) are
// read when present; a DC may omit what the request did not ask for.
func parseNetlogon(b []byte) (netlogonResponse, error) {
	var r netlogonResponse
	if len(b) < netlogonFixedLen {
		return r, fmt.Errorf("netlogon response of %d bytes, shorter than its %d-byte header", len(b), netlogonFixedLen)
	}
	r.Opcode = binary.LittleEndian.Uint16(b)
	switch r.Opcode {
	case opLogonResponseEx, opLogonPauseEx, opLogonUserUnknownEx:
	default:
		return r, fmt.Errorf("netlogon opcode %d is not a 5EX response", r.Opcode)
	}
	r.Flags = binary.LittleEndian.Uint32(b[4:])
	copy(r.DomainGUID[:], b[8:24])
	off := netlogonFixedLen
	for _, dst := range []*string{&r.DNSForestName, &r.DNSDomainName, &r.DNSHostName, &r.NetbiosDomain, &r.NetbiosComputer, &r.UserName, &r.DCSiteName, &r.ClientSiteName} {
		name, next, err := dns.UnpackDomainName(b, off)
		if err != nil {
			return r, fmt.Errorf("netlogon name at offset %d: %w", off, err)
		}
		*dst, off = strings.TrimSuffix(name, "."), next
	}
	// NextClosestSiteName follows when the DC has one to give and room is
	// left beyond the version words.
	if len(b)-off > netlogonVersionsWords {
		if name, _, err := dns.UnpackDomainName(b, off); err == nil {
			r.NextClosestSite = strings.TrimSuffix(name, ".")
		}
	}
	return r, nil
}

// ldapPing is one DC's answer to the LDAP ping.
type ldapPing struct {
	Addr netip.Addr
	// Local is this machine's address the ping left from.
	Local netip.Addr
	Resp  netlogonResponse
	RTTms float64
	Err   error
}

// cldapPing sends the LDAP ping for domain to addr's UDP 389 and parses the
// Netlogon attribute of the answer. go-ldap speaks CLDAP (its cldap://
// scheme dials UDP, and its Conn runs over any net.Conn); the request
// timeout and the context both bound it.
func cldapPing(ctx context.Context, addr netip.Addr, domain string, timeout time.Duration) ldapPing {
	p := ldapPing{Addr: addr}
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	// go-ldap's cldap:// scheme dials the same UDP socket; dialling it
	// here keeps the local address, the one the DC judges the site by.
	var d net.Dialer
	udp, err := d.DialContext(pctx, "udp", netip.AddrPortFrom(addr, 389).String())
	if err != nil {
		p.Err = fmt.Errorf("org: ldap ping %s: %w", addr, err)
		return p
	}
	if la, ok := udp.LocalAddr().(*net.UDPAddr); ok {
		p.Local = la.AddrPort().Addr().Unmap()
	}
	conn := ldap.NewConn(udp, false)
	conn.Start()
	// Close abandons the search when the context ends first.
	stop := context.AfterFunc(pctx, func() { _ = conn.Close() })
	defer func() {
		stop()
		_ = conn.Close()
	}()
	conn.SetTimeout(timeout)
	var ver [4]byte
	binary.LittleEndian.PutUint32(ver[:], ntVersion)
	filter := fmt.Sprintf("(&(DnsDomain=%s)(NtVer=\\%02x\\%02x\\%02x\\%02x))", ldap.EscapeFilter(domain), ver[0], ver[1], ver[2], ver[3])
	req := ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, filter, []string{"Netlogon"}, nil)
	res, err := conn.Search(req)
	if err != nil {
		if pctx.Err() != nil {
			err = pctx.Err()
		}
		p.Err = fmt.Errorf("org: ldap ping %s: %w", addr, err)
		return p
	}
	p.RTTms = float64(time.Since(start).Microseconds()) / 1000
	if len(res.Entries) == 0 {
		p.Err = fmt.Errorf("org: ldap ping %s: %w", addr, errNoNetlogon)
		return p
	}
	raw := res.Entries[0].GetEqualFoldRawAttributeValue("Netlogon")
	if len(raw) == 0 {
		p.Err = fmt.Errorf("org: ldap ping %s: %w", addr, errNoNetlogon)
		return p
	}
	if p.Resp, err = parseNetlogon(raw); err != nil {
		p.Err = fmt.Errorf("org: ldap ping %s: %w", addr, err)
	}
	return p
}

// errNoNetlogon: the DC answered the search without the attribute (not an
// AD DC, or the domain in the filter is not its own).
var errNoNetlogon = errors.New("answer without a Netlogon attribute (not a DC of this domain?)")
