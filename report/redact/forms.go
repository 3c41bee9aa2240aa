package redact

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// Address classes a pseudonym keeps, so a redacted report still reads
// right: a public address becomes one of the documentation ranges (never
// multicast or private), a private one stays in its private range, v6
// stays v6.
var (
	docNets4 = [3]netip.Addr{netip.MustParseAddr("192.0.2.0"), netip.MustParseAddr("198.51.100.0"), netip.MustParseAddr("203.0.113.0")}
	docNet6  = netip.MustParsePrefix("2001:db8::/32")
	nat64    = netip.MustParsePrefix("64:ff9b::/96")
	// notIdentifying are ranges whose addresses name nobody (reserved,
	// benchmarking, documentation, discard): they stay as they are.
	notIdentifying = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24"),
		netip.MustParsePrefix("240.0.0.0/4"), docNet6, netip.MustParsePrefix("100::/64"), netip.MustParsePrefix("::/8"),
	}
	global6    = netip.MustParsePrefix("2000::/3")
	broadcast4 = netip.MustParseAddr("255.255.255.255")
)

// keepAddr reports whether a stays as it is: loopback, unspecified,
// multicast, broadcast, netmasks and the ranges that name nobody.
func keepAddr(a netip.Addr) bool {
	if a.IsLoopback() || a.IsUnspecified() || a.IsMulticast() || isNetmask(a) || a == broadcast4 {
		return true
	}
	for _, p := range notIdentifying {
		if p.Contains(a) {
			return true
		}
	}
	// v6 outside global unicast, ULA and link-local is reserved space.
	return a.Is6() && keepBits(a) == 0
}

// publicAddr reports whether a is a public unicast address: one the
// prefix-preserving map would otherwise send anywhere (224/4 included).
func publicAddr(a netip.Addr) bool {
	if a.Is6() {
		return global6.Contains(a)
	}
	return keepBits(a) == 0
}

// documentation moves the prefix-preserving pseudonym p of a public
// address into a documentation range. v4: the pseudonym's /24 picks one
// of the three TEST-NETs and its last byte the host, so a real /24 stays
// one pseudonymous /24; a pseudonym already taken by another address moves
// to the next free host. v6: 2001:db8::/32 with the pseudonym's lower 96
// bits, so prefixes of 32 bits and longer are kept.
func (r *Redactor) documentation(p netip.Addr, real string) netip.Addr {
	if p.Is6() {
		b := p.As16()
		copy(b[:4], docNet6.Addr().AsSlice()[:4])
		return netip.AddrFrom16(b)
	}
	b := p.As4()
	v := binary.BigEndian.Uint32(b[:])
	// Hosts 1 to 254 of the chosen TEST-NET: a taken one moves to the
	// next host of the same network first, so a real /24 stays one /24.
	idx, host := int(v>>8%3), int(v&0xff)%254
	var c netip.Addr
	for n := range 3 * 254 {
		nb := docNets4[(idx+n/254)%3].As4()
		nb[3] = byte(1 + (host+n)%254)
		c = netip.AddrFrom4(nb)
		if owner, taken := r.taken[c.String()]; !taken || owner == real {
			return c
		}
	}
	// All 762 taken: share the last (the map then lists both reals).
	return c
}

// mapEmbedded handles addresses that carry a v4 address inside a v6 one
// (::ffff:a.b.c.d, NAT64's 64:ff9b::a.b.c.d): the v4 part is mapped and
// put back in the same wrapping. ok is false for other addresses.
func (r *Redactor) mapEmbedded(a netip.Addr) (string, bool) {
	if a.Is4In6() {
		return "::ffff:" + r.addr(a.Unmap()), true
	}
	if nat64.Contains(a) {
		b := a.As16()
		inner := r.addr(netip.AddrFrom4([4]byte(b[12:])))
		if v4, err := netip.ParseAddr(inner); err == nil && v4.Is4() {
			copy(b[12:], v4.AsSlice())
			return netip.AddrFrom16(b).String(), true
		}
	}
	return "", false
}

var (
	// reInAddrArpa and reIP6Arpa are reverse DNS names, full or partial
	// (a reverse zone): the address's parts backwards.
	reInAddrArpa = regexp.MustCompile(`(?i)\b((?:[0-9]{1,3}\.){1,4})in-addr\.arpa\b`)
	reIP6Arpa    = regexp.MustCompile(`(?i)\b((?:[0-9a-f]\.){1,32})ip6\.arpa\b`)
	// reProcRoute is a line of /proc/net/route: Iface, then Destination
	// and Gateway as little-endian hex.
	reProcRoute = regexp.MustCompile(`^(\S+\t)([0-9A-Fa-f]{8})\t([0-9A-Fa-f]{8})\t`)
	// reProcHex6 starts a line of /proc/net/ipv6_route or if_inet6: an
	// address as 32 hex digits, then a two-digit hex field.
	reProcHex6 = regexp.MustCompile(`^[0-9a-fA-F]{32} [0-9a-fA-F]{2} `)
	reHex32    = regexp.MustCompile(`\b[0-9a-fA-F]{32}\b`)
)

// reverseRules redact reverse DNS names and the kernel's hex spellings
// of addresses; they run before the plain address rules.
func (r *Redactor) reverseRules() []rule {
	return []rule{
		{class: ClassIPAddress, re: reInAddrArpa,
			pre: func(_, lw []byte) bool { return bytes.Contains(lw, []byte("in-addr.arpa")) },
			repl: func(l []byte, m []int) []byte {
				parts := strings.Split(strings.TrimSuffix(string(group(l, m, 1)), "."), ".")
				var b [4]byte
				for i, p := range parts {
					n, err := strconv.Atoi(p)
					if err != nil || n > 255 {
						return nil
					}
					b[len(parts)-1-i] = byte(n)
				}
				pa, err := netip.ParseAddr(r.addr(netip.AddrFrom4(b)))
				if err != nil || !pa.Is4() {
					return nil
				}
				pb := pa.As4()
				out := make([]string, 0, len(parts))
				for i := len(parts) - 1; i >= 0; i-- {
					out = append(out, strconv.Itoa(int(pb[i])))
				}
				return []byte(strings.Join(out, ".") + ".in-addr.arpa")
			}},
		{class: ClassIPAddress, re: reIP6Arpa,
			pre: func(_, lw []byte) bool { return bytes.Contains(lw, []byte("ip6.arpa")) },
			repl: func(l []byte, m []int) []byte {
				nibbles := strings.Split(strings.TrimSuffix(strings.ToLower(string(group(l, m, 1))), "."), ".")
				var hexs [32]byte
				for i := range hexs {
					hexs[i] = '0'
				}
				for i, n := range nibbles {
					hexs[len(nibbles)-1-i] = n[0]
				}
				var b [16]byte
				if _, err := hex.Decode(b[:], hexs[:]); err != nil {
					return nil
				}
				pa, err := netip.ParseAddr(r.addr(netip.AddrFrom16(b)))
				if err != nil {
					return nil
				}
				p16 := pa.As16()
				ph := hex.EncodeToString(p16[:])
				out := make([]byte, 0, 2*len(nibbles)+8)
				for i := len(nibbles) - 1; i >= 0; i-- {
					out = append(out, ph[i], '.')
				}
				return append(out, "ip6.arpa"...)
			}},
		{class: ClassIPAddress, re: reProcRoute,
			pre: func(l, _ []byte) bool { return bytes.Count(l, []byte("\t")) >= 3 },
			repl: func(l []byte, m []int) []byte {
				return concat(l, m, 1, r.hexLE4(string(group(l, m, 2))), "\t", r.hexLE4(string(group(l, m, 3))), "\t")
			}},
	}
}

// procHex6Line redacts every 32-hex-digit address of a /proc/net/ipv6_route
// or if_inet6 line.
func (r *Redactor) procHex6Line(l []byte) []byte {
	if len(l) < 35 || l[32] != ' ' || !isHex(l[0]) || !reProcHex6.Match(l) {
		return l
	}
	return reHex32.ReplaceAllFunc(l, func(h []byte) []byte {
		var b [16]byte
		if _, err := hex.Decode(b[:], h); err != nil {
			return h
		}
		pa, err := netip.ParseAddr(r.addr(netip.AddrFrom16(b)))
		if err != nil || !pa.Is6() {
			return h
		}
		p := pa.As16()
		return []byte(hex.EncodeToString(p[:]))
	})
}

// hexLE4 maps a /proc/net/route address (8 hex digits, little-endian).
func (r *Redactor) hexLE4(h string) string {
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return h
	}
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(v))
	pa, err := netip.ParseAddr(r.addr(netip.AddrFrom4(b)))
	if err != nil || !pa.Is4() {
		return h
	}
	out := binary.LittleEndian.Uint32(pa.AsSlice())
	s := strings.ToUpper(strconv.FormatUint(uint64(out), 16))
	return strings.Repeat("0", 8-len(s)) + s
}

// inReverseName reports whether the text at l[j:] continues a reverse DNS
// name (".in-addr.arpa", or more nibbles and ".ip6.arpa"): the parts
// there were mapped as a whole and are not an address of their own.
func inReverseName(l []byte, j int) bool {
	end := j
	for end < len(l) && (nameChar(l[end]) || l[end] == '.' || l[end] == '-') {
		end++
	}
	tail := l[j:end]
	return containsFold(tail, "in-addr.arpa") || containsFold(tail, "ip6.arpa")
}

// systemGroups are group names that identify no one; they stay readable.
var systemGroups = map[string]bool{
	"wheel": true, "staff": true, "users": true, "adm": true, "sudo": true, "admin": true, "everyone": true,
	"docker": true, "audio": true, "video": true, "disk": true, "tty": true, "lp": true, "mail": true,
	"shadow": true, "utmp": true, "plugdev": true, "netdev": true, "systemd-journal": true, "nogroup": true,
	"administrators": true, "domain users": true, "authenticated users": true, "trustedinstaller": true,
}

// ownerKeys are detail and evidence keys whose values are account names:
// the owners and groups of the paths a run checked, the users of keys.
var ownerKeys = map[string]string{"owner": mapUsers, "user": mapUsers, "uid_name": mapUsers, "group": mapGroups, "gid_name": mapGroups,
	// The org checks: AD site names (an office's name), and the machine
	// account (NAME$@REALM), whose NAME may differ from the host name
	// (NetBIOS names are cut at 15 characters).
	"site": mapHosts, "client_site": mapHosts, "dc_site": mapHosts, "next_closest_site": mapHosts, "account": mapHosts,
	// Wi-Fi network names (org-wifi's links, its findings' evidence).
	"ssid": mapSSIDs}

// learnOwners adds the users and groups that own the paths a run checked
// (when run as root these are other people's accounts) to the names
// replaced everywhere.
func (r *Redactor) learnOwners(rep *report.Report) {
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch x := v.(type) {
		case string:
			class, ok := ownerKeys[key]
			if !ok {
				return
			}
			n := strings.ToLower(strings.TrimSpace(x))
			if i := strings.LastIndexByte(n, '\\'); i >= 0 {
				n = n[i+1:] // DOMAIN\user
			}
			if class == mapHosts {
				n, _, _ = strings.Cut(n, "@") // NAME$@REALM: the realm is a domain
				n = strings.TrimSuffix(n, "$")
			}
			if len(n) < 2 || systemUsers[n] || systemGroups[n] || strings.Trim(n, "0123456789") == "" {
				return
			}
			if _, known := r.shorts[n]; !known {
				r.shorts[n] = class
			}
		case map[string]any:
			for k, vv := range x {
				walk(vv, strings.ToLower(k))
			}
		case []any:
			for _, vv := range x {
				walk(vv, key)
			}
		default:
			// Typed values (structs, typed slices): see them as JSON does.
			if data, err := json.Marshal(v); err == nil && len(data) > 0 && (data[0] == '{' || data[0] == '[') {
				var g any
				if json.Unmarshal(data, &g) == nil {
					walk(g, key)
				}
			}
		}
	}
	for _, res := range rep.Results {
		walk(res.Details, "")
		for _, f := range res.Findings {
			walk(f.Evidence, "")
		}
	}
}

// containsFold reports whether b contains the lower-case ASCII word w in
// any case, without copying b.
func containsFold(b []byte, w string) bool {
	for i := 0; i+len(w) <= len(b); i++ {
		if b[i]|0x20 == w[0] && bytes.EqualFold(b[i:i+len(w)], []byte(w)) {
			return true
		}
	}
	return false
}
