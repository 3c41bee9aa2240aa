package triage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// The DNS conclusions drawn from one kind of finding each.

var specDNSServfail = Spec{
	Code: "cause.dns-servfail", Layer: LayerDNS, Status: report.StatusFail, Escalation: DNS,
	Title:   "DNS server fails to resolve a name",
	Meaning: "A DNS server that answers other queries fails for a name: SERVFAIL even with validation disabled, REFUSED, or no answer. It cannot reach the name's authoritative servers, or does not serve that zone.",
	Causes:  []string{"the zone's authoritative servers are down or lame", "the resolver cannot reach the internet (forwarders down)", "a forwarder or view that does not serve that zone"},
	Fix:     "Give the DNS administrators the name and server from the evidence (dig @SERVER NAME).",
	Why:     "Drawn from dns.servfail, dns.query-timeout, dns.query-refused and dns.malformed-answer when neither a dead server nor DNSSEC explains them.",
}

var specDNSTCPBlocked = Spec{
	Code: "cause.dns-tcp-blocked", Layer: LayerDNS, Status: report.StatusWarn, Escalation: Network,
	Title:   "DNS over TCP blocked",
	Meaning: "A DNS server answers over UDP but not over TCP: large answers (DNSSEC, many records) fail.",
	Causes:  []string{"a firewall allowing only UDP 53"},
	Fix:     "Ask the firewall's owner to allow TCP 53 to the DNS server as well.",
	Why:     "Drawn from dns.tcp-blocked.",
}

var specDNSDisagree = Spec{
	Code: "cause.dns-inconsistent", Layer: LayerDNS, Status: report.StatusWarn, Escalation: DNS,
	Title:   "DNS servers disagree",
	Meaning: "The DNS servers in use give different answers for the same name: depending on which one a lookup asks, the application reaches different hosts.",
	Causes:  []string{"split-horizon DNS with a server from the wrong view", "a stale secondary or cache after a change", "a VPN resolver mixed with a public one"},
	Fix:     "Give the DNS administrators the evidence (which server says what); until fixed, point the machine at the consistent servers.",
	Why:     "Drawn from dns.servers-disagree. When checks by that name reach nothing at the address one server gives while another server gives a different one, the wrong answer is the cause: a failure with high confidence that explains those checks (the host is not concluded unreachable), naming which server answered what and where the service is. Otherwise a low-confidence warning.",
}

var specDNSSystemDiffers = Spec{
	Code: "cause.dns-system-differs", Layer: LayerDNS, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "System resolver differs from DNS",
	Meaning: "Applications (the OS resolver) get another answer than the DNS servers give, without a hosts-file entry explaining it.",
	Causes:  []string{"a local cache (nscd, systemd-resolved) holding an old answer", "an nsswitch source other than DNS (mDNS, LDAP)", "a VPN client's own resolver"},
	Fix:     "Flush the local cache (resolvectl flush-caches; ipconfig /flushdns) and check the hosts: line of /etc/nsswitch.conf.",
	Why:     "Drawn from dns.system-differs when no hosts-file override explains it.",
}

var specDNSSlow = Spec{
	Code: "cause.dns-slow", Layer: LayerDNS, Status: report.StatusWarn, Escalation: DNS,
	Title:   "DNS slow",
	Meaning: "A DNS server answers, but slower than the profile's threshold: every new connection waits for it.",
	Causes:  []string{"an overloaded or distant resolver", "a resolver whose forwarders time out"},
	Fix:     "Give the DNS administrators the latency figures from the evidence.",
	Why:     "Drawn from dns.server-slow.",
}

// headlineDNSSlow says how slow, against what, and whether a lost first
// query (a retry) made it slow.
func headlineDNSSlow(found []Obs) string {
	head := headlineServers("answers slowly", "answer slowly")(found)
	var worst float64
	threshold, retried := "", false
	for _, o := range found {
		if ms, err := strconv.ParseFloat(o.Ev(evRTTms), 64); err == nil && ms > worst {
			worst, threshold = ms, o.Ev(evThresholdMS)
		}
		retried = retried || (o.Ev(evTries) != "" && o.Ev(evTries) != "1")
	}
	if worst == 0 {
		return head
	}
	head = strings.TrimSuffix(head, ".") + fmt.Sprintf(" (up to %.0f ms", worst)
	if threshold != "" {
		head += ", threshold " + threshold + " ms"
	}
	head += "): every new connection waits that long"
	if retried {
		head += "; a first query was lost and retried"
	}
	return head + "."
}

var specDNSEmpty = Spec{
	Code: "cause.dns-no-record", Layer: LayerDNS, Status: report.StatusWarn, Escalation: DNS,
	Title:   "Name has no record of the type asked",
	Meaning: "The name exists but has no address of the type asked (an empty answer, e.g. no AAAA).",
	Causes:  []string{"a record only for IPv4 (or only IPv6)", "a record deleted"},
	Fix:     "If the application needs that record type, ask the DNS administrators to add it.",
	Why:     "Drawn from dns.no-answer.",
}

func headlineServers(one, many string) func([]Obs) string {
	return func(found []Obs) string {
		var servers []string
		for _, o := range found {
			if s := dnsServer(o); s != "" && !contains(servers, s) {
				servers = append(servers, s)
			}
		}
		if len(servers) == 0 {
			return message(found)
		}
		return fmt.Sprintf("%s %s.", dnsSubject(servers), verb(servers, one, many))
	}
}

func headlineNames(verb string) func([]Obs) string {
	return func(found []Obs) string {
		names := dnsNames(found)
		if len(names) == 0 {
			return message(found)
		}
		return fmt.Sprintf("%s: %s.", list(names), verb)
	}
}

var specDNSSystemBroken = Spec{
	Code: "cause.system-resolver-broken", Layer: LayerDNS, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "System resolver broken",
	Meaning: "The DNS servers answer, but applications cannot resolve through the operating system's resolver: its configuration does not use DNS or a local resolver layer fails.",
	Causes:  []string{"the hosts: line of /etc/nsswitch.conf without dns", "a broken local cache or stub (systemd-resolved, nscd, dnsmasq)", "a VPN client's resolver hook"},
	Fix:     "Check the hosts: line of /etc/nsswitch.conf and the local resolver (resolvectl status; systemctl status systemd-resolved); on Windows, ipconfig /flushdns and the DNS Client service.",
	Why:     "Drawn from dns.nsswitch-no-dns and dns.system-failed; explains the failures of checks by those names.",
}

func ruleDNSSystemBroken(v *View) []Match {
	found := v.Find(codeDNSNSSwitch, codeDNSSystemFailed)
	if len(found) == 0 {
		return nil
	}
	names := dnsNames(v.Find(codeDNSSystemFailed))
	head := "Applications cannot resolve names through the system resolver, although the DNS servers answer."
	if len(names) > 0 {
		head = fmt.Sprintf("Applications cannot resolve %s through the system resolver, although the DNS servers answer.", list(names))
	}
	m := Match{Headline: head, Confidence: High, Status: worst(found), Evidence: found}
	if len(names) > 0 {
		m.Explains = byName(names...)
	}
	return []Match{m}
}

var specDNSUDPBlocked = Spec{
	Code: "cause.dns-udp-blocked", Layer: LayerDNS, Status: report.StatusFail, Escalation: Network,
	Title:   "DNS over UDP blocked",
	Meaning: "A DNS server answers over TCP but not over UDP: ordinary lookups, which use UDP, fail or wait for their timeout.",
	Causes:  []string{"a firewall allowing only TCP 53", "a DNS-inspecting device dropping UDP"},
	Fix:     "Ask the firewall's owner to allow UDP 53 to the DNS server.",
	Why:     "Drawn from dns.udp-blocked.",
}

var specDNSSearch = Spec{
	Code: "cause.search-domain", Layer: LayerDNS, Status: report.StatusFail, Escalation: DNS,
	Title:   "Short name fails through the search domains",
	Meaning: "A short name resolves through none of the search domains, only through an unexpected one, or through an earlier domain than the host that works: users typing it reach nothing or the wrong host.",
	Causes:  []string{"a search list missing the domain the name lives in (DHCP option 119, VPN suffixes)", "a record only in a foreign or stale zone", "a stale record of the same short name in an earlier search domain"},
	Fix:     "Check the search list (resolv.conf search; Windows: Get-DnsClientGlobalSetting) against the zone the name is in; remove a stale record in an earlier domain; use the full name meanwhile.",
	Why:     "Drawn from dns.search-unresolved (fail) and dns.search-unexpected (warn); and from dns.search-shadowed when the host the short name reaches fails (then it explains those failures, and is high confidence when the later domain's host answers).",
}

// ruleSearchDomain: a short name that resolves nowhere or in an
// unexpected domain; or one that reaches a failing host through an
// earlier search domain while a later domain has the name elsewhere.
func ruleSearchDomain(v *View) []Match {
	var out []Match
	if found := v.Find(codeDNSSearchUnresolved, codeDNSSearchUnexpected); len(found) > 0 {
		out = append(out, Match{Headline: headlineNames("the short name does not resolve through the expected search domain")(found),
			Confidence: Medium, Status: worst(found), Evidence: found})
	}
	for _, note := range v.Find(codeDNSSearchShadowed) {
		short, used := note.Ev(evName), evList(note, evAddrs)
		ids := append([]string{short}, used...)
		fails := slices.DeleteFunc(v.OnHosts(ids...), func(o Obs) bool { return !o.Problem() || o.Category != "net" })
		if short == "" || len(fails) == 0 {
			continue
		}
		also, alsoAddrs := note.Ev(evAlso), evList(note, evAlsoAddrs)
		m := Match{
			Headline: fmt.Sprintf("%s reaches the wrong host: the search list resolves it as %s (%s), which does not answer; %s (%s) exists too.",
				short, note.Ev(evAnsweredBy), list(used), also, list(alsoAddrs)),
			Confidence: Medium, Evidence: append(fails, note), Hosts: ids, Explains: sameHost(ids...),
		}
		if up := hostAnswers(v, alsoAddrs...); len(up) > 0 {
			m.Confidence = High
			m.Cites = up[:1]
		}
		out = append(out, m)
	}
	return out
}

var specDNSConfigWarn = Spec{
	Code: "cause.resolver-config", Layer: LayerDNS, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "Resolver configuration flawed",
	Meaning: "The resolver configuration has lines the resolver ignores or more servers than it uses.",
	Causes:  []string{"a hand-edited resolv.conf", "a VPN or DHCP client appending servers"},
	Fix:     "Correct the file named in the evidence (or the tool that writes it); keep at most three nameservers.",
	Why:     "Drawn from dns.config-malformed and dns.too-many-servers.",
}

var specPTRMismatch = Spec{
	Code: "cause.reverse-dns-mismatch", Layer: LayerDNS, Status: report.StatusWarn, Escalation: DNS,
	Title:   "Reverse DNS mismatch",
	Meaning: "This host's PTR name does not resolve back to its address: services that check reverse DNS (mail, Kerberos, logging) refuse it or log the wrong name.",
	Causes:  []string{"a stale PTR record after an address change", "a PTR maintained in another zone than the forward record"},
	Fix:     "Ask the DNS administrators to correct the PTR or forward record (both are in the evidence).",
	Why:     "Drawn from dns.ptr-mismatch; low confidence as the cause of a complaint.",
}
