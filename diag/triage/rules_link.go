package triage

import (
	"fmt"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// Link, address and gateway: the lowest layers. When one of them is broken,
// every check that needs the network beyond this machine fails too; those
// failures are consequences and are explained here.

var specNoNetwork = Spec{
	Code: "cause.no-network", Layer: LayerLink, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "No network connection",
	Meaning: "No interface besides loopback is up with an address, so nothing on the network can be reached.",
	Causes:  []string{"cable unplugged or Wi-Fi not joined", "network adapter disabled or its driver failed", "airplane mode"},
	Fix:     "Plug in the cable or join the Wi-Fi and check the adapter is enabled (Linux: ip link; Windows: ncpa.cpl), then run l2diag again.",
	Why:     "Drawn from net.no-interface-up; explains every failure of the net and dns categories, and NTP being unreachable or the clock unsynchronised.",
}

func ruleNoNetwork(v *View) []Match {
	found := v.Find(codeNoInterface)
	if len(found) == 0 {
		return nil
	}
	return []Match{{
		Headline:   "No network connection: no interface is up with an address, so every network check fails.",
		Confidence: High, Evidence: found, Explains: netDependent,
	}}
}

var specDHCPFailed = Spec{
	Code: "cause.dhcp-failed", Layer: LayerLink, Status: report.StatusFail, Escalation: Network,
	Title:   "DHCP failed (link-local address only)",
	Meaning: "An interface is up but has only a self-assigned link-local address (169.254.x.x): no DHCP server answered, so it has no usable address, gateway or DNS servers.",
	Causes:  []string{"the switch port is in the wrong VLAN or disabled (802.1X refused)", "the DHCP server is down or its scope is exhausted", "a DHCP relay (ip helper) on the router is missing"},
	Fix:     "Renew the lease (Windows: ipconfig /renew; Linux: dhclient -v IFACE or nmcli device reapply IFACE); if no offer arrives, give the network team the switch port and the interface's MAC address.",
	Why:     "Drawn from net.link-local-only when nothing beyond the gateway answers; explains the missing default route and every network failure. When other interfaces work, it is a warning with low confidence and explains nothing.",
}

func ruleDHCPFailed(v *View) []Match {
	found := v.Find(codeLinkLocalOnly)
	if len(found) == 0 {
		return nil
	}
	ifaces := evOr(found, "interface", "interfaces")
	where := "An interface"
	if ifaces != "" {
		where = "Interface " + ifaces
	}
	if ok := reached(v); len(ok) > 0 {
		return []Match{{
			Headline:   where + " has only a link-local address (DHCP got no answer there), but the network works through another interface.",
			Confidence: Low, Status: report.StatusWarn, Evidence: found, Cites: ok[:1],
		}}
	}
	conf := Medium
	ev := found
	if more := v.Find(codeNoDefaultRoute, codeGatewayDown, codeNoInternet); len(more) > 0 {
		conf = High
		ev = append(ev, more...)
	}
	return []Match{{
		Headline:   where + " has only a link-local address: DHCP failed, so there is no usable address, gateway or DNS.",
		Confidence: conf, Evidence: ev,
		Explains: anyOf(netDependent, codeIn(codeNoDefaultRoute, codeNoInterface)),
	}}
}

var specNoDefaultRoute = Spec{
	Code: "cause.no-default-route", Layer: LayerGateway, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "No default route",
	Meaning: "The machine has an address but no default route, so only its local subnets are reachable.",
	Causes:  []string{"a static configuration without a gateway", "a VPN client that removed the default route and failed", "a DHCP server that hands out no router option"},
	Fix:     "Renew the DHCP lease or set the gateway (Linux: ip route add default via GATEWAY; Windows: ipconfig /renew, route print); disconnect and reconnect the VPN client.",
	Why:     "Drawn from net.no-default-route; explains every failure of the net and dns categories towards hosts not on the local subnets.",
}

func ruleNoDefaultRoute(v *View) []Match {
	found := v.Find(codeNoDefaultRoute)
	if len(found) == 0 {
		return nil
	}
	conf := Medium
	if len(v.Find(codePingNoRoute, codeTCPUnreachable, codeNoInternet)) > 0 {
		conf = High
	}
	return []Match{{
		Headline:   "There is no default route: nothing outside the local subnets can be reached.",
		Confidence: conf, Evidence: found, Explains: netDependent,
	}}
}

var specGatewayDown = Spec{
	Code: "cause.gateway-down", Layer: LayerGateway, Status: report.StatusFail, Escalation: Network,
	Title:   "Default gateway does not answer",
	Meaning: "The default gateway answers no ping and nothing beyond it answers either: the link to the router or the router itself is down.",
	Causes:  []string{"the router or firewall is down or rebooting", "the machine is in the wrong VLAN (the gateway exists in another one)", "an ARP problem: a duplicate address or a stale neighbour entry"},
	Fix:     "Check the link (cable, Wi-Fi, VLAN) and the neighbour entry (Linux: ip neigh show; Windows: arp -a); if other machines on the same network are affected too, give the network team the gateway's address.",
	Why:     "Drawn from net.gateway-no-answer when no host beyond the gateway answered anything; explains every failure of the net and dns categories (every internet check failing is a consequence, not a second cause).",
}

func ruleGatewayDown(v *View) []Match {
	found := v.Find(codeGatewayDown)
	if len(found) == 0 || len(reached(v)) > 0 {
		return nil
	}
	conf := Medium
	ev := found
	others := v.Where(func(o Obs) bool { return netDependent(o) && !v.Explained(o) && !o.HasRole(roleGateway) })
	if len(others) > 0 {
		conf = High
		ev = append(ev, others...)
	}
	head := fmt.Sprintf("The default gateway %s does not answer", list(hosts(found)))
	if len(others) > 0 {
		head += "; every check beyond it fails as a consequence."
	} else {
		head += "."
	}
	return []Match{{Headline: head, Confidence: conf, Evidence: ev, Explains: netDependent}}
}

var specGatewayNoPing = Spec{
	Code: "cause.gateway-ignores-ping", Layer: LayerGateway, Status: report.StatusOK, Escalation: ResolveHere,
	Title:   "Gateway ignores ping but forwards traffic",
	Meaning: "The gateway did not answer ping, but hosts beyond it answered: the gateway drops ICMP echo by policy. This is not a fault.",
	Causes:  []string{"a firewall or router configured not to answer ping"},
	Fix:     "Nothing to do: the gateway forwards traffic. Ignore the gateway's ping result.",
	Why:     "Drawn from net.gateway-no-answer when some host beyond the gateway answered (a ping, an open port, an HTTP status); explains the gateway's ping failure so it is not taken for an outage.",
}

func ruleGatewayNoPing(v *View) []Match {
	found := v.Find(codeGatewayDown)
	ok := reached(v)
	if len(found) == 0 || len(ok) == 0 {
		return nil
	}
	return []Match{{
		Headline:   fmt.Sprintf("The gateway %s does not answer ping, but %s answers through it: the gateway only drops ping.", list(hosts(found)), ok[0].Host),
		Confidence: High, Evidence: found, Cites: ok[:1],
	}}
}

var specCaptivePortal = Spec{
	Code: "cause.captive-portal", Layer: LayerGateway, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Captive portal",
	Meaning: "A connectivity-check URL answered with other content: a captive portal (hotel, guest Wi-Fi) intercepts traffic until someone logs in.",
	Causes:  []string{"guest or hotel Wi-Fi waiting for its login page", "a corporate proxy's block or consent page"},
	Fix:     "Open a browser to http://neverssl.com and complete the portal's login, then run l2diag again.",
	Tell:    "This network wants a login page first: open a browser, complete the sign-in page of the Wi-Fi or guest network, then try again.",
	Why:     "Drawn from net.captive-portal; explains the other network failures (a portal hijacks DNS and HTTP until login).",
}

func ruleCaptivePortal(v *View) []Match {
	found := v.Find(codeCaptivePortal)
	if len(found) == 0 {
		return nil
	}
	return []Match{{
		Headline:   "A captive portal intercepts the connection: " + strings.TrimSuffix(message(found), "."),
		Confidence: High, Evidence: found, Explains: netDependent,
	}}
}
