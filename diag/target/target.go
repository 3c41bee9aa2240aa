// Package target parses and validates the targets a user or a profile names:
// hosts, host:port pairs, URLs, DNS servers, DNS names and paths with access
// modes. Every error names the bad value and the accepted form.
package target

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// HostPort is a host (name or address) and a TCP port.
type HostPort struct {
	Host string
	Port int
}

// String formats hp the way net.Dial accepts it.
func (hp HostPort) String() string { return net.JoinHostPort(hp.Host, strconv.Itoa(hp.Port)) }

// Host validates a host name or IP address.
func Host(s string) error {
	if s == "" {
		return fmt.Errorf("empty host (use a name like server.example.com or an IP address)")
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return nil
	}
	if err := Name(s); err != nil {
		return fmt.Errorf("not a valid host name or IP address: %w (use a name like server.example.com, 192.0.2.1 or 2001:db8::1)", err)
	}
	return nil
}

// Name validates a DNS name: at most 253 characters, labels of 1 to 63
// letters, digits, hyphens or underscores, not starting or ending with a
// hyphen. A trailing dot is allowed.
func Name(s string) error {
	n := strings.TrimSuffix(s, ".")
	if n == "" {
		return fmt.Errorf("empty DNS name (use a name like www.example.com)")
	}
	if len(n) > 253 {
		return fmt.Errorf("%.40q… is %d characters, too long for a DNS name (at most 253)", n, len(n))
	}
	for _, label := range strings.Split(n, ".") {
		if label == "" {
			return fmt.Errorf("%q has an empty label (use a name like www.example.com)", s)
		}
		if len(label) > 63 {
			return fmt.Errorf("%q has a label longer than 63 characters", s)
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("%q has a label starting or ending with a hyphen", s)
		}
		for _, r := range label {
			ok := r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
			if !ok {
				return fmt.Errorf("%q contains %q, which a DNS name cannot (letters, digits, '-', '_' and dots only)", s, r)
			}
		}
	}
	return nil
}

// Port parses a TCP/UDP port number, 1 to 65535.
func Port(s string) (int, error) {
	p, err := strconv.Atoi(s)
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("port %q is not a number from 1 to 65535", s)
	}
	return p, nil
}

// ParseHostPort parses HOST:PORT ([IPv6]:PORT for IPv6 addresses).
func ParseHostPort(s string) (HostPort, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return HostPort{}, fmt.Errorf("%q is not HOST:PORT (use e.g. server.example.com:443 or [2001:db8::1]:443)", s)
	}
	if err := Host(host); err != nil {
		return HostPort{}, fmt.Errorf("%q: %w", s, err)
	}
	p, err := Port(port)
	if err != nil {
		return HostPort{}, fmt.Errorf("%q: %w", s, err)
	}
	return HostPort{Host: host, Port: p}, nil
}

// ParseURL parses an absolute http or https URL with a valid host.
func ParseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute URL (use e.g. https://intranet.example.com/)", s)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q: scheme %q is not supported (use http:// or https://)", s, u.Scheme)
	}
	if err := Host(u.Hostname()); err != nil {
		return nil, fmt.Errorf("%q: %w", s, err)
	}
	if p := u.Port(); p != "" {
		if _, err := Port(p); err != nil {
			return nil, fmt.Errorf("%q: %w", s, err)
		}
	}
	return u, nil
}

// ParseDNSServer parses IP or IP:PORT ([IPv6]:PORT); the port defaults to 53.
func ParseDNSServer(s string) (netip.AddrPort, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.AddrPortFrom(a, 53), nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil || ap.Port() == 0 {
		return netip.AddrPort{}, fmt.Errorf("%q is not a DNS server address (use IP or IP:PORT, e.g. 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53)", s)
	}
	return ap, nil
}

// Access is a set of access modes to test on a path.
type Access struct{ Read, Write, Exec bool }

// String returns the modes as letters, e.g. "rw".
func (a Access) String() string {
	s := ""
	if a.Read {
		s += "r"
	}
	if a.Write {
		s += "w"
	}
	if a.Exec {
		s += "x"
	}
	return s
}

// ParseAccess parses a non-empty combination of r, w and x.
func ParseAccess(s string) (Access, error) {
	var a Access
	if s == "" {
		return a, fmt.Errorf("empty access modes (use a combination of r, w and x, e.g. rw)")
	}
	for _, r := range s {
		switch r {
		case 'r':
			a.Read = true
		case 'w':
			a.Write = true
		case 'x':
			a.Exec = true
		default:
			return a, fmt.Errorf("access modes %q: %q is not one of r, w, x (use e.g. r, rw or rwx)", s, r)
		}
	}
	return a, nil
}

// Path is a filesystem path and the access to test on it.
type Path struct {
	Path   string
	Access Access
}

// String formats p as MODES=PATH.
func (p Path) String() string { return p.Access.String() + "=" + p.Path }

// ParsePath parses [MODES=]PATH; MODES defaults to r. A prefix before the
// first '=' counts as MODES only when it holds no path separator, so
// "/data/a=b" is a path.
func ParsePath(s string) (Path, error) {
	if s == "" {
		return Path{}, fmt.Errorf("empty path (use [MODES=]PATH, e.g. rw=/srv/share)")
	}
	if i := strings.IndexByte(s, '='); i >= 0 && !strings.ContainsAny(s[:i], `/\:`) {
		a, err := ParseAccess(s[:i])
		if err != nil {
			return Path{}, fmt.Errorf("%q: %w", s, err)
		}
		if s[i+1:] == "" {
			return Path{}, fmt.Errorf("%q has no path after '=' (use [MODES=]PATH, e.g. rw=/srv/share)", s)
		}
		return Path{Path: s[i+1:], Access: a}, nil
	}
	return Path{Path: s, Access: Access{Read: true}}, nil
}
