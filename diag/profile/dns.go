package profile

import (
	"net/netip"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag/target"
)

// DNS is the profile's `dns:` section: targets and thresholds of the dns checks.
// The dns category owns this file and its part of default.yaml.
type DNS struct {
	// Names are resolved on every server (a single label is tried through
	// the search list instead, see dns-search), each with what it must
	// resolve to if the profile says.
	Names []DNSName `yaml:"names"`
	// Servers are queried besides the ones the machine uses (IP or IP:PORT).
	Servers []string `yaml:"servers"`
	// Types are the record types asked for every name.
	Types []string `yaml:"types"`
	// QueryTimeout is how long one query waits for its answer.
	QueryTimeout Duration `yaml:"query_timeout"`
	// Retries is how often an unanswered UDP query is sent again.
	Retries int `yaml:"retries"`
	// SlowThreshold is the answer time above which a server is called slow.
	SlowThreshold Duration `yaml:"slow_threshold"`
	// HijackDomain is the domain under which dns-hijack asks for a random
	// name that cannot exist.
	HijackDomain string `yaml:"hijack_domain"`
}

// DNSTypes are the record types a profile may ask for. The DNS checks map
// each to its wire code (a test there keeps the two lists in step).
var DNSTypes = []string{"A", "AAAA", "CNAME", "MX", "TXT", "SRV", "NS", "SOA", "PTR", "CAA", "HTTPS", "SVCB", "DS", "DNSKEY"}

// maxDNSRetries bounds retries: beyond a few, a dead server only makes
// the run slower without telling more.
const maxDNSRetries = 5

// ServerAddrs returns the profile's extra DNS servers, parsed. Validation
// has already rejected any that do not parse.
func (d DNS) ServerAddrs() []netip.AddrPort {
	var out []netip.AddrPort
	for _, s := range d.Servers {
		if ap, err := target.ParseDNSServer(s); err == nil {
			out = append(out, ap)
		}
	}
	return out
}

func (p *Profile) validateDNS() error {
	d := &p.DNS
	if err := p.validateDNSNames(); err != nil {
		return err
	}
	for i, s := range d.Servers {
		if _, err := target.ParseDNSServer(s); err != nil {
			return p.errorf("dns.servers", "entry %d: %v", i+1, err)
		}
	}
	if len(d.Types) == 0 {
		return p.errorf("dns.types", "empty (name at least one record type, e.g. [A, AAAA])")
	}
	for i, t := range d.Types {
		up := strings.ToUpper(t)
		found := false
		for _, k := range DNSTypes {
			if k == up {
				found = true
			}
		}
		if !found {
			return p.errorf("dns.types", "entry %d: unknown record type %q (use one of %s)", i+1, t, strings.Join(DNSTypes, ", "))
		}
		d.Types[i] = up
	}
	if d.QueryTimeout <= 0 {
		return p.errorf("dns.query_timeout", "%s is not a positive duration (use e.g. 2s)", d.QueryTimeout)
	}
	if d.Retries < 0 || d.Retries > maxDNSRetries {
		return p.errorf("dns.retries", "%d is out of range (use 0 to %d)", d.Retries, maxDNSRetries)
	}
	if d.SlowThreshold <= 0 {
		return p.errorf("dns.slow_threshold", "%s is not a positive duration (use e.g. 500ms)", d.SlowThreshold)
	}
	if d.SlowThreshold >= d.QueryTimeout {
		return p.errorf("dns.slow_threshold", "%s is not below query_timeout %s (a slow answer must still arrive)", d.SlowThreshold, d.QueryTimeout)
	}
	// The worst case of one query is every try timing out; it must fit in
	// the check's deadline or the checks would be abandoned mid-query.
	if worst := d.QueryTimeout.D() * time.Duration(d.Retries+1); worst >= p.CheckTimeout.D() {
		return p.errorf("dns.query_timeout", "%s × %d tries = %s does not fit in check_timeout %s (lower query_timeout or retries, or raise check_timeout)", d.QueryTimeout, d.Retries+1, worst, p.CheckTimeout)
	}
	if err := target.Name(d.HijackDomain); err != nil {
		return p.errorf("dns.hijack_domain", "%v", err)
	}
	return nil
}
