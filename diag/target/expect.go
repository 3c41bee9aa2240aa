package target

import (
	"fmt"
	"net/netip"
	"strings"
)

// Expectation is what a DNS name must resolve to. The answer meets it when
// at least one of its addresses is in one of Prefixes (an address is a /32
// or /128) or, with Private, is a private address (RFC 1918, IPv6 ULA).
// "At least one" because a dual-stack intranet name may carry a global
// IPv6 address beside its private IPv4 one, and a profile need not list
// every address of a load-balanced service.
type Expectation struct {
	Prefixes []netip.Prefix
	Private  bool
}

// Set reports whether e expects anything at all.
func (e Expectation) Set() bool { return len(e.Prefixes) > 0 || e.Private }

// Met reports whether one of addrs meets e.
func (e Expectation) Met(addrs []netip.Addr) bool {
	for _, a := range addrs {
		a = a.Unmap()
		if e.Private && a.IsPrivate() {
			return true
		}
		for _, p := range e.Prefixes {
			if p.Contains(a) {
				return true
			}
		}
	}
	return false
}

// String says what e expects, for messages: "10.20.0.5 or 10.20.0.0/16",
// "a private address (RFC 1918 or ULA)".
func (e Expectation) String() string {
	parts := e.Strings()
	if e.Private {
		parts = append(parts, "a private address (RFC 1918 or ULA)")
	}
	return strings.Join(parts, " or ")
}

// Strings returns the expected addresses and prefixes as text, an address
// without its /32 or /128.
func (e Expectation) Strings() []string {
	var out []string
	for _, p := range e.Prefixes {
		if p.IsSingleIP() {
			out = append(out, p.Addr().String())
		} else {
			out = append(out, p.String())
		}
	}
	return out
}

// ParseExpected parses an expected address (10.20.0.5, 2001:db8::5) or
// prefix (10.20.0.0/16) into a prefix.
func ParseExpected(s string) (netip.Prefix, error) {
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	return netip.Prefix{}, fmt.Errorf("%q is not an IP address or prefix (use e.g. 10.20.0.5, 2001:db8::5 or 10.20.0.0/16)", s)
}

// nameExpectForm is the accepted form of ParseNameExpect, for errors.
const nameExpectForm = "use NAME, NAME=IP[,IP...] or NAME=private, e.g. intranet.example.com=10.20.0.5"

// ParseNameExpect parses the command line's NAME, NAME=IP[,IP...] (IPs or
// prefixes) or NAME=private. The expectation is unset for a bare NAME.
func ParseNameExpect(s string) (string, Expectation, error) {
	name, rest, hasExpect := strings.Cut(s, "=")
	if err := Name(name); err != nil {
		return "", Expectation{}, fmt.Errorf("%w; %s", err, nameExpectForm)
	}
	var e Expectation
	if !hasExpect {
		return name, e, nil
	}
	if strings.TrimSpace(rest) == "" {
		return "", e, fmt.Errorf("%q names no address after '=' (%s)", s, nameExpectForm)
	}
	for _, v := range strings.Split(rest, ",") {
		v = strings.TrimSpace(v)
		if strings.EqualFold(v, "private") {
			e.Private = true
			continue
		}
		p, err := ParseExpected(v)
		if err != nil {
			return "", Expectation{}, fmt.Errorf("in %q: %w, or private (%s)", s, err, nameExpectForm)
		}
		e.Prefixes = append(e.Prefixes, p)
	}
	return name, e, nil
}
