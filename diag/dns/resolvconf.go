package dnscheck

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/l2diag/l2diag/diag/target"
)

// Config is the resolver configuration in effect, whatever the platform
// reads it from.
type Config struct {
	// Source names where it was read ("/etc/resolv.conf", "GetAdaptersAddresses").
	Source   string           `json:"source"`
	Servers  []netip.AddrPort `json:"servers"`
	Search   []string         `json:"search,omitempty"`
	Ndots    int              `json:"ndots"`
	Timeout  int              `json:"timeout_s"`
	Attempts int              `json:"attempts"`
	Options  []string         `json:"options,omitempty"`
	// Stub is set when the servers are a local stub resolver
	// (systemd-resolved's 127.0.0.53); Upstreams are the stub's servers.
	Stub          bool             `json:"stub,omitempty"`
	StubSource    string           `json:"stub_source,omitempty"`
	Upstreams     []netip.AddrPort `json:"upstreams,omitempty"`
	UpstreamError string           `json:"upstream_error,omitempty"`
	// Scoped are per-domain resolvers (macOS /etc/resolver/DOMAIN, the
	// Windows NRPT).
	Scoped map[string][]netip.AddrPort `json:"scoped,omitempty"`
	// Adapters are the per-adapter servers and suffixes (Windows).
	Adapters []Adapter `json:"adapters,omitempty"`
	// PrimarySuffix is the machine's primary DNS suffix (Windows: the
	// domain, or the one group policy sets).
	PrimarySuffix string `json:"primary_suffix,omitempty"`
	// SearchSource says where Search comes from on Windows: a suffix
	// search list (policy or local) replaces the primary and
	// per-adapter suffixes.
	SearchSource string `json:"search_source,omitempty"`
	// NSSwitchHosts is the hosts: line of nsswitch.conf ("files dns").
	NSSwitchHosts string `json:"nsswitch_hosts,omitempty"`
	// Problems are lines that could not be understood.
	Problems []LineProblem `json:"problems,omitempty"`
}

// Adapter is one network adapter's DNS settings (Windows).
type Adapter struct {
	Name    string           `json:"name"`
	Servers []netip.AddrPort `json:"servers"`
	Suffix  string           `json:"suffix,omitempty"`
}

// LineProblem is a configuration line that could not be understood.
type LineProblem struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Text string `json:"text"`
	Why  string `json:"why"`
}

// glibc's defaults (resolv.conf(5)).
const (
	defaultNdots    = 1
	defaultTimeout  = 5
	defaultAttempts = 2
	// maxNameservers is how many nameserver lines glibc uses; more are ignored.
	maxNameservers = 3
)

// systemdStub is systemd-resolved's stub listener address.
var systemdStub = netip.MustParseAddr("127.0.0.53")

// ParseResolvConf parses resolv.conf content; file names it in problems.
// It never fails: a line it cannot understand becomes a LineProblem.
func ParseResolvConf(data []byte, file string) *Config {
	c := &Config{Source: file, Ndots: defaultNdots, Timeout: defaultTimeout, Attempts: defaultAttempts}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		bad := func(why string) {
			c.Problems = append(c.Problems, LineProblem{File: file, Line: n, Text: raw, Why: why})
		}
		f := strings.Fields(line)
		switch f[0] {
		case "nameserver":
			if len(f) < 2 {
				bad("nameserver without an address")
				continue
			}
			// A zone index (fe80::1%eth0) is allowed by glibc; netip keeps it.
			a, err := netip.ParseAddr(f[1])
			if err != nil {
				bad(fmt.Sprintf("%q is not an IP address", f[1]))
				continue
			}
			c.Servers = append(c.Servers, netip.AddrPortFrom(a, 53))
		case "search", "domain":
			if len(f) < 2 {
				bad(f[0] + " without a domain")
				continue
			}
			// The last search or domain line wins (resolv.conf(5)).
			c.Search = nil
			for _, d := range f[1:] {
				if d == "." {
					continue
				}
				if err := target.Name(d); err != nil {
					bad(fmt.Sprintf("search domain %q is not a DNS name", d))
					continue
				}
				c.Search = append(c.Search, strings.TrimSuffix(d, "."))
			}
		case "options":
			for _, o := range f[1:] {
				c.Options = append(c.Options, o)
				k, v, hasV := strings.Cut(o, ":")
				num := func(dst *int, max int) {
					x, err := strconv.Atoi(v)
					if !hasV || err != nil || x < 0 {
						bad(fmt.Sprintf("option %q needs a number (e.g. %s:2)", o, k))
						return
					}
					*dst = min(x, max)
				}
				switch k {
				case "ndots":
					num(&c.Ndots, 15)
				case "timeout":
					num(&c.Timeout, 30)
				case "attempts":
					num(&c.Attempts, 5)
				}
			}
		case "sortlist":
		default:
			bad(fmt.Sprintf("unknown keyword %q (resolv.conf knows nameserver, search, domain, options, sortlist)", f[0]))
		}
	}
	if err := sc.Err(); err != nil {
		c.Problems = append(c.Problems, LineProblem{File: file, Line: n + 1, Why: "cannot read further: " + err.Error()})
	}
	return c
}

// ReadResolvConf reads and parses a resolv.conf file.
func ReadResolvConf(path string) (*Config, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("dns: read %s: %w", path, err)
	}
	return ParseResolvConf(data, path), data, nil
}

// ParseNSSwitchHosts returns the sources of the hosts: line of an
// nsswitch.conf ("files dns"), or "" when there is none.
func ParseNSSwitchHosts(data []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == "hosts" {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return ""
}

// nsswitchUsesDNS reports whether a hosts: line consults DNS: glibc's dns
// module, systemd-resolved's resolve module, or mDNS-only does not count.
func nsswitchUsesDNS(hosts string) bool {
	for _, f := range strings.Fields(hosts) {
		if f == "dns" || f == "resolve" || strings.HasPrefix(f, "resolve[") {
			return true
		}
	}
	return false
}

// ParseHosts parses a hosts file into name → addresses (names lower-cased,
// without trailing dot). Lines it cannot parse are skipped: the OS skips them too.
func ParseHosts(data []byte) map[string][]netip.Addr {
	out := map[string][]netip.Addr{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil {
			continue
		}
		for _, n := range f[1:] {
			n = strings.ToLower(strings.TrimSuffix(n, "."))
			out[n] = append(out[n], a.Unmap())
		}
	}
	return out
}
