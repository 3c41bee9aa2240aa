package triage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// Path and firewall: the gateway works and names resolve, but one host or
// port does not answer the way it should.

var specNothingListening = Spec{
	Code: "cause.nothing-listening", Layer: LayerPath, Status: report.StatusFail, Escalation: Application,
	Title:   "Nothing listening on the port",
	Meaning: "The host answers but refuses the connection: no service listens on that port (or a firewall on the host rejects it).",
	Causes:  []string{"the service is stopped or crashed", "the service listens on another port or only on localhost", "a host firewall with a reject rule"},
	Fix:     "Ask the service's owner to start it and check it listens on this address and port (Linux: ss -ltnp; Windows: netstat -ano | findstr LISTEN).",
	Why:     "Drawn from net.tcp-refused (the host sent a reset: it is up and the path works); explains the other failures towards that host (HTTP connect, trace).",
}

func ruleNothingListening(v *View) []Match {
	order, groups := byHost(v.Find(codeTCPRefused))
	var out []Match
	for _, h := range order {
		g := groups[h]
		out = append(out, Match{
			Headline:   fmt.Sprintf("Nothing listens on %s: the host answers but refuses the connection.", list(targets(g))),
			Confidence: High, Evidence: g, Hosts: []string{h},
			Explains: func(o Obs) bool {
				return o.Host == h && slices.Contains([]string{codeHTTPConnect, codeHTTPTimeout, codeTraceStops, codeCheckTimeout, codeNoInternet}, o.Code)
			},
		})
	}
	return out
}

var specPortFiltered = Spec{
	Code: "cause.port-filtered", Layer: LayerPath, Status: report.StatusFail, Escalation: Network,
	Title:   "Firewall drops the port",
	Meaning: "The host is up (it answers ping or other ports) but connections to this port get no answer at all: a firewall on the way silently drops them.",
	Causes:  []string{"a firewall rule missing for this source and port", "a host firewall dropping the port", "a security group or ACL change"},
	Fix:     "Ask the firewall's owner to allow TCP to this host and port from this machine's address (both are in the evidence).",
	Why:     "Drawn from net.tcp-filtered when the same host answers something else (ping, another port, the trace reached it); explains the HTTP failures to that host. Without such proof it is cause.host-unreachable.",
}

func rulePortFiltered(v *View) []Match {
	order, groups := byHost(v.Find(codeTCPFiltered))
	var out []Match
	for _, h := range order {
		g := groups[h]
		up := hostAnswers(v, idents(g)...)
		if len(up) == 0 {
			continue
		}
		out = append(out, Match{
			Headline:   fmt.Sprintf("A firewall drops %s: the host is up (it answers %s) but the port gets no answer.", list(targets(g)), upWhat(up[0])),
			Confidence: High, Evidence: g, Cites: up[:1], Hosts: []string{h},
			Explains: func(o Obs) bool {
				return o.Host == h && slices.Contains([]string{codeHTTPConnect, codeHTTPTimeout, codeTraceStops, codeCheckTimeout, codeNoInternet}, o.Code)
			},
		})
	}
	return out
}

// upWhat says how a host proved it is up, for headlines.
func upWhat(o Obs) string {
	switch o.Code {
	case codeTCPOpen:
		return "on " + o.Target
	case codeTCPRefused:
		return "with a refusal on " + o.Target
	case codeTraceReached:
		return "to the trace"
	case "", codePingLoss, codePingSlow:
		if o.Check == "net-ping" {
			return "ping"
		}
	}
	return "other checks"
}

var specHostUnreachable = Spec{
	Code: "cause.host-unreachable", Layer: LayerPath, Status: report.StatusFail, Escalation: Network,
	Title:   "Host unreachable",
	Meaning: "A host answers nothing at all (no ping, no port), while the gateway and other hosts work: the host is down or the path to it is broken.",
	Causes:  []string{"the host is powered off or crashed", "a router or firewall on the way drops everything to it (the trace names the last hop that answered)", "a wrong address (stale DNS record)"},
	Fix:     "Check the host is up (console, hypervisor); if it is, give the network team the last hop that answered from the trace.",
	Why:     "Drawn per machine (a name and the addresses the checks tie to it: a check by name, the trace by address) from net.ping-no-answer, net.tcp-filtered, net.tcp-unreachable, net.http-connect-failed or net.trace-stops when nothing proves the host is up; the trace's last hop makes it high confidence. Not for a public address while nothing on the internet answers: that is cause.no-internet.",
}

var unreachableCodes = []string{
	codePingNoAnswer, codePingNoRoute, codePingTCPNoAnswer, codeTCPFiltered, codeTCPUnreachable,
	codeHTTPConnect, codeTraceStops,
}

func ruleHostUnreachable(v *View) []Match {
	order, groups := byHost(v.Find(unreachableCodes...))
	// A name and the address it resolved to are one machine (a check by
	// name, the trace by address): one conclusion, named both ways.
	type machine struct {
		ids []string
		obs []Obs
	}
	var ms []*machine
	for _, h := range order {
		if h == "" {
			continue
		}
		g := groups[h]
		ids := idents(g)
		var into *machine
		for _, m := range ms {
			if slices.ContainsFunc(ids, func(i string) bool { return slices.Contains(m.ids, i) }) {
				into = m
				break
			}
		}
		if into == nil {
			into = &machine{}
			ms = append(ms, into)
		}
		into.ids = appendNew(into.ids, ids...)
		into.obs = append(into.obs, g...)
	}
	var out []Match
	offline := !internetAnswers(v)
	for _, m := range ms {
		g := m.obs
		if slices.ContainsFunc(m.ids, loopback) || len(hostAnswers(v, m.ids...)) > 0 {
			continue
		}
		if offline && slices.ContainsFunc(m.ids, isPublic) {
			// Nothing on the internet answers: not this host's fault
			// (cause.no-internet), so no "check the host is up".
			continue
		}
		conf := Medium
		head := fmt.Sprintf("%s does not answer at all", nameAndAddrs(m.ids))
		for _, o := range g {
			if o.Code == codeTraceStops {
				conf = High
				if hop := o.EvHost(evLastHop); hop != "" {
					head += "; the path stops after " + hop
				}
				break
			}
		}
		out = append(out, Match{Headline: head + ".", Confidence: conf, Evidence: g, Explains: sameHost(m.ids...), Hosts: m.ids})
	}
	return out
}

// nameAndAddrs names a machine by its names, its addresses in
// parentheses: "app.lab (10.2.0.10)"; by what there is otherwise.
func nameAndAddrs(ids []string) string {
	names := slices.DeleteFunc(slices.Clone(ids), isIP)
	addrs := slices.DeleteFunc(slices.Clone(ids), func(h string) bool { return !isIP(h) })
	if len(names) > 0 && len(addrs) > 0 {
		return list(names) + " (" + list(addrs) + ")"
	}
	return list(ids)
}

var specPacketLoss = Spec{
	Code: "cause.packet-loss", Layer: LayerPath, Status: report.StatusWarn, Escalation: Network,
	Title:   "Packet loss",
	Meaning: "Echo requests get lost on the way: connections stall, calls break up, transfers are slow.",
	Causes:  []string{"a bad cable, a duplex mismatch or a weak Wi-Fi signal (loss already at the gateway)", "a congested or faulty WAN or VPN link (loss only further away)"},
	Fix:     "Loss at the gateway: check cable, switch port and Wi-Fi signal here. Loss only beyond it: give the network team the targets and loss figures.",
	Why:     "Drawn from net.ping-loss (and net.interface-errors); loss at the gateway means the local link and is resolved here, loss only further away goes to the network team. net.trace-loss-from-hop names the hop where the loss starts (from the first hop on: the local link). Explains the slowness findings (DNS answers slowed by a retried query included), lookups that timed out while the DNS servers resolve the name (a lost query), \"UDP blocked\", \"TCP blocked\" or query timeouts of a DNS server whose ping shows the loss, and the system resolver timing out on a name the servers resolve while a DNS server's ping shows loss.",
}

func rulePacketLoss(v *View) []Match {
	found := v.Find(codePingLoss)
	if len(found) == 0 {
		return nil
	}
	ifErr := v.Find(codeIfaceErrors)
	var worstLoss float64
	for _, o := range found {
		if l, ok := o.Metric("loss_pct"); ok && l > worstLoss {
			worstLoss = l
		}
	}
	from := v.Find(codeTraceLossFrom)
	lossy := hosts(found)
	lossyDNS := slices.ContainsFunc(found, func(o Obs) bool { return o.HasRole(roleDNSServer) })
	m := Match{Confidence: Medium, Evidence: append(append(found, ifErr...), from...), Explains: anyOf(
		codeIn(codePingSlow, codeTCPSlow, codeHTTPSlow, codeDNSServerSlow, codeIfaceErrors, codeTraceLossFrom),
		// lookups lost on the way while the servers do answer
		func(o Obs) bool {
			return (o.Code == codeNoResolve || o.Code == codeDNSTimeout) && resolvesInDNS(v, o.Host)
		},
		// a DNS server that answers ping with loss: its lost UDP queries
		// are that loss, not a filter ("answers over TCP but not UDP")
		func(o Obs) bool {
			switch o.Code {
			case codeDNSUDPBlocked, codeDNSTCPBlocked: // dns-server results, about the server
				return o.Check == "dns-server" && slices.Contains(lossy, o.Host)
			case codeDNSTimeout:
				return slices.Contains(lossy, o.EvHost(evServer))
			case codeDNSSystemFailed:
				// the OS resolver's queries go to those lossy servers
				return lossyDNS && resolvesInDNS(v, o.Host)
			}
			return false
		})}
	local := slices.ContainsFunc(found, func(o Obs) bool { return o.HasRole(roleGateway) }) ||
		slices.ContainsFunc(from, func(o Obs) bool { return o.Ev("from_hop_ttl") == "1" })
	if local {
		m.Escalation = ResolveHere
		m.Headline = fmt.Sprintf("Packet loss already on the local link (up to %.0f%%, the gateway loses packets too): cable, switch port or Wi-Fi.", worstLoss)
		if len(ifErr) > 0 {
			m.Confidence = High
		}
	} else {
		m.Headline = fmt.Sprintf("Packet loss beyond the gateway (up to %.0f%% to %s): the WAN or provider link.", worstLoss, list(hosts(found)))
		if len(from) > 0 {
			m.Confidence = High
			if hop := from[0].Ev("from_hop"); from[0].Ev("from_hop_ttl") != "" {
				m.Headline = fmt.Sprintf("Packet loss beyond the gateway (up to %.0f%% to %s), starting at hop %s (%s): the link into that hop.", worstLoss, list(hosts(found)), from[0].Ev("from_hop_ttl"), hop)
			} else {
				m.Headline = fmt.Sprintf("Packet loss beyond the gateway (up to %.0f%% to %s), only past the last hop on the way: its last link or the host itself.", worstLoss, list(hosts(found)))
				if after := from[0].Ev("after_hop"); after != "" {
					m.Headline = fmt.Sprintf("Packet loss beyond the gateway (up to %.0f%% to %s), appearing after hop %s (%s), which answers without loss: the link beyond it or the host itself.", worstLoss, list(hosts(found)), from[0].Ev("after_hop_ttl"), after)
				}
			}
		}
	}
	if worstLoss >= 20 {
		m.Status = report.StatusFail
	}
	return []Match{m}
}

var specMTUBlackhole = Spec{
	Code: "cause.mtu-blackhole", Layer: LayerPath, Status: report.StatusFail, Escalation: Network,
	Title:   "MTU black hole",
	Meaning: "Large packets to a host are dropped without the ICMP \"fragmentation needed\" that path MTU discovery needs: connections open, then hang on TLS handshakes and big transfers.",
	Causes:  []string{"a VPN or tunnel (IPsec, GRE, PPPoE) with a smaller MTU", "a firewall that drops ICMP type 3 code 4 (IPv6: packet too big)", "a router without MSS clamping"},
	Fix:     "Lower the tunnel interface's MTU to the path MTU in the evidence, or have the network team clamp TCP MSS and let ICMP \"fragmentation needed\" through.",
	Why:     "Drawn from net.mtu-blackhole; explains TLS handshake failures and HTTP timeouts to the same hosts, which are its symptoms.",
}

func ruleMTUBlackhole(v *View) []Match {
	found := v.Find(codeMTUBlackhole)
	if len(found) == 0 {
		return nil
	}
	// The probe goes to an address or a name; the stalled fetch may name
	// the other. Every name and address the net checks tie to the probed
	// host is the same machine, and its hangs are the black hole's.
	ids := sameMachine(v, idents(found))
	if len(ids) == 0 {
		ids = targets(found)
	}
	head := fmt.Sprintf("Large packets to %s are dropped silently (MTU black hole): connections open, then hang on big transfers.", nameAndAddrs(ids))
	if mtu := found[0].Ev(evPathMTU); mtu != "" {
		head = strings.TrimSuffix(head, ".") + fmt.Sprintf("; the path carries at most %s bytes.", mtu)
	}
	return []Match{{Headline: head, Confidence: High, Evidence: found, Explains: sameHost(ids...), Hosts: ids}}
}

// appendNew appends the non-empty hosts not yet in list.
func appendNew(list []string, hosts ...string) []string {
	for _, h := range hosts {
		if h != "" && !slices.Contains(list, h) {
			list = append(list, h)
		}
	}
	return list
}

var specInterfaceErrors = Spec{
	Code: "cause.interface-errors", Layer: LayerLink, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "Interface errors",
	Meaning: "An interface's error or drop counters rose during the run, without measurable packet loss yet.",
	Causes:  []string{"a bad cable or a duplex mismatch", "a weak Wi-Fi signal", "a driver problem"},
	Fix:     "Replace the cable or move to another switch port; check duplex (ethtool IFACE) and the Wi-Fi signal.",
	Why:     "Drawn from net.interface-errors not already part of cause.packet-loss.",
}

var specSlow = Spec{
	Code: "cause.slow-network", Layer: LayerPath, Status: report.StatusWarn, Escalation: Network,
	Title:   "Slow network",
	Meaning: "Round trips, connects or fetches take longer than the profile's thresholds, without packet loss.",
	Causes:  []string{"a congested link or VPN", "a distant or overloaded server", "an inspecting firewall or proxy"},
	Fix:     "Compare the gateway's round trip with the far targets': slow already at the gateway is the local link; slow only far away goes to the network team with the figures.",
	Why:     "Drawn from net.ping-slow, net.tcp-slow and net.http-slow; low confidence, since slowness has many causes.",
}
