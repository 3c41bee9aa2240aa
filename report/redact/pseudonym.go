package redact

// The pseudonymiser: consistent pseudonyms per class, prefix-preserving
// address mapping, and the map written for the technician.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// Identity is what identifies the machine and its users: the redactor
// seeds its pseudonyms with it, and the re-scan proves none of it survives.
type Identity struct {
	Hostnames []string
	Domains   []string
	Usernames []string
	Addrs     []string
	MACs      []string
	// SSIDs are the Wi-Fi networks the machine is on (or reported on).
	SSIDs []string
}

// Pseudonym classes, the keys of the redaction map.
const (
	mapHosts   = "hostnames"
	mapDomains = "domains"
	mapUsers   = "usernames"
	mapGroups  = "groups"
	mapIPv4    = "ipv4"
	mapIPv6    = "ipv6"
	mapMACs    = "macs"
	mapEmails  = "emails"
	mapSerials = "serials"
	mapSSIDs   = "ssids"
)

// systemUsers are account names that identify no one; they stay readable.
var systemUsers = map[string]bool{
	"root": true, "nobody": true, "daemon": true, "bin": true, "sys": true, "admin": true,
	"administrator": true, "system": true, "public": true, "shared": true, "default": true,
	"all users": true, "guest": true, "localhost": true, "local": true,
}

// Redactor replaces identifying data with consistent pseudonyms, as sos
// clean does: every occurrence of a value in every file of a bundle gets
// the same pseudonym. Hostnames and domains become hostN.domainM.example,
// usernames userN (also in home paths), e-mail addresses mailN@domainM.example,
// MAC addresses 02:00:00:xx:xx:xx, serials SERIAL-N. IP addresses are
// mapped prefix-preservingly with a per-bundle random key: two addresses
// in the same subnet stay in the same (pseudonymous) subnet of the same
// size, and private, link-local and CGNAT prefixes stay recognisable.
// Loopback, unspecified, broadcast, multicast and netmasks stay as they are.
type Redactor struct {
	key     []byte
	maps    map[string]map[string]string
	domains []string // known domains, lower case
	shorts  map[string]string
	id      Identity
	rules   []rule
	// taken maps each pseudonymous address given out to its real one, so
	// two public addresses never share a documentation address.
	taken map[string]string
	// urlOnly are accounts met only in URLs (a proxy's): replaced there,
	// not as words, so the re-scan does not look for them as words either.
	urlOnly map[string]bool
}

// NewRedactor returns a redactor that knows id and the names rep's
// results talk about (their targets' domains and short host names).
func NewRedactor(id Identity, rep *report.Report) *Redactor {
	r := &Redactor{key: make([]byte, 32), maps: map[string]map[string]string{}, shorts: map[string]string{}, taken: map[string]string{}}
	_, _ = rand.Read(r.key)
	doms := map[string]bool{}
	addHost := func(h string) {
		h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
		if h == "" || systemUsers[h] {
			return
		}
		if short, dom, ok := strings.Cut(h, "."); ok {
			if len(short) >= 2 {
				r.shorts[short] = mapHosts
			}
			doms[dom] = true
		} else if len(h) >= 2 {
			r.shorts[h] = mapHosts
		}
	}
	for _, h := range id.Hostnames {
		addHost(h)
	}
	if rep != nil {
		addHost(rep.Host.Hostname)
		for _, res := range rep.Results {
			if h := targetHost(res.Target); h != "" {
				if strings.Contains(h, ".") {
					doms[registrable(h)] = true
				} else {
					addHost(h)
				}
			}
		}
	}
	for _, d := range id.Domains {
		if d = strings.Trim(strings.ToLower(d), "."); strings.Contains(d, ".") {
			doms[d] = true
		}
	}
	for d := range doms {
		r.domains = append(r.domains, d)
	}
	// Longest first, so a.b.example.com wins over example.com.
	sort.Slice(r.domains, func(i, j int) bool {
		if len(r.domains[i]) != len(r.domains[j]) {
			return len(r.domains[i]) > len(r.domains[j])
		}
		return r.domains[i] < r.domains[j]
	})
	for _, u := range id.Usernames {
		if u = strings.ToLower(strings.TrimSpace(u)); len(u) >= 2 && !systemUsers[u] {
			if _, isHost := r.shorts[u]; !isHost {
				r.shorts[u] = mapUsers
			}
		}
	}
	// A Wi-Fi network name is matched as a word, in any case, like a
	// short host name; one that is already a host or user name keeps
	// that pseudonym.
	for _, n := range id.SSIDs {
		if n = strings.ToLower(strings.TrimSpace(n)); len(n) >= 2 && !systemUsers[n] {
			if _, taken := r.shorts[n]; !taken {
				r.shorts[n] = mapSSIDs
			}
		}
	}
	if rep != nil {
		r.learnOwners(rep)
	}
	r.id = id
	r.rules = r.buildRules()
	return r
}

// LearnSSID makes a Wi-Fi network name met after the redactor was made
// (a network a watch roams onto) one it replaces and guards, like the
// networks it knew from the start. It reports whether the name was new.
func (r *Redactor) LearnSSID(n string) bool {
	n = strings.ToLower(strings.TrimSpace(n))
	if len(n) < 2 || systemUsers[n] {
		return false
	}
	if _, known := r.shorts[n]; known {
		return false
	}
	r.shorts[n] = mapSSIDs
	r.rules = r.buildRules()
	return true
}

// urlUser returns the pseudonym of the account u of a URL. A user the
// redactor knows as a word (the session's) keeps its pseudonym.
func (r *Redactor) urlUser(u string) string {
	if _, ok := r.maps[mapUsers][u]; !ok && r.shorts[u] != mapUsers {
		if r.urlOnly == nil {
			r.urlOnly = map[string]bool{}
		}
		r.urlOnly[u] = true
	}
	return r.Pseudonym(mapUsers, u)
}

// targetHost extracts the host of a result target: a name, HOST:PORT, a
// URL or [MODES=]PATH (no host).
func targetHost(t string) string {
	if i := strings.Index(t, "://"); i >= 0 {
		t = t[i+3:]
		if j := strings.IndexAny(t, "/?#"); j >= 0 {
			t = t[:j]
		}
		if j := strings.LastIndex(t, "@"); j >= 0 {
			t = t[j+1:]
		}
	}
	if strings.ContainsAny(t, `/\ =`) {
		return ""
	}
	if strings.HasPrefix(t, "[") {
		return ""
	}
	if h, _, ok := strings.Cut(t, ":"); ok && strings.Count(t, ":") == 1 {
		t = h
	}
	if _, err := netip.ParseAddr(t); err == nil || t == "" {
		return ""
	}
	return strings.ToLower(strings.TrimSuffix(t, "."))
}

// registrable guesses the organisation's domain of a host name: the last
// two labels, or three under a two-letter country code with a short
// second level (co.uk, com.au).
func registrable(h string) string {
	labels := strings.Split(h, ".")
	n := 2
	if len(labels) >= 3 && len(labels[len(labels)-1]) == 2 && len(labels[len(labels)-2]) <= 3 {
		n = 3
	}
	if len(labels) <= n {
		return h
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

// Pseudonym returns the pseudonym of real in class (a map class such as
// "serials", or ClassSerial), the same one each time it is asked.
func (r *Redactor) Pseudonym(class, real string) string {
	m := r.maps[class]
	if m == nil {
		m = map[string]string{}
		r.maps[class] = m
	}
	if p, ok := m[real]; ok {
		return p
	}
	n := len(m) + 1
	var p string
	switch class {
	case mapHosts:
		p = fmt.Sprintf("host%d", n)
	case mapDomains:
		p = fmt.Sprintf("domain%d.example", n)
	case mapUsers:
		p = fmt.Sprintf("user%d", n)
	case mapGroups:
		p = fmt.Sprintf("group%d", n)
	case mapSSIDs:
		p = fmt.Sprintf("wlan-network%d", n)
	case mapMACs:
		p = fmt.Sprintf("02:00:00:%02x:%02x:%02x", n>>16&0xff, n>>8&0xff, n&0xff)
	case mapSerials, ClassSerial:
		class = mapSerials
		if m = r.maps[class]; m == nil {
			m = map[string]string{}
			r.maps[class] = m
		}
		if p, ok := m[real]; ok {
			return p
		}
		p = fmt.Sprintf("SERIAL-%d", len(m)+1)
	default:
		p = fmt.Sprintf("%s-%d", class, n)
	}
	m[real] = p
	return p
}

func (r *Redactor) known(class, pseudo string) bool {
	for _, p := range r.maps[class] {
		if p == pseudo {
			return true
		}
	}
	return false
}

// email maps an address to mailN@ the pseudonym of its domain.
func (r *Redactor) email(local, dom string) string {
	real := local + "@" + dom
	if p, ok := r.maps[mapEmails][real]; ok {
		return p
	}
	if r.maps[mapEmails] == nil {
		r.maps[mapEmails] = map[string]string{}
	}
	p := fmt.Sprintf("mail%d@%s", len(r.maps[mapEmails])+1, r.domainPseudo(dom))
	r.maps[mapEmails][real] = p
	return p
}

// domainPseudo maps a domain, keeping its subdomains under the pseudonym
// of the longest known domain it ends with.
func (r *Redactor) domainPseudo(d string) string {
	for _, k := range r.domains {
		if d == k {
			return r.Pseudonym(mapDomains, k)
		}
		if strings.HasSuffix(d, "."+k) {
			return r.Pseudonym(mapHosts, strings.TrimSuffix(d, "."+k)) + "." + r.Pseudonym(mapDomains, k)
		}
	}
	return r.Pseudonym(mapDomains, d)
}

// keepBits is how many leading bits of an address stay as they are, so
// the kind of network stays visible.
func keepBits(a netip.Addr) int {
	for _, k := range []struct {
		p    string
		keep int
	}{
		{"10.0.0.0/8", 8}, {"172.16.0.0/12", 12}, {"192.168.0.0/16", 16}, {"100.64.0.0/10", 10},
		{"169.254.0.0/16", 16}, {"fe80::/10", 10}, {"fc00::/7", 7}, {"2000::/3", 3},
	} {
		if netip.MustParsePrefix(k.p).Contains(a) {
			return k.keep
		}
	}
	return 0
}

// isNetmask reports whether a is a run of ones then zeros (255.255.255.0).
func isNetmask(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	inv := ^v
	return v != 0 && inv&(inv+1) == 0
}

// addr maps an address prefix-preservingly (Crypto-PAn style): bit i of
// the pseudonym is bit i of the address flipped by a keyed function of the
// bits before it, so equal prefixes give equal pseudonym prefixes.
func (r *Redactor) addr(a netip.Addr) string {
	zone := a.Zone()
	a = a.WithZone("")
	if s, ok := r.mapEmbedded(a); ok {
		return withZone(s, zone)
	}
	if keepAddr(a) {
		return a.WithZone(zone).String()
	}
	class := mapIPv4
	if a.Is6() {
		class = mapIPv6
	}
	real := a.String()
	if m := r.maps[class]; m != nil {
		if p, ok := m[real]; ok {
			return withZone(p, zone)
		}
	}
	in := a.AsSlice()
	out := make([]byte, len(in))
	copy(out, in)
	keep := keepBits(a)
	mac := hmac.New(sha256.New, r.key)
	prefix := make([]byte, len(in)+1)
	for i := keep; i < len(in)*8; i++ {
		// prefix = the first i bits of the real address, and i itself.
		for j := range in {
			prefix[j] = 0
		}
		for j := 0; j < i; j++ {
			if in[j/8]&(0x80>>(j%8)) != 0 {
				prefix[j/8] |= 0x80 >> (j % 8)
			}
		}
		prefix[len(in)] = byte(i)
		mac.Reset()
		mac.Write(prefix)
		if mac.Sum(nil)[0]&1 == 1 {
			out[i/8] ^= 0x80 >> (i % 8)
		}
	}
	p, _ := netip.AddrFromSlice(out)
	if publicAddr(a) {
		p = r.documentation(p, real)
	}
	ps := p.String()
	if r.maps[class] == nil {
		r.maps[class] = map[string]string{}
	}
	r.maps[class][real] = ps
	r.taken[ps] = real
	return withZone(ps, zone)
}

func withZone(a, zone string) string {
	if zone == "" {
		return a
	}
	return a + "%" + zone
}

// MapJSON is the pseudonym mapping as the redaction map file holds it. It
// lets the technician who ran l2diag translate a redacted bundle back.
func (r *Redactor) MapJSON() ([]byte, error) {
	data, err := json.MarshalIndent(map[string]any{
		"note":     "l2diag redaction map: real value -> pseudonym used in the bundle. Keep it on this machine; never attach it.",
		"mappings": r.maps,
	}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("report: redaction map: %w", err)
	}
	return append(data, '\n'), nil
}
