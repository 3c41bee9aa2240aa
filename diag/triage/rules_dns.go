package triage

import (
	"fmt"
	"slices"

	"github.com/l2diag/l2diag/report"
)

// DNS: with the link and gateway fine, a dead resolver makes every check by
// name fail while checks by address pass. The server a finding is about is
// its evidence "server" or, for per-server checks, its target.

// dnsServer returns the DNS server a finding or result is about.
func dnsServer(o Obs) string {
	if s := o.EvHost(evServer); s != "" {
		return s
	}
	if o.Category == "dns" && isIP(o.Host) {
		return o.Host
	}
	return ""
}

// dnsAnswerCodes prove the server answered something (even REFUSED or a
// DNSSEC failure: the server is up).
var dnsAnswerCodes = []string{
	codeDNSRefused, codeDNSTCPBlocked, codeDNSUDPBlocked, codeDNSServerSlow, codeDNSNXDomain,
	codeDNSServfail, codeDNSSEC, codeDNSEmpty, codeDNSQueryRefused, codeDNSHijack, codeDNSMalformed,
}

// dnsDead returns the unexplained findings saying a DNS server does not
// answer at all (the dns-server check's verdict, or its timeout); the
// rules reading it list these codes in Uses.
func dnsDead(v *View) []Obs {
	var out []Obs
	for _, o := range v.Find(codeDNSServerDown, codeDNSServerRejects, codeCheckTimeout) {
		if dnsServer(o) != "" && (o.Code != codeCheckTimeout || o.Check == "dns-server") {
			out = append(out, o)
		}
	}
	return out
}

// dnsAlive returns the servers that answered something.
func dnsAlive(v *View) []string {
	var out []string
	for _, o := range v.Where(func(o Obs) bool { return o.Category == "dns" }) {
		s := dnsServer(o)
		if s == "" || slices.Contains(out, s) {
			continue
		}
		if slices.Contains(dnsAnswerCodes, o.Code) || (o.Code == "" && o.Check == "dns-server" && o.Status == report.StatusOK) {
			out = append(out, s)
		}
	}
	return out
}

// byName explains problems about one of names: checks by that host name and
// DNS findings about it (evidence "name").
func byName(names ...string) func(Obs) bool {
	return func(o Obs) bool {
		if slices.Contains(names, o.Host) && !isIP(o.Host) {
			return true
		}
		n := hostOf(o.Ev("name"))
		if n == "" {
			n = hostOf(o.Ev("host"))
		}
		return n != "" && slices.Contains(names, n)
	}
}

// byHostName explains every network problem of a check by host name (not
// by address), and every "does not resolve".
func byHostName(o Obs) bool {
	if o.Code == codeNoResolve {
		return true
	}
	return netDependent(o) && o.Host != "" && !isIP(o.Host)
}

var specDNSNoServers = Spec{
	Code: "cause.dns-not-configured", Layer: LayerDNS, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "No DNS server configured",
	Meaning: "The resolver configuration lists no usable DNS server (or a local stub resolver has no upstream), so no name resolves.",
	Causes:  []string{"DHCP gave no DNS servers", "a VPN client rewrote resolv.conf and did not restore it", "systemd-resolved has no upstream for this link"},
	Fix:     "Renew the DHCP lease or set the DNS servers for the interface (resolvectl status; Windows: Get-DnsClientServerAddress); check the VPN client.",
	Why:     "Drawn from the DNS configuration findings; explains every failure of a check by host name.",
}

func ruleDNSNoServers(v *View) []Match {
	found := v.Find(codeDNSNoServer, codeDNSStubNoUpstream, codeDNSConfigUnreadable)
	if len(found) == 0 {
		return nil
	}
	return []Match{{
		Headline:   "No DNS server is configured: " + message(found),
		Confidence: High, Evidence: found, Explains: anyOf(byHostName, func(o Obs) bool { return o.Category == "dns" }),
	}}
}

var specDNSAllDown = Spec{
	Code: "cause.dns-down", Layer: LayerDNS, Status: report.StatusFail, Escalation: DNS,
	Title:   "All DNS servers dead",
	Meaning: "None of the DNS servers in use answers, while IP addresses are reachable: name resolution is down, so everything by name fails.",
	Causes:  []string{"the DNS service on the servers stopped", "a firewall drops port 53 to the servers", "the servers' addresses changed and DHCP hands out stale ones"},
	Fix:     "Ask the DNS administrators to check the servers (named in the evidence); as a stopgap, a working resolver can be set for this machine.",
	Why:     "Drawn when every DNS server checked has no answer (timeout) and none answered; confidence high when other hosts answer by address. Explains every failure of a check by host name and every finding about those servers.",
}

func ruleDNSAllDown(v *View) []Match {
	dead := dnsDead(v)
	if len(dead) == 0 {
		return nil
	}
	var servers []string
	for _, o := range dead {
		if s := dnsServer(o); !slices.Contains(servers, s) {
			servers = append(servers, s)
		}
	}
	for _, s := range dnsAlive(v) {
		if !slices.Contains(servers, s) {
			return nil // another server answers: ruleDNSServerDown
		}
	}
	conf, head := Medium, fmt.Sprintf("No DNS server answers (%s): name resolution is down.", list(servers))
	var cites []Obs
	if ok := reached(v); len(ok) > 0 {
		conf = High
		head = fmt.Sprintf("No DNS server answers (%s) although IP addresses are reachable: name resolution is down.", list(servers))
		cites = ok[:1]
	}
	return []Match{{
		Headline: head, Confidence: conf, Evidence: dead, Cites: cites,
		Explains: anyOf(byHostName, sameHost(servers...), func(o Obs) bool { return o.Category == "dns" }),
	}}
}

var specDNSServerDown = Spec{
	Code: "cause.dns-server-down", Layer: LayerDNS, Status: report.StatusWarn, Escalation: DNS,
	Title:   "One DNS server dead",
	Meaning: "One of the DNS servers in use does not answer while another does: names still resolve, but every lookup that tries the dead one first waits for its timeout.",
	Causes:  []string{"the DNS service on that server stopped or the server is down", "a firewall drops port 53 to that server only", "a decommissioned server still handed out by DHCP"},
	Fix:     "Ask the DNS administrators to repair the server or remove it from the DHCP options; until then, lookups are slow but work.",
	Why:     "Drawn per server with no answer when another server answers; explains the findings about that server (its ping, trace and lookups).",
}

func ruleDNSServerDown(v *View) []Match {
	dead := dnsDead(v)
	alive := dnsAlive(v)
	byServer, servers := map[string][]Obs{}, []string(nil)
	for _, o := range dead {
		s := dnsServer(o)
		if _, ok := byServer[s]; !ok {
			servers = append(servers, s)
		}
		byServer[s] = append(byServer[s], o)
	}
	var working []string
	for _, s := range alive {
		if _, ok := byServer[s]; !ok {
			working = append(working, s)
		}
	}
	if len(working) == 0 {
		return nil
	}
	var out []Match
	for _, s := range servers {
		ev := byServer[s]
		what := "does not answer"
		if pings := v.Where(func(o Obs) bool { return o.Host == s && o.Code == codePingNoAnswer }); len(pings) > 0 {
			what = "does not answer (not even ping)"
			ev = append(ev, pings...)
		}
		other := "the other server works"
		if len(working) > 1 {
			other = "the other servers work"
		}
		out = append(out, Match{
			Headline:   fmt.Sprintf("DNS server %s %s; %s (%s).", s, what, other, list(working)),
			Confidence: High, Evidence: ev,
			Explains: anyOf(sameHost(s), func(o Obs) bool { return dnsServer(o) == s }),
		})
	}
	return out
}

var specDNSRefused = Spec{
	Code: "cause.dns-refused", Layer: LayerDNS, Status: report.StatusFail, Escalation: DNS,
	Title:   "DNS server refuses this client",
	Meaning: "A DNS server answers REFUSED: it is up but will not resolve for this machine's address.",
	Causes:  []string{"the server's ACL (allow-recursion) does not include this subnet", "the machine uses an authoritative-only server as its resolver", "a VPN address range missing from the resolver's ACL"},
	Fix:     "Ask the DNS administrators to allow recursion for this machine's subnet, or point the machine at the right resolver.",
	Why:     "Drawn from dns.server-refused (the server's own check); fail when no server resolves, a warning when another does. A REFUSED for single names is cause.dns-servfail.",
}

func ruleDNSRefused(v *View) []Match {
	found := v.Find(codeDNSRefused)
	if len(found) == 0 {
		return nil
	}
	var servers []string
	for _, o := range found {
		if s := dnsServer(o); s != "" && !slices.Contains(servers, s) {
			servers = append(servers, s)
		}
	}
	st, head := report.StatusFail, fmt.Sprintf("%s %s to resolve for this machine.", dnsSubject(servers), verb(servers, "refuses", "refuse"))
	for _, s := range dnsAlive(v) {
		if !slices.Contains(servers, s) {
			st = report.StatusWarn
			head = fmt.Sprintf("%s %s to resolve for this machine; %s works.", dnsSubject(servers), verb(servers, "refuses", "refuse"), s)
			break
		}
	}
	m := Match{Headline: head, Confidence: High, Status: st, Evidence: found,
		Explains: func(o Obs) bool { return slices.Contains(servers, dnsServer(o)) }}
	if st == report.StatusFail {
		m.Explains = anyOf(m.Explains, byHostName)
	}
	return []Match{m}
}

var specDNSSEC = Spec{
	Code: "cause.dnssec-broken", Layer: LayerDNS, Status: report.StatusFail, Escalation: DNS,
	Title:   "DNSSEC validation fails",
	Meaning: "A validating resolver answers SERVFAIL for a name, but answers when validation is disabled: the zone's DNSSEC signatures are broken (expired or wrong), not the server.",
	Causes:  []string{"expired RRSIG signatures (the zone was not re-signed)", "a DS record at the parent that no longer matches the zone's key after a key rollover", "a wrong trust anchor on the resolver"},
	Fix:     "Give the zone's owner the name and the evidence (dig +dnssec NAME; dig +cd NAME); the zone must be re-signed or its DS record fixed. Do not disable validation on the resolver.",
	Why:     "Drawn from the DNSSEC validation finding; explains the SERVFAIL and every failure of checks by that name.",
}

func ruleDNSSEC(v *View) []Match {
	found := v.Find(codeDNSSEC)
	if len(found) == 0 {
		return nil
	}
	names := dnsNames(found)
	return []Match{{
		Headline:   fmt.Sprintf("DNSSEC validation fails for %s: the zone's signatures are broken, the servers are fine.", list(names)),
		Confidence: High, Evidence: found,
		Explains: anyOf(byName(names...), codeIn(codeDNSServfail)),
	}}
}

// dnsNames returns the names DNS findings are about.
func dnsNames(obs []Obs) []string {
	var out []string
	for _, o := range obs {
		n := hostOf(o.Ev("name"))
		if n == "" {
			n = o.Host
		}
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

var specDNSHijack = Spec{
	Code: "cause.dns-hijacked", Layer: LayerDNS, Status: report.StatusFail, Escalation: Network,
	Title:   "NXDOMAIN hijacked",
	Meaning: "A DNS server answers a name that cannot exist with an address: it rewrites \"no such name\" into a redirect (an ISP's search page, a captive portal, or tampering).",
	Causes:  []string{"an ISP resolver with NXDOMAIN redirection", "a captive portal answering every name", "a compromised router or a rogue DHCP server handing out its own resolver"},
	Fix:     "Use the organisation's resolvers instead of the one named in the evidence; if that server should be the organisation's own, report it to the security team as possible tampering.",
	Why:     "Drawn from the NXDOMAIN-rewriting finding; explains the disagreement and wrong answers it causes.",
}

func ruleDNSHijack(v *View) []Match {
	found := v.Find(codeDNSHijack)
	if len(found) == 0 {
		return nil
	}
	var servers []string
	for _, o := range found {
		if s := dnsServer(o); s != "" && !slices.Contains(servers, s) {
			servers = append(servers, s)
		}
	}
	return []Match{{
		Headline:   fmt.Sprintf("%s %s names that do not exist with an address: NXDOMAIN is hijacked.", dnsSubject(servers), verb(servers, "answers", "answer")),
		Confidence: High, Evidence: found,
		Explains: codeIn(codeDNSDisagree, codeDNSSystemDiffers),
	}}
}

var specHostsOverride = Spec{
	Code: "cause.hosts-override", Layer: LayerDNS, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "hosts-file override",
	Meaning: "An entry in the hosts file (/etc/hosts, C:\\Windows\\System32\\drivers\\etc\\hosts) gives a name another address than DNS does; applications use it, dig and nslookup do not see it.",
	Causes:  []string{"a leftover entry from a migration or a test", "software that blocks or redirects names through the hosts file", "malware redirecting a name"},
	Fix:     "Remove or correct the entry in the hosts file (the line is in the evidence), then flush the cache (Windows: ipconfig /flushdns).",
	Why:     "Drawn from the hosts-file override finding; explains the failures of checks by that name and the system-vs-DNS difference.",
}

func ruleHostsOverride(v *View) []Match {
	found := v.Find(codeDNSHostsOverride)
	if len(found) == 0 {
		return nil
	}
	names := dnsNames(found)
	// The address the hosts file gives, as the net checks by those names
	// reached it: what fails there (the trace to it) is the override's.
	wrong := slices.DeleteFunc(sameMachine(v, names), func(h string) bool { return !isIP(h) })
	return []Match{{
		Headline:   fmt.Sprintf("The hosts file overrides DNS for %s: applications get another address than DNS gives.", list(names)),
		Confidence: High, Evidence: found,
		Explains: anyOf(byName(names...), codeIn(codeDNSSystemDiffers), sameHost(wrong...)),
	}}
}

var specNXDomain = Spec{
	Code: "cause.name-not-found", Layer: LayerDNS, Status: report.StatusFail, Escalation: DNS,
	Title:   "Name does not exist",
	Meaning: "The DNS servers agree that a name does not exist (NXDOMAIN).",
	Causes:  []string{"a typo in the name or the configuration", "a record deleted or not yet created", "a short name without the search domain it needs"},
	Fix:     "Check the spelling; if the name should exist, ask the DNS administrators (or the application's owner) to create the record.",
	Why:     "Drawn from dns.nxdomain (and net.no-resolve when DNS itself works); explains the failures of checks by that name.",
}

func ruleNXDomain(v *View) []Match {
	// A net check's "does not resolve" for a name the DNS checks resolved
	// is a lookup lost on the way (packet loss, a server timing out), not
	// a missing name.
	found := slices.DeleteFunc(v.Find(codeDNSNXDomain, codeNoResolve), func(o Obs) bool {
		return o.Code == codeNoResolve && resolvesInDNS(v, o.Host)
	})
	if len(found) == 0 {
		return nil
	}
	names := dnsNames(found)
	m := Match{
		Headline:   fmt.Sprintf("%s %s: %s in DNS.", list(names), verb(names, "does not resolve", "do not resolve"), verb(names, "the name does not exist", "the names do not exist")),
		Confidence: Medium, Status: worst(found), Evidence: found,
		Explains: byName(names...),
	}
	// The built-in probes' names are spelled right: "check the spelling"
	// would contradict the evidence.
	if !slices.ContainsFunc(found, func(o Obs) bool { return !o.Background() }) {
		m.NextStep = "These are l2diag's built-in probe names, spelled right: the DNS servers cannot resolve internet names (their forwarders or upstream), or this network filters them. Give the DNS administrators the names and servers from the evidence."
	}
	return []Match{m}
}

// resolvesInDNS reports whether the DNS checks got name's address from
// some server: every dns-resolve result for it passed or only warned (one
// server slow or silent while another answers), none said NXDOMAIN.
func resolvesInDNS(v *View, name string) bool {
	if name == "" || isIP(name) {
		return false
	}
	seen := false
	for _, o := range v.OnHosts(name) {
		if o.Check != "dns-resolve" {
			continue
		}
		if o.Code == codeDNSNXDomain || (o.Result.Status != report.StatusOK && o.Result.Status != report.StatusWarn) {
			return false
		}
		seen = true
	}
	return seen
}

// dnsSubject names one or more DNS servers as a sentence's subject.
func dnsSubject(servers []string) string {
	if len(servers) == 1 {
		return "DNS server " + servers[0]
	}
	return "DNS servers " + list(servers)
}

// verb picks the singular or plural form for a subject of n items.
func verb(items []string, one, many string) string {
	if len(items) == 1 {
		return one
	}
	return many
}
