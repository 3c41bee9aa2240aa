package dnscheck

import (
	"crypto/rand"
	"encoding/hex"
	"net/netip"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/target"
)

// factEngine holds the run's query engine. It is a fact so that it lives
// exactly as long as the run; in a bundle it shows as the query log.
var factEngine = diag.NewFactKey[*engine]("dns_queries")

// server is a DNS server to query and why.
type server struct {
	Addr netip.AddrPort `json:"addr"`
	// Source: "system" (the machine's configuration), "cli" (--dns-server)
	// or "profile" (dns.servers).
	Source string `json:"source"`
}

// setup is what every probe check plans from: the engine and the lists.
type setup struct {
	e       *engine
	servers []server
	// names are the fully qualified names to resolve; short names are
	// single labels, resolved through the search list.
	names, short []string
	search       []string
	types        []uint16
	// expect is what names must resolve to (dns.names entries with expect
	// or expect_private, --dns-name NAME=IP), keyed like names.
	expect map[string]target.Expectation
}

// setupFor builds the run's setup on the first probe Plan and returns the
// same one after. Plans run one after another, so get-then-set is safe.
func setupFor(in *diag.PlanInput) *setup {
	e, ok := diag.GetFact(in.Facts, factEngine)
	if !ok {
		d := in.Profile.DNS
		e = newEngine(d.QueryTimeout.D(), d.Retries)
		diag.SetFact(in.Facts, factEngine, e)
	}
	s := &setup{e: e, servers: serversOf(in)}
	s.names, s.short = namesOf(in)
	s.expect = expectationsOf(in)
	s.search, _ = diag.GetFact(in.Facts, diag.FactSearchDomains)
	for _, t := range in.Profile.DNS.Types {
		if c, ok := wire.TypeCode(t); ok {
			s.types = append(s.types, c)
		}
	}
	return s
}

// serversOf lists the servers in use, then --dns-server, then the profile's.
func serversOf(in *diag.PlanInput) []server {
	var out []server
	add := func(ap netip.AddrPort, src string) {
		for _, s := range out {
			if s.Addr == ap {
				return
			}
		}
		out = append(out, server{Addr: ap, Source: src})
	}
	sys, _ := diag.GetFact(in.Facts, diag.FactDNSServers)
	for _, ap := range sys {
		add(ap, "system")
	}
	if in.Targets != nil {
		for _, ap := range in.Targets.DNSServers {
			add(ap, "cli")
		}
	}
	for _, ap := range in.Profile.DNS.ServerAddrs() {
		add(ap, "profile")
	}
	return out
}

// namesOf lists the names to resolve: the profile's, --dns-name, and the
// host names of every net target. IP literals are left out.
func namesOf(in *diag.PlanInput) (fqdn, short []string) {
	var all []string
	all = append(all, in.Profile.DNS.NameList()...)
	if t := in.Targets; t != nil {
		all = append(all, t.DNSNames...)
		all = append(all, t.Ping...)
		for _, hp := range t.TCP {
			all = append(all, hp.Host)
		}
		for _, u := range t.HTTP {
			all = append(all, u.Hostname())
		}
	}
	all = append(all, in.Profile.Net.Hostnames()...)
	seen := map[string]bool{}
	for _, n := range all {
		if _, err := netip.ParseAddr(n); err == nil || n == "" {
			continue
		}
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		if seen[n] || n == "localhost" {
			continue
		}
		seen[n] = true
		if strings.Contains(n, ".") {
			fqdn = append(fqdn, n)
		} else {
			short = append(short, n)
		}
	}
	return fqdn, short
}

// expectationsOf merges the profile's expectations with the command
// line's, which win for the same name.
func expectationsOf(in *diag.PlanInput) map[string]target.Expectation {
	out := in.Profile.DNS.Expectations()
	if in.Targets != nil {
		for n, e := range in.Targets.DNSExpect {
			out[n] = e
		}
	}
	return out
}

// typesFor returns the record types to ask for name: the profile's, plus A
// and AAAA when the name has an expectation to judge.
func (s *setup) typesFor(name string) []uint16 {
	if _, ok := s.expect[name]; !ok {
		return s.types
	}
	out := slices.Clone(s.types)
	for _, t := range addrTypes {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func (s *setup) systemServers() []server {
	var out []server
	for _, sv := range s.servers {
		if sv.Source == "system" {
			out = append(out, sv)
		}
	}
	if len(out) == 0 {
		return s.servers
	}
	return out
}

// keys returns the questions for name × types × servers over UDP.
func keys(servers []server, name string, types []uint16) []qkey {
	var out []qkey
	for _, sv := range servers {
		for _, t := range types {
			out = append(out, qkey{server: sv.Addr, name: wire.Fqdn(name), qtype: t, via: wire.UDP})
		}
	}
	return out
}

// addrTypes are what an application asks for: A and AAAA.
var addrTypes = []uint16{wire.TypeA, wire.TypeAAAA}

// randomLabel returns a label no zone has: "l2diag-nx-" and 12 hex digits.
func randomLabel() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "l2diag-nx-" + hex.EncodeToString(b)
}

// profileTypes are the record types profiles accept.
func profileTypes() []string { return profile.DNSTypes }
