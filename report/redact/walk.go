package redact

// The walk of the redactor over a line, and the guard that re-scans a
// redacted bundle for real identifiers that survived it.

import (
	"bytes"
	"net/netip"
	"strings"
)

// line replaces every identifier in l (lower is l in ASCII lower case)
// with its pseudonym, calling hit with the class of each replacement.
func (r *Redactor) line(l, lower []byte, hit func(class string)) []byte {
	if pl := r.procHex6Line(l); !bytes.Equal(pl, l) {
		l, lower = pl, toLower(nil, pl)
		if hit != nil {
			hit(ClassIPAddress)
		}
	}
	l, _ = applyAll(r.rules, l, lower, hit)
	return l
}

// Guard finds real identifiers in a redacted bundle.
type Guard struct {
	lits  []guardLit
	lower []byte
}

type guardLit struct {
	v     string
	class string
	ip    bool
}

// Guard returns the re-scan of a redacted bundle: the names, addresses
// and MAC addresses the redactor knows, to be found in no line.
func (r *Redactor) Guard() *Guard {
	g := &Guard{}
	add := func(v, class string, ip bool) {
		v = strings.ToLower(strings.TrimSpace(v))
		if len(v) >= 2 && !systemUsers[v] {
			g.lits = append(g.lits, guardLit{v, class, ip})
		}
	}
	for n, class := range r.shorts {
		switch class {
		case mapUsers, mapGroups:
			add(n, ClassUsername, false)
		case mapSSIDs:
			add(n, ClassSSID, false)
		default:
			add(n, ClassHostname, false)
		}
	}
	for _, d := range r.domains {
		add(d, ClassHostname, false)
	}
	for real := range r.maps[mapUsers] {
		if !r.urlOnly[real] {
			add(real, ClassUsername, false)
		}
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

// Find reports the class of the first real identifier in l, if any.
func (g *Guard) Find(l []byte) (string, bool) {
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
