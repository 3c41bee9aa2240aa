package redact

// The pattern catalog of the redactor: what a hostname, username, e-mail,
// serial, MAC or IP address looks like in a line, and the rules that
// replace each with its pseudonym.

import (
	"bytes"
	"net/netip"
	"regexp"
	"sort"
	"strings"
)

// SerialName reports whether a key or file name holds a serial number or UUID.
func SerialName(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "serial") || strings.Contains(k, "uuid")
}

// nameChar reports whether c continues a name, so a match next to it is
// part of a longer word and not the name itself. Hyphen and underscore
// separate: "home-alice" contains the username alice.
func nameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// bounded reports whether line[i:j] stands alone as a name. A dot before
// it makes it a label of a longer name ("a.ws042"), except a leading dot
// that follows no name: ".corp.example.com" in no_proxy or krb5.conf's
// domain_realm, "*.corp.example.com".
func bounded(line []byte, i, j int) bool {
	if i > 0 && escapeBefore(line, i) == 0 && (nameChar(line[i-1]) || line[i-1] == '.' && i > 1 && (nameChar(line[i-2]) || line[i-2] == '-' || line[i-2] == '_')) {
		return false
	}
	return j == len(line) || !nameChar(line[j])
}

// escapeBefore returns the length of the JSON escape (\n, \t, \r, \b, \f,
// \uXXXX) that ends at line[i], 0 if none: a JSON line's "a\nws042" or
// "\u003cws042" has the name right after letters that are no part of it.
// A backslash that is itself escaped ("C:\\nas") starts none.
func escapeBefore(line []byte, i int) int {
	n := 0
	switch {
	case i >= 2 && bytes.IndexByte([]byte("ntrbf"), line[i-1]) >= 0:
		n = 2
	case i >= 6 && line[i-5] == 'u' && isHex(line[i-4]) && isHex(line[i-3]) && isHex(line[i-2]) && isHex(line[i-1]):
		n = 6
	default:
		return 0
	}
	slashes := 0
	for k := i - n; k >= 0 && line[k] == '\\'; k-- {
		slashes++
	}
	if slashes%2 == 1 {
		return n
	}
	return 0
}

// ipBounded is bounded for addresses: no digit, letter or dotted digit
// around (a JSON escape before it is a boundary).
func ipBounded(line []byte, i, j int) bool {
	if i > 0 && escapeBefore(line, i) == 0 && (nameChar(line[i-1]) || line[i-1] == '.' || line[i-1] == ':') {
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
	reEmail = regexp.MustCompile(`(?i)([a-z0-9][a-z0-9._%+-]*)@((?:[a-z0-9-]+\.)+[a-z]{2,})`)
	reHome  = regexp.MustCompile(`(?i)(/home/|/Users/|/var/home/|[a-z]:\\{1,2}Users\\{1,2})([^/\\\s"':;,*<>|]+)`)
	// reURLUser is the account of scheme://user[:password]@ and Samba's
	// user%password@ (a proxy account, a service login).
	reURLUser = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)([^\s:@/?#%\[\]"'<>\\]+)([:%][^\s@/?#"'<>]*)?@`)
	reSerial  = regexp.MustCompile(`(?i)((?:product_|board_|chassis_|system[ _-]?)?(?:serial(?:[ _-]?(?:number|no))?|uuid)\\?"?\s*[:=]\s*\\?"?\s*)([A-Za-z0-9][A-Za-z0-9._:-]{3,})`)
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
				return concat(l, m, 1, r.Pseudonym(mapSerials, v))
			}},
		{class: ClassUsername, re: reURLUser,
			pre: func(l, _ []byte) bool { return bytes.Contains(l, []byte("://")) && bytes.IndexByte(l, '@') >= 0 },
			repl: func(l []byte, m []int) []byte {
				u := strings.ToLower(string(group(l, m, 2)))
				if u == Mask || systemUsers[u] || strings.HasPrefix(u, "user") && r.known(mapUsers, u) {
					return l[m[0]:m[1]]
				}
				return concat(l, m, 1, r.urlUser(u), 3, "@")
			}},
		{class: ClassEmail, re: reEmail,
			pre: func(l, _ []byte) bool { return bytes.IndexByte(l, '@') >= 0 },
			repl: func(l []byte, m []int) []byte {
				// The account of a URL is the rule above's; its host
				// is a host name, not a mail domain.
				if !bounded(l, m[0], m[1]) || m[0] >= 3 && string(l[m[0]-3:m[0]]) == "://" {
					return nil
				}
				local, dom := string(group(l, m, 1)), strings.ToLower(string(group(l, m, 2)))
				if strings.HasSuffix(dom, ".example") {
					return l[m[0]:m[1]]
				}
				// "\u003calice@…" in a JSON line: the escape's letters
				// are not the mailbox's.
				esc := ""
				for k := 1; k <= 5 && k < len(local); k++ {
					if escapeBefore(l, m[0]+k) == k+1 {
						esc, local = local[:k], local[k:]
						break
					}
				}
				return []byte(esc + r.email(strings.ToLower(local), dom))
			}},
		{class: ClassUsername, re: reHome,
			pre: func(_, lw []byte) bool { return containsAny(lw, "home", "users") },
			repl: func(l []byte, m []int) []byte {
				u := strings.ToLower(string(group(l, m, 2)))
				if systemUsers[u] || strings.HasPrefix(u, "user") && r.known(mapUsers, u) {
					return l[m[0]:m[1]]
				}
				delete(r.urlOnly, u)
				return concat(l, m, 1, r.Pseudonym(mapUsers, u))
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
				return []byte(r.Pseudonym(mapHosts, prefix) + "." + dom)
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
				return []byte(r.Pseudonym(r.shorts[n], n))
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
				p := r.Pseudonym(mapMACs, norm)
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
		if i >= 2 && line[i-1] == 'u' && escapeBefore(line, min(i+4, len(line))) == 6 {
			// The digits of a \uXXXX escape: the address starts after.
			i += 4
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
		if colons >= 2 && (i == 0 || !nameChar(line[i-1]) || escapeBefore(line, i) > 0) && (j == len(line) || !nameChar(line[j])) {
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
	for start > from && escapeBefore(lower, start) == 0 {
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
