package triage

import (
	"fmt"

	"github.com/l2diag/l2diag/report"
)

// The corporate desktop (diag/org): a domain controller that cannot be
// found is a DNS question first (which servers does the machine ask, and
// does the VPN's DNS reach them), one that is found but not reached a
// routing one (does the split tunnel carry its subnet); a clock that
// disagrees with the DC breaks Kerberos whatever NTP says.

var specDCDNS = Spec{
	Code: "cause.dc-dns-not-used", Layer: LayerDNS, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Domain controllers not found: the domain's DNS is not used",
	Meaning: "The DNS servers this machine asks (all, or some of them) do not know the domain controllers' SRV records: logons, group policy and drive mappings cannot locate a DC. The usual reason is that the machine asks a home, hotel or public resolver instead of the domain's DNS, often because the VPN's DNS servers are not used.",
	Causes:  []string{"the VPN is connected but its DNS servers are not applied to the tunnel adapter (or the adapter order/NRPT sends the query elsewhere)", "the VPN is not connected at all", "a public or home resolver configured beside the corporate one", "the DHCP scope hands out the wrong DNS servers"},
	Fix:     "Use the domain's DNS servers: connect the VPN and check its DNS settings (Windows: Get-DnsClientServerAddress, Get-DnsClientNrptPolicy; Linux: resolvectl dns/domain), remove public resolvers from the adapter; verify with nslookup -type=SRV _ldap._tcp.dc._msdcs.DOMAIN.",
	Why:     "Drawn from org.dc-not-found (fail) or org.dc-srv-inconsistent (warn); with org.vpn-dns-outside (a tunnel is up but no DNS server is reached through it) or org.vpn-split-dns-missing (the tunnel's own servers are not asked for the intranet's names) the VPN's DNS is named as the cause, with high confidence, and the VPN team owns the fix.",
}

func ruleDCDNS(v *View) []Match {
	found := v.Find(codeOrgDCNotFound, codeOrgSRVPartial)
	if len(found) == 0 {
		return nil
	}
	dom := evOr(found, evDomain)
	m := Match{Confidence: Medium, Status: worst(found), Evidence: found, Explains: codeIn(codeOrgVPNDNSOutside, codeOrgVPNSplitDNS)}
	switch {
	case len(v.Find(codeOrgDCNotFound)) > 0:
		m.Headline = fmt.Sprintf("No DNS server of this machine knows the domain controllers of %s: it is not using the domain's DNS.", dom)
	default:
		m.Headline = message(found) + " Lookups that reach the servers without them fail."
	}
	if vpn := v.Find(codeOrgVPNDNSOutside, codeOrgVPNSplitDNS); len(vpn) > 0 {
		m.Evidence = append(m.Evidence, vpn...)
		m.Confidence = High
		m.Escalation = Network
		m.Headline = fmt.Sprintf("The domain controllers of %s cannot be found because the VPN's DNS is not used. %s", dom, message(vpn))
		m.NextStep = "Ask the VPN administrators to push the domain's DNS servers and search domain to the tunnel (or fix the client's DNS/NRPT settings); until then the domain cannot be found from this machine."
	}
	return []Match{m}
}

var specVPNDNS = Spec{
	Code: "cause.vpn-dns-not-used", Layer: LayerDNS, Status: report.StatusWarn, Escalation: Network,
	Title:   "VPN up, its DNS not used",
	Meaning: "A VPN tunnel is up but intranet names are not asked at the VPN's DNS: none of the servers the machine asks is reached through the tunnel, or the tunnel's own servers are not asked for the intranet's domain (split DNS without a routing domain). Intranet names resolve through the local or public resolver, which does not know them (\"works in the office, not over VPN\").",
	Causes:  []string{"the VPN client does not push or apply DNS servers to the tunnel adapter", "the VPN brings DNS servers but no routing domain for the intranet (systemd-resolved: no ~corp.example on the tunnel link, and the link is not a default route)", "systemd-resolved or the Windows adapter order sends queries to the physical adapter's resolver", "missing NRPT rules for the intranet namespace (Windows)"},
	Fix:     "Have the VPN push its DNS servers and search domains to the tunnel; check resolvectl status (Linux) or Get-DnsClientServerAddress and Get-DnsClientNrptPolicy (Windows).",
	Why:     "Drawn from org.vpn-dns-outside or org.vpn-split-dns-missing alone (no domain controller lookup failed, or the machine is not joined); with a failed DC lookup cause.dc-dns-not-used says it instead.",
}

var specDCUnreachable = Spec{
	Code: "cause.dc-unreachable", Layer: LayerPath, Status: report.StatusFail, Escalation: Network,
	Title:   "Domain controllers not reachable",
	Meaning: "DNS names the domain controllers but none (or not every needed port) answers from this machine: logons fall back to cached credentials, group policy, password changes and mapped drives fail.",
	Causes:  []string{"the VPN is not connected or does not route the DC subnet", "a firewall between this network and the DCs", "the DCs named in DNS are decommissioned (stale SRV records)"},
	Fix:     "Check the route and firewalls to the DC addresses in the evidence (tracert/traceroute; Test-NetConnection DC -Port 88); stale SRV records go to the directory administrators.",
	Why:     "Drawn from org.dc-unreachable (fail), org.dc-port-blocked and org.dc-ldap-ping-silent (warn: TCP answers, the UDP 389 LDAP ping does not).",
}

var specSplitTunnel = Spec{
	Code: "cause.vpn-split-route-missing", Layer: LayerPath, Status: report.StatusFail, Escalation: Network,
	Title:   "Split tunnel without the intranet route",
	Meaning: "The VPN is up but the route to the domain controllers or to intranet servers (org.intranet_hosts) leaves through another interface: the split tunnel's include list lacks their subnet, so they cannot be reached.",
	Causes:  []string{"the VPN profile's split-tunnel routes miss the DC or server subnet", "a more specific local route (home network using the same private range) wins over the tunnel's"},
	Fix:     "Give the VPN administrators the DC or server addresses and the interface their route uses (evidence); they add the subnet to the tunnel's routes. A full-tunnel profile works around it meanwhile; check for a home network overlapping the corporate range.",
	Why:     "Drawn from org.dc-outside-vpn and org.vpn-intranet-outside; explains org.dc-unreachable and org.dc-port-blocked (the DCs are not reached because their traffic does not enter the tunnel).",
}

func ruleSplitTunnel(v *View) []Match {
	found := v.Find(codeOrgDCOutsideVPN, codeOrgIntranetOut)
	if len(found) == 0 {
		return nil
	}
	st := report.StatusWarn
	if len(v.Find(codeOrgDCUnreachable)) > 0 {
		st = report.StatusFail
	}
	what := "the intranet servers'"
	if len(v.Find(codeOrgDCOutsideVPN)) > 0 {
		what = "the domain controllers'"
	}
	return []Match{{
		Headline:   message(found) + " The split tunnel does not carry " + what + " subnet.",
		Confidence: High, Status: st, Evidence: found,
		Explains: codeIn(codeOrgDCUnreachable, codeOrgDCPortBlocked),
	}}
}

var specDCClock = Spec{
	Code: "cause.dc-clock-skew", Layer: LayerHost, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Clock off against the domain controller",
	Meaning: "This machine's clock differs from a domain controller's by more than Kerberos tolerates (5 minutes by default): domain logons, drive mappings and single sign-on fail with clock-skew errors, even if the clock looks right against public time.",
	Causes:  []string{"the time service syncs to a public or wrong source instead of the domain hierarchy", "the time service is stopped or blocked (UDP 123 to the DC)", "a virtual machine resumed from suspend"},
	Fix:     "Resync with the domain (w32tm /config /syncfromflags:domhier /update, then w32tm /resync /force; Linux: point chrony at the DCs and chronyc makestep), then sign in again.",
	Why:     "Drawn from org.dc-clock-skew; explains host.clock-skew, host.clock-skew-severe and host.clock-unsynchronized (the same wrong clock seen against NTP).",
}

func ruleDCClock(v *View) []Match {
	found := v.Find(codeOrgDCClockSkew)
	if len(found) == 0 {
		return nil
	}
	return []Match{{
		Headline:   message(found) + " Kerberos logons and drive mappings fail until the clock agrees with the domain.",
		Confidence: High, Status: report.StatusFail, Evidence: found,
		Explains: codeIn(codeClockSkew, codeClockSkewSevere, codeClockUnsynced),
	}}
}

var specWifiWeak = Spec{
	Code: "cause.wifi-weak-signal", Layer: LayerLink, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "Weak Wi-Fi signal",
	Meaning: "The Wi-Fi signal at this spot is weak: low rates, retries, drops and roams between access points follow.",
	Causes:  []string{"too far from an access point or walls in between", "the 5/6 GHz band's shorter reach", "an access point that is down, so a farther one is used"},
	Fix:     "Move closer to an access point or use a cable; if a room or area is affected, report the spot, SSID and BSSID (evidence) to the network team.",
	Why:     "Drawn from org.wifi-weak-signal.",
}

var specTGTExpired = Spec{
	Code: "cause.kerberos-ticket-expired", Layer: LayerHost, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "Kerberos ticket expired",
	Meaning: "The user's Kerberos ticket-granting ticket has expired: shares, intranet sites and other single-sign-on services ask for a password or refuse access until a new ticket is obtained.",
	Causes:  []string{"the session stayed open past the ticket's lifetime without renewal", "sssd or the desktop could not renew it (DC unreachable at renewal time, e.g. off VPN)", "a ticket obtained by hand (kinit) and never renewed"},
	Fix:     "Lock and unlock the session, or sign out and in (or kinit); if tickets keep expiring, check the renewal settings (sssd krb5_renew_interval) and that a DC is reachable.",
	Why:     "Drawn from org.kerberos-tgt-expired.",
}
