package dnscheck

import (
	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// The finding codes of the dns checks. docs/findings.md lists each one.
var (
	// dns-config
	FindingConfigUnreadable = diag.FindingSpec{
		Code: "dns.config-unreadable", Status: report.StatusFail,
		Meaning: "The resolver configuration could not be read (no /etc/resolv.conf, or no permission).",
		Hint:    "Check that /etc/resolv.conf exists and is readable (ls -l /etc/resolv.conf); on a systemd host it is a link to /run/systemd/resolve/stub-resolv.conf.",
	}
	FindingConfigMalformed = diag.FindingSpec{
		Code: "dns.config-malformed", Status: report.StatusWarn,
		Meaning: "A line of the resolver configuration is not understood; the resolver ignores it, so a nameserver or search domain may be missing.",
		Hint:    "Fix the line named in the evidence (resolv.conf(5): nameserver IP, search DOMAIN..., options ndots:N timeout:N attempts:N).",
	}
	FindingNoServer = diag.FindingSpec{
		Code: "dns.no-server", Status: report.StatusFail,
		Meaning: "No DNS server is configured; applications can resolve nothing but /etc/hosts (glibc then tries 127.0.0.1).",
		Hint:    "Configure a DNS server: check the DHCP lease or the network settings (nmcli dev show, resolvectl status, ipconfig /all).",
	}
	FindingStubNoUpstream = diag.FindingSpec{
		Code: "dns.stub-no-upstream", Status: report.StatusFail,
		Meaning: "The system uses the local systemd-resolved stub (127.0.0.53), but the stub has no upstream DNS server.",
		Hint:    "Run resolvectl status to see the per-link servers; fix the DHCP or NetworkManager DNS settings, or set DNS= in /etc/systemd/resolved.conf and restart systemd-resolved.",
	}
	FindingTooManyServers = diag.FindingSpec{
		Code: "dns.too-many-servers", Status: report.StatusWarn,
		Meaning: "resolv.conf lists more than three nameservers; the resolver uses only the first three.",
		Hint:    "Keep at most three nameserver lines, the working ones first.",
	}
	FindingNSSwitchNoDNS = diag.FindingSpec{
		Code: "dns.nsswitch-no-dns", Status: report.StatusWarn,
		Meaning: "The hosts: line of /etc/nsswitch.conf does not consult DNS, so applications never ask a DNS server even though dig works.",
		Hint:    "Add dns (or resolve) to the hosts: line of /etc/nsswitch.conf, e.g. hosts: files dns.",
	}

	// dns-server
	FindingServerTimeout = diag.FindingSpec{
		Code: "dns.server-timeout", Status: report.StatusFail,
		Meaning: "The DNS server did not answer at all, neither over UDP nor TCP: it is down, or a firewall drops the packets.",
		Hint:    "Check the route and firewall to the server (l2diag run --only net --ping SERVER), or remove it from the configuration.",
	}
	FindingServerUnreachable = diag.FindingSpec{
		Code: "dns.server-unreachable", Status: report.StatusFail,
		Meaning: "Queries to the DNS server were actively rejected (ICMP unreachable or reset): nothing listens on port 53 there, or a firewall rejects.",
		Hint:    "Check that the DNS service runs on the server (ss -lunp | grep :53 on it) and that no firewall rejects port 53.",
	}
	FindingLocalError = diag.FindingSpec{
		Code: "dns.local-error", Status: report.StatusError,
		Meaning: "This machine could not send the DNS query at all (no socket, a socket option the OS refuses, no buffers or descriptors, or none of the run's sockets free before the check's deadline): an error of this computer, not of the DNS server or the network. The server was not tested that way.",
		Hint:    "Check this machine's network stack: security software that hooks sockets (Windows: netsh winsock show catalog; netsh winsock reset and a reboot repair it), the descriptor limit (ulimit -n), then run l2diag again.",
	}
	FindingMalformedAnswer = diag.FindingSpec{
		Code: "dns.malformed-answer", Status: report.StatusFail,
		Meaning: "Something answered the DNS query, but not with a DNS message that can be read: garbage, a compression-pointer loop, a message cut short or larger than the 1232-byte UDP buffer advertised. The server is up; its answer is broken, or a device in between rewrites it.",
		Hint:    "Compare with `dig @SERVER NAME +bufsize=1232` (and +tcp); a broken or hostile server, a DNS-rewriting firewall or a middlebox mangling large UDP answers is the usual cause: escalate to whoever runs the server, with the evidence.",
	}
	FindingServerRefused = diag.FindingSpec{
		Code: "dns.server-refused", Status: report.StatusFail,
		Meaning: "The DNS server answers but REFUSES to serve this client (an access list, or it is not a resolver for this network).",
		Hint:    "Use the resolver meant for this network, or ask its administrator to allow this client's address (unbound access-control, BIND allow-recursion).",
	}
	FindingTCPBlocked = diag.FindingSpec{
		Code: "dns.tcp-blocked", Status: report.StatusWarn,
		Meaning: "The DNS server answers over UDP but not over TCP; large answers (many records, DNSSEC) will fail.",
		Hint:    "Allow TCP port 53 to the server in the firewall, as well as UDP.",
	}
	FindingUDPBlocked = diag.FindingSpec{
		Code: "dns.udp-blocked", Status: report.StatusFail,
		Meaning: "The DNS server answers over TCP but not over UDP; ordinary lookups, which use UDP, fail or stall.",
		Hint:    "Allow UDP port 53 to the server in the firewall.",
	}
	FindingServerSlow = diag.FindingSpec{
		Code: "dns.server-slow", Status: report.StatusWarn,
		Meaning: "The DNS server answers, but slower than the profile's dns.slow_threshold; every new connection waits that long.",
		Hint:    "Check the server's load and its upstreams, or use a closer resolver.",
		Evidence: []diag.EvidenceKey{
			{Name: "server", Meaning: "the server (ADDRESS:PORT)"},
			{Name: "source", Meaning: "where this machine got the server from"},
			{Name: "question", Meaning: "the name and type asked"},
			{Name: "udp_error", Meaning: "why UDP failed, when it did"},
			{Name: "tcp_error", Meaning: "why TCP failed, when it did"},
			{Name: "rtt_ms", Meaning: "how long the answer took in milliseconds (all tries, when the first was lost)"},
			{Name: "threshold_ms", Meaning: "the profile's dns.slow_threshold in milliseconds"},
			{Name: "tries", Meaning: "how many tries the answer took"},
		},
	}

	// dns-resolve
	FindingNXDomain = diag.FindingSpec{
		Code: "dns.nxdomain", Status: report.StatusFail,
		Meaning:  "The server says the name does not exist (NXDOMAIN).",
		Hint:     "Check the spelling; if the name should exist, its zone lacks the record or this server sees another view of the zone (split DNS, VPN not connected).",
		Evidence: queryEvidence,
	}
	FindingServFail = diag.FindingSpec{
		Code: "dns.servfail", Status: report.StatusFail,
		Meaning:  "The server failed to resolve the name (SERVFAIL), also with DNSSEC checking disabled: its upstreams or the zone's servers are unreachable or broken.",
		Hint:     "Check the server's own upstream connectivity and logs, and whether the zone's authoritative servers answer (dig +trace NAME).",
		Evidence: queryEvidence,
	}
	FindingDNSSEC = diag.FindingSpec{
		Code: "dns.dnssec-failed", Status: report.StatusFail,
		Meaning: "The server returns SERVFAIL only because DNSSEC validation fails: with checking disabled (CD bit) it answers. The server is up; the zone's signatures or the trust anchor are wrong.",
		Hint:    "Tell the zone's owner to re-sign it (expired or broken RRSIG, DS mismatch: check with dig +dnssec NAME, delv NAME); as a stopgap the resolver can mark the domain insecure (unbound domain-insecure).",
	}
	FindingNoData = diag.FindingSpec{
		Code: "dns.no-data", Status: report.StatusWarn,
		Meaning: "The name exists, but has none of the record types asked for (NOERROR with an empty answer).",
		Hint:    "Add the missing records to the zone (e.g. an A record), or ask for the types the name really has (dns.types in the profile).",
	}
	FindingQueryTimeout = diag.FindingSpec{
		Code: "dns.query-timeout", Status: report.StatusFail,
		Meaning:  "The server gave no answer for this name before the timeout, after retries.",
		Hint:     "If dns-server shows the server down, fix that first; otherwise the server's upstream or the zone's servers are slow or unreachable.",
		Evidence: queryEvidence,
	}
	FindingQueryRefused = diag.FindingSpec{
		Code: "dns.query-refused", Status: report.StatusFail,
		Meaning:  "The server REFUSED the query for this name (it does not serve this zone or this client).",
		Hint:     "Query a resolver that serves the zone, or ask the server's administrator to allow it (BIND allow-query/allow-recursion, unbound access-control).",
		Evidence: queryEvidence,
	}
	FindingTruncatedTCPFailed = diag.FindingSpec{
		Code: "dns.tcp-fallback-failed", Status: report.StatusFail,
		Meaning: "The answer did not fit in UDP (truncated) and the retry over TCP failed, so applications get no answer for this name.",
		Hint:    "Allow TCP port 53 to the server, or reduce the size of the record set.",
	}

	// dns-system
	FindingHostsOverride = diag.FindingSpec{
		Code: "dns.hosts-override", Status: report.StatusWarn,
		Meaning: "A hosts-file entry overrides DNS for this name: applications get the hosts-file address, dig and nslookup show the DNS one.",
		Hint:    "Remove or fix the entry in the hosts file (/etc/hosts, C:\\Windows\\System32\\drivers\\etc\\hosts) unless it is intended.",
	}
	FindingSystemDiffers = diag.FindingSpec{
		Code: "dns.system-differs", Status: report.StatusWarn,
		Meaning: "The operating system's resolver answers this name differently from every DNS server queried (another resolver path: a VPN client, systemd-resolved per-link DNS, a local cache or NSS module).",
		Hint:    "Compare getent ahosts NAME (or Resolve-DnsName on Windows) with dig NAME @SERVER, and flush the local cache (resolvectl flush-caches, ipconfig /flushdns).",
	}
	FindingSystemFailed = diag.FindingSpec{
		Code: "dns.system-failed", Status: report.StatusFail,
		Meaning: "Applications cannot resolve this name through the operating system's resolver, although a DNS server answers it.",
		Hint:    "Check /etc/nsswitch.conf, the resolver order and local caches (resolvectl status); the DNS servers themselves have the name.",
	}

	// dns-consistency
	FindingAnswersVary = diag.FindingSpec{
		Code: "dns.answers-vary", Status: report.StatusOK,
		Meaning: "The servers answer the name with different public addresses: normal for CDNs and load-balanced services, which answer each resolver with nearby servers. Not a fault.",
		Hint:    "Nothing to do; if one of the addresses does not work, test it with --tcp ADDRESS:PORT.",
	}
	FindingServersDisagree = diag.FindingSpec{
		Code: "dns.servers-disagree", Status: report.StatusWarn,
		Meaning:  "The DNS servers give different answers for this name (split-horizon DNS, a stale secondary, or one server hijacked); which one a client gets depends on the server it asks.",
		Hint:     "Compare the answers in the evidence; fix the stale zone or make every configured server serve the same view.",
		Evidence: consistencyEvidence,
	}

	// dns-hijack
	FindingHijack = diag.FindingSpec{
		Code: "dns.nxdomain-hijack", Status: report.StatusWarn,
		Meaning: "The server answers a random name that cannot exist with an address: it rewrites NXDOMAIN (an ISP's search page or a captive portal), so typos and dead names look alive.",
		Hint:    "Use a resolver that does not rewrite answers, opt out of the ISP's 'search assist', or log in to the captive portal.",
	}

	// dns-search
	FindingSearchUnresolved = diag.FindingSpec{
		Code: "dns.search-unresolved", Status: report.StatusFail,
		Meaning: "A short name resolves through none of the search domains, so users typing it get 'host not found'.",
		Hint:    "Add the right domain to the search list (DHCP option 119, resolv.conf search, the adapter's DNS suffixes) or use the full name.",
	}
	FindingSearchShadowed = diag.FindingSpec{
		Code: "dns.search-shadowed", Status: report.StatusOK,
		Meaning: "A short name resolves in the first search domain that has it, and a later search domain has the same name at other addresses: users typing it get the first. A note, not a fault by itself; triage reads it when the host the short name reaches fails.",
		Hint:    "If the short name should reach the later domain's host, remove the stale record from the earlier domain or reorder the search list; use the full name meanwhile.",
		Evidence: []diag.EvidenceKey{
			{Name: "name", Meaning: "the short name"},
			{Name: "search", Meaning: "the search list"},
			{Name: "answered_by", Meaning: "the expansion the short name resolves as"},
			{Name: "addrs", Meaning: "its addresses"},
			{Name: "also", Meaning: "a later expansion that exists too"},
			{Name: "also_addrs", Meaning: "that expansion's addresses"},
		},
	}
	FindingSearchUnexpected = diag.FindingSpec{
		Code: "dns.search-unexpected", Status: report.StatusWarn,
		Meaning: "A short name resolves only through a later search domain, not the first (primary) one; it may be a stale or foreign record.",
		Hint:    "Check that the answering domain is the one meant; otherwise add the name to the primary domain or reorder the search list.",
	}

	// dns-reverse
	FindingPTRMissing = diag.FindingSpec{
		Code: "dns.ptr-missing", Status: report.StatusOK,
		Meaning: "This host's address has no PTR record; some services (mail, Kerberos, logging) show or check the reverse name.",
		Hint:    "Add a PTR record in the reverse zone if services need it (many DHCP servers can register it).",
	}
	FindingPTRMismatch = diag.FindingSpec{
		Code: "dns.ptr-mismatch", Status: report.StatusWarn,
		Meaning: "The PTR name of this host's address does not resolve back to the address (forward-confirmed reverse DNS fails): services that check it refuse or log the wrong name.",
		Hint:    "Make the PTR and the A/AAAA record agree (update the reverse zone or the forward record).",
	}
)

// Findings lists every finding code the DNS checks emit.
func Findings() []diag.FindingSpec {
	return diag.FindingsOf(Specs())
}

// queryEvidence is what a finding about one server's answer to one query
// carries (dns-resolve).
var queryEvidence = []diag.EvidenceKey{
	{Name: "server", Meaning: "the server asked (ADDRESS:PORT)"},
	{Name: "name", Meaning: "the name asked"},
	{Name: "type", Meaning: "the record type asked"},
	{Name: "rcode", Meaning: "the response code (empty: no answer)"},
	{Name: "error", Meaning: "why no answer came, when none did"},
}

// consistencyEvidence is what a comparison of the servers carries.
var consistencyEvidence = []diag.EvidenceKey{
	{Name: "name", Meaning: "the name compared"},
	{Name: "answers", Meaning: "each server's answer: server -> per record type the data, failed (RCODE) or NXDOMAIN"},
}
