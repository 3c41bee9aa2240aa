package orgcheck

import (
	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// Evidence keys shared by several findings.
var (
	srvEvidence = []diag.EvidenceKey{
		{Name: "domain", Meaning: "the AD domain looked up"},
		{Name: "names", Meaning: "the SRV names asked"},
		{Name: "servers_with", Meaning: "the DNS servers that returned DC records"},
		{Name: "servers_without", Meaning: "the DNS servers that answered without them (NXDOMAIN, no data, refused)"},
		{Name: "servers_silent", Meaning: "the DNS servers that did not answer"},
	}
	evDCs     = diag.EvidenceKey{Name: "dcs", Meaning: "each DC probed: name, address, interface and each port's state"}
	evTunnels = diag.EvidenceKey{Name: "tunnels", Meaning: "the tunnel interfaces that are up"}
)

// The org checks' finding codes. Each status is the one the code always
// carries; docs/findings.md lists them with the same text.
var (
	FindingDCNotFound = diag.FindingSpec{
		Code: "org.dc-not-found", Status: report.StatusFail,
		Meaning:  "No DNS server this machine uses knows the domain controllers' SRV records (_ldap._tcp.dc._msdcs.DOMAIN, _kerberos._tcp.DOMAIN): logons, group policy and drive mappings cannot find a DC.",
		Hint:     "Make the machine use the domain's DNS servers (connect the VPN, or fix the DHCP/adapter DNS settings); check with nslookup -type=SRV _ldap._tcp.dc._msdcs.DOMAIN.",
		Evidence: srvEvidence,
	}
	FindingDCSRVInconsistent = diag.FindingSpec{
		Code: "org.dc-srv-inconsistent", Status: report.StatusWarn,
		Meaning:  "Some of this machine's DNS servers know the domain controllers' SRV records and others do not: lookups fail whenever the resolver picks a server that does not (typically a public or home resolver beside the corporate one).",
		Hint:     "Remove the DNS servers that do not serve the domain from the adapter (or the VPN's DNS settings), so every lookup of the domain reaches the domain's DNS.",
		Evidence: srvEvidence,
	}
	FindingDCUnreachable = diag.FindingSpec{
		Code: "org.dc-unreachable", Status: report.StatusFail,
		Meaning:  "Domain controllers were found in DNS but none answered on any of the probed ports (Kerberos 88, LDAP 389, SMB 445, kpasswd 464): logons use cached credentials, group policy and mapped drives fail.",
		Hint:     "Check the route to the DCs (is the VPN connected, does it carry the DC subnet?) and firewalls between this machine and them; tracert/traceroute to a DC address.",
		Evidence: []diag.EvidenceKey{evDCs},
	}
	FindingDCPortBlocked = diag.FindingSpec{
		Code: "org.dc-port-blocked", Status: report.StatusWarn,
		Meaning:  "A domain controller answers on some of the probed ports but not on others: the services behind the missing ports (Kerberos 88, LDAP 389, SMB 445, kpasswd 464) fail while the rest work.",
		Hint:     "Ask the network team to open the missing ports from this network to the DCs (AD needs TCP and UDP 88, 389, 464 and TCP 445).",
		Evidence: []diag.EvidenceKey{{Name: "dc", Meaning: "the DC's host name from the SRV record"}, {Name: "address", Meaning: "the DC address probed"}, {Name: "open", Meaning: "the ports that accepted the connection"}, {Name: "closed", Meaning: "the ports that did not, each with how (refused, timeout, ...)"}},
	}
	FindingDCOutsideVPN = diag.FindingSpec{
		Code: "org.dc-outside-vpn", Status: report.StatusWarn,
		Meaning:  "A VPN tunnel is up but the route to a domain controller leaves through another interface: the split tunnel does not carry the DC's subnet.",
		Hint:     "Ask the VPN administrators to add the DC subnets to the tunnel's routes (split-tunnel include list); meanwhile a full tunnel profile works around it.",
		Evidence: []diag.EvidenceKey{{Name: "dcs", Meaning: "each DC routed outside the tunnel: name (address) via interface"}, evTunnels},
	}
	FindingDCClockSkew = diag.FindingSpec{
		Code: "org.dc-clock-skew", Status: report.StatusFail,
		Meaning:  "This machine's clock differs from a domain controller's by more than org.clock_skew_max (default 5 minutes, Kerberos' tolerance): Kerberos logons, drive mappings and web single sign-on fail with clock-skew errors.",
		Hint:     "Resync the clock with the domain (w32tm /resync /force on Windows; chronyc makestep or sssd/adcli time settings on Linux) and check the time service's source is the domain hierarchy.",
		Evidence: []diag.EvidenceKey{{Name: "dc", Meaning: "the DC address whose SNTP answered"}, {Name: "offset_s", Meaning: "the DC's time minus this clock, in seconds"}, {Name: "threshold", Meaning: "org.clock_skew_max"}},
	}
	FindingVPNDNSOutside = diag.FindingSpec{
		Code: "org.vpn-dns-outside", Status: report.StatusWarn,
		Meaning:  "A VPN tunnel is up but none of the DNS servers this machine asks is reached through it: intranet names are asked from the local or public resolver, which does not know them.",
		Hint:     "Make the VPN push its DNS servers (and search domains) to the tunnel adapter, and check the adapter order / NRPT rules (Windows) or resolvectl dns/domain (Linux).",
		Evidence: []diag.EvidenceKey{evTunnels, {Name: "mode", Meaning: "full or split tunnel"}, {Name: "dns_servers", Meaning: "each DNS server with the interface its route uses"}},
	}
	FindingTGTExpired = diag.FindingSpec{
		Code: "org.kerberos-tgt-expired", Status: report.StatusWarn,
		Meaning:  "The user's Kerberos ticket-granting ticket has expired and was not renewed: file shares, intranet single sign-on and other Kerberos services ask for a password or fail.",
		Hint:     "Get a new ticket: lock and unlock the session or sign out and in (sssd renews it), or kinit; if it keeps expiring, check sssd's krb5_renewable_lifetime and krb5_renew_interval.",
		Evidence: []diag.EvidenceKey{{Name: "principal", Meaning: "the cache's default principal"}, {Name: "end", Meaning: "when the ticket expired (UTC)"}, {Name: "cache", Meaning: "the ticket cache read"}},
	}
	FindingWifiWeak = diag.FindingSpec{
		Code: "org.wifi-weak-signal", Status: report.StatusWarn,
		Meaning:  "The Wi-Fi signal is weaker than org.wifi_signal_warn_dbm (default -70 dBm): expect low rates, retries, drops and roams.",
		Hint:     "Move closer to an access point or use a wired connection; if a whole room is affected, report the spot and the BSSID to the network team.",
		Evidence: []diag.EvidenceKey{{Name: "interface", Meaning: "the Wi-Fi interface"}, {Name: "ssid", Meaning: "the network name"}, {Name: "bssid", Meaning: "the access point's MAC address"}, {Name: "signal_dbm", Meaning: "the signal in dBm"}, {Name: "threshold_dbm", Meaning: "org.wifi_signal_warn_dbm"}, {Name: "band", Meaning: "2.4, 5 or 6 GHz, when reported"}, {Name: "channel", Meaning: "the channel, when reported"}},
	}
	FindingLocalError = diag.FindingSpec{
		Code: "org.local-error", Status: report.StatusError,
		Meaning:  "This machine refused to create or use the sockets for the domain controller probes: nothing was learnt about the DNS servers, the DCs or the network.",
		Hint:     "Check that other programs can reach the network; restart the machine, and check security or VPN software hooking the network stack (Windows: netsh winsock show catalog).",
		Evidence: append(append([]diag.EvidenceKey(nil), srvEvidence...), evDCs),
	}
)

// Findings lists every finding code the org checks emit.
func Findings() []diag.FindingSpec {
	return diag.FindingsOf(Specs())
}
