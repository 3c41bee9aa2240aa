package report

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Identity is what identifies the machine and its users: the redactor
// seeds its pseudonyms with it, and the re-scan proves none of it survives.
type Identity struct {
	Hostnames []string
	Domains   []string
	Usernames []string
	Addrs     []string
	MACs      []string
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
}

// NewRedactor returns a redactor that knows id and the names rep's
// results talk about (their targets' domains and short host names).
func NewRedactor(id Identity, rep *Report) *Redactor {
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
	if rep != nil {
		r.learnOwners(rep)
	}
	r.id = id
	r.rules = r.buildRules()
	return r
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

func (r *Redactor) pseudonym(class, real string) string {
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

func serialName(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "serial") || strings.Contains(k, "uuid")
}

// nameChar reports whether c continues a name, so a match next to it is
// part of a longer word and not the name itself. Hyphen and underscore
// separate: "home-alice" contains the username alice.
func nameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// bounded reports whether line[i:j] stands alone as a name.
func bounded(line []byte, i, j int) bool {
	return (i == 0 || !nameChar(line[i-1]) && line[i-1] != '.') && (j == len(line) || !nameChar(line[j]))
}

// ipBounded is bounded for addresses: no digit, letter or dotted digit around.
func ipBounded(line []byte, i, j int) bool {
	if i > 0 && (nameChar(line[i-1]) || line[i-1] == '.' || line[i-1] == ':') {
		return false
	}
	if j < len(line) && (nameChar(line[j]) || line[j] == ':' && !bytes.Contains(line[i:j], []byte("."))) {
		return false
	}
	if j+1 < len(line) && line[j] == '.' && '0' <= line[j+1] && line[j+1] <= '9' {
		return false
	}
	return true
}

var (
	reEmail  = regexp.MustCompile(`(?i)([a-z0-9][a-z0-9._%+-]*)@((?:[a-z0-9-]+\.)+[a-z]{2,})`)
	reHome   = regexp.MustCompile(`(?i)(/home/|/Users/|/var/home/|[a-z]:\\{1,2}Users\\{1,2})([^/\\\s"':;,*<>|]+)`)
	reSerial = regexp.MustCompile(`(?i)((?:product_|board_|chassis_|system[ _-]?)?(?:serial(?:[ _-]?(?:number|no))?|uuid)\\?"?\s*[:=]\s*\\?"?\s*)([A-Za-z0-9][A-Za-z0-9._:-]{3,})`)
)

func (r *Redactor) buildRules() []rule {
	rules := []rule{
		{class: ClassSerial, re: reSerial,
			pre: func(_, lw []byte) bool { return containsAny(lw, "serial", "uuid") },
			repl: func(l []byte, m []int) []byte {
				v := string(group(l, m, 2))
				if strings.HasPrefix(v, "SERIAL-") {
					return l[m[0]:m[1]]
				}
				return concat(l, m, 1, r.pseudonym(mapSerials, v))
			}},
		{class: ClassEmail, re: reEmail,
			pre: func(l, _ []byte) bool { return bytes.IndexByte(l, '@') >= 0 },
			repl: func(l []byte, m []int) []byte {
				if !bounded(l, m[0], m[1]) {
					return nil
				}
				local, dom := string(group(l, m, 1)), strings.ToLower(string(group(l, m, 2)))
				if strings.HasSuffix(dom, ".example") {
					return l[m[0]:m[1]]
				}
				return []byte(r.email(strings.ToLower(local), dom))
			}},
		{class: ClassUsername, re: reHome,
			pre: func(_, lw []byte) bool { return containsAny(lw, "home", "users") },
			repl: func(l []byte, m []int) []byte {
				u := strings.ToLower(string(group(l, m, 2)))
				if systemUsers[u] || strings.HasPrefix(u, "user") && r.known(mapUsers, u) {
					return l[m[0]:m[1]]
				}
				return concat(l, m, 1, r.pseudonym(mapUsers, u))
			}},
	}
	if len(r.domains) > 0 {
		rules = append(rules, rule{class: ClassHostname,
			pre:  func(_, lw []byte) bool { return containsAny(lw, r.domains...) },
			find: r.findDomain,
			repl: func(l []byte, m []int) []byte {
				if !bounded(l, m[0], m[1]) {
					return nil
				}
				prefix := strings.TrimSuffix(strings.ToLower(string(group(l, m, 1))), ".")
				dom := r.domainPseudo(strings.ToLower(string(group(l, m, 2))))
				if prefix == "" {
					return []byte(dom)
				}
				return []byte(r.pseudonym(mapHosts, prefix) + "." + dom)
			}})
	}
	if len(r.shorts) > 0 {
		shorts := make([]string, 0, len(r.shorts))
		for n := range r.shorts {
			shorts = append(shorts, n)
		}
		sort.Slice(shorts, func(i, j int) bool { return len(shorts[i]) > len(shorts[j]) })
		rules = append(rules, rule{class: ClassHostname,
			pre:  func(_, lw []byte) bool { return containsAny(lw, shorts...) },
			find: func(_, lw []byte, from int) []int { return findFirst(lw, from, shorts) },
			repl: func(l []byte, m []int) []byte {
				if !bounded(l, m[0], m[1]) {
					return nil
				}
				n := strings.ToLower(string(l[m[0]:m[1]]))
				return []byte(r.pseudonym(r.shorts[n], n))
			}})
	}
	rules = append(rules, r.reverseRules()...)
	rules = append(rules,
		rule{class: ClassMACAddress, find: findMAC,
			pre: func(l, _ []byte) bool { return bytes.Count(l, []byte(":")) >= 5 || bytes.Count(l, []byte("-")) >= 5 },
			repl: func(l []byte, m []int) []byte {
				if !ipBounded(l, m[0], m[1]) {
					return nil
				}
				v := strings.ToLower(string(l[m[0]:m[1]]))
				norm := strings.ReplaceAll(v, "-", ":")
				if norm == "00:00:00:00:00:00" || norm == "ff:ff:ff:ff:ff:ff" || strings.HasPrefix(norm, "02:00:00:") {
					return l[m[0]:m[1]]
				}
				p := r.pseudonym(mapMACs, norm)
				if strings.Contains(v, "-") {
					p = strings.ReplaceAll(p, ":", "-")
				}
				return []byte(p)
			}},
		rule{class: ClassIPAddress, find: findIPv6,
			// An IPv6 address has "::" or seven colons.
			pre: func(l, _ []byte) bool { return bytes.Contains(l, []byte("::")) || bytes.Count(l, []byte(":")) >= 7 },
			repl: func(l []byte, m []int) []byte {
				a, err := netip.ParseAddr(string(l[m[0]:m[1]]))
				if err != nil || !a.Is6() {
					return nil
				}
				return []byte(r.addr(a))
			}},
		rule{class: ClassIPAddress, find: findIPv4,
			pre: func(l, _ []byte) bool { return bytes.Count(l, []byte(".")) >= 3 },
			repl: func(l []byte, m []int) []byte {
				if !ipBounded(l, m[0], m[1]) {
					return nil
				}
				if inReverseName(l, m[1]) {
					return l[m[0]:m[1]]
				}
				a, err := netip.ParseAddr(string(l[m[0]:m[1]]))
				if err != nil {
					return nil
				}
				return []byte(r.addr(a))
			}},
	)
	return rules
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// findMAC finds the next xx:xx:xx:xx:xx:xx or xx-xx-xx-xx-xx-xx. A scanner,
// not a regexp: on long hex-rich lines the backtracking regexp was the
// slowest part of redaction.
func findMAC(line, _ []byte, from int) []int {
	for i := from; i+17 <= len(line); i++ {
		sep := line[i+2]
		if sep != ':' && sep != '-' || !isHex(line[i]) || !isHex(line[i+1]) {
			continue
		}
		ok := true
		for k := 0; k < 6 && ok; k++ {
			o := i + 3*k
			ok = isHex(line[o]) && isHex(line[o+1]) && (k == 5 || line[o+2] == sep)
		}
		if ok {
			return []int{i, i + 17}
		}
	}
	return nil
}

// findIPv6 finds the next run of hex digits, colons and dots that parses
// as an IPv6 address (a zone after % stays outside the match).
func findIPv6(line, _ []byte, from int) []int {
	for i := from; i < len(line); {
		c := line[i]
		if !isHex(c) && c != ':' {
			i++
			continue
		}
		j := i
		colons := 0
		for j < len(line) && (isHex(line[j]) || line[j] == ':' || line[j] == '.') {
			if line[j] == ':' {
				colons++
			}
			j++
		}
		// Trailing punctuation ends a sentence, not an address.
		end := j
		for end > i && line[end-1] == '.' {
			end--
		}
		if colons >= 2 && (i == 0 || !nameChar(line[i-1])) && (j == len(line) || !nameChar(line[j])) {
			if a, err := netip.ParseAddr(string(line[i:end])); err == nil && a.Is6() {
				return []int{i, end}
			}
		}
		i = j
	}
	return nil
}

// findIPv4 finds the next d.d.d.d with 1 to 3 digits per part.
func findIPv4(line, _ []byte, from int) []int {
	for i := from; i < len(line); i++ {
		if !isDigit(line[i]) || i > from && isDigit(line[i-1]) {
			continue
		}
		j := i
		parts := 0
		for parts < 4 {
			k := j
			for k < len(line) && k-j < 4 && isDigit(line[k]) {
				k++
			}
			if n := k - j; n == 0 || n > 3 {
				break
			}
			parts++
			j = k
			if parts < 4 {
				if j+1 >= len(line) || line[j] != '.' || !isDigit(line[j+1]) {
					break
				}
				j++
			}
		}
		if parts == 4 {
			return []int{i, j}
		}
	}
	return nil
}

// findFirst finds the earliest of words in lower at or after from; at the
// same place the longest (words are sorted longest first) wins.
func findFirst(lower []byte, from int, words []string) []int {
	best, bestLen := -1, 0
	for _, w := range words {
		i := bytes.Index(lower[from:], []byte(w))
		if i >= 0 && (best < 0 || from+i < best) {
			best, bestLen = from+i, len(w)
		}
	}
	if best < 0 {
		return nil
	}
	return []int{best, best + bestLen}
}

// findDomain finds the next known domain with the host labels before it:
// group 1 is "labels." (maybe empty), group 2 the domain.
func (r *Redactor) findDomain(_, lower []byte, from int) []int {
	m := findFirst(lower, from, r.domains)
	if m == nil {
		return nil
	}
	i, end := m[0], m[1]
	start := i
	for start > from {
		c := lower[start-1]
		if nameChar(c) || c == '-' || c == '_' || c == '.' && start-1 > from && nameChar(lower[start-2]) {
			start--
			continue
		}
		break
	}
	if start < i && lower[i-1] != '.' {
		// "xcorp.example.com" is not in corp.example.com: take it whole
		// as a name ending in the domain only at a label boundary.
		return []int{start, end, start, start, start, end}
	}
	return []int{start, end, start, i, i, end}
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
			return r.pseudonym(mapDomains, k)
		}
		if strings.HasSuffix(d, "."+k) {
			return r.pseudonym(mapHosts, strings.TrimSuffix(d, "."+k)) + "." + r.pseudonym(mapDomains, k)
		}
	}
	return r.pseudonym(mapDomains, d)
}

func (r *Redactor) line(l, lower []byte, hit func(class string)) []byte {
	if pl := r.procHex6Line(l); !bytes.Equal(pl, l) {
		l, lower = pl, toLower(nil, pl)
		if hit != nil {
			hit(ClassIPAddress)
		}
	}
	for i := range r.rules {
		l = r.rules[i].apply(l, lower, hit)
	}
	return l
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

// WriteMap writes the pseudonym mapping to path (mode 0600), atomically.
// It lets the technician who ran l2diag translate a redacted bundle back.
func (r *Redactor) WriteMap(path string) error {
	data, err := json.MarshalIndent(map[string]any{
		"note":     "l2diag redaction map: real value -> pseudonym used in the bundle. Keep it on this machine; never attach it.",
		"mappings": r.maps,
	}, "", "  ")
	if err != nil {
		return fmt.Errorf("report: redaction map: %w", err)
	}
	tmp, err := createTemp(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("report: redaction map: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("report: redaction map: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report: redaction map: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("report: redaction map: %w", err)
	}
	return nil
}

// identityGuard finds real identifiers in a redacted bundle.
type identityGuard struct {
	lits  []guardLit
	lower []byte
}

type guardLit struct {
	v     string
	class string
	ip    bool
}

func (r *Redactor) guard() *identityGuard {
	g := &identityGuard{}
	add := func(v, class string, ip bool) {
		v = strings.ToLower(strings.TrimSpace(v))
		if len(v) >= 2 && !systemUsers[v] {
			g.lits = append(g.lits, guardLit{v, class, ip})
		}
	}
	for n, class := range r.shorts {
		if class == mapUsers || class == mapGroups {
			add(n, ClassUsername, false)
		} else {
			add(n, ClassHostname, false)
		}
	}
	for _, d := range r.domains {
		add(d, ClassHostname, false)
	}
	for real := range r.maps[mapUsers] {
		add(real, ClassUsername, false)
	}
	for _, a := range r.id.Addrs {
		if p, err := netip.ParseAddr(a); err == nil && r.addr(p) != p.String() {
			add(p.WithZone("").String(), ClassIPAddress, true)
		}
	}
	for _, m := range r.id.MACs {
		add(m, ClassMACAddress, true)
		add(strings.ReplaceAll(m, ":", "-"), ClassMACAddress, true)
	}
	return g
}

func (g *identityGuard) find(l []byte) (string, bool) {
	g.lower = toLower(g.lower, l)
	for _, lit := range g.lits {
		off := 0
		for {
			i := bytes.Index(g.lower[off:], []byte(lit.v))
			if i < 0 {
				break
			}
			i += off
			j := i + len(lit.v)
			if lit.ip && ipBounded(l, i, j) || !lit.ip && bounded(l, i, j) {
				return lit.class, true
			}
			off = i + 1
		}
	}
	return "", false
}
