package triage

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// The way out: the local network works but nothing on the internet
// answers. Its symptoms show up in every layer (public addresses
// unreachable, the internal resolver failing public names because its own
// upstream is gone, connectivity URLs and public NTP failing); they are one
// cause, concluded once, naming where the path ends.

var specNoInternet = Spec{
	Code: "cause.no-internet", Layer: LayerPath, Status: report.StatusFail, Escalation: Network,
	Title:   "No internet access",
	Meaning: "The local network works (no lower layer is broken) but the internet cannot be reached: the uplink or the edge router or firewall is down, or blocks this machine.",
	Causes:  []string{"the provider's link or the edge router is down", "the perimeter firewall blocks this machine", "the network requires a proxy that is not configured here"},
	Fix:     "Check whether this network needs a proxy (ask the network team or compare with a working machine); otherwise give them where the path ends and the endpoints from the evidence.",
	Tell:    "The internet connection of this network is down or blocked (internal services may still work); the network team has to fix it, nothing needs changing on this computer.",
	Why:     "Drawn from net.no-internet, and from public addresses that answer nothing (no public host answers anything) with the path ending at the edge. Explains, across layers: the traces and probes to those addresses, public NTP being unreachable, and SERVFAIL, REFUSED or silence from a resolver that answers other names (its upstream is the internet). Confidence high with two independent signs (a public address and a connectivity URL, or a trace naming the last hop).",
}

// isPublic reports whether host is a global unicast address outside the
// private, shared (CGNAT) and documentation ranges.
func isPublic(host string) bool {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap()
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (CGNAT)
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
}

// internetAnswers reports whether anything on the internet answered: a
// public address, or one of the background probes (a connectivity URL
// reached by name).
func internetAnswers(v *View) bool {
	return slices.ContainsFunc(reached(v), func(o Obs) bool {
		return isPublic(o.Host) || isPublic(o.EvHost("address")) || o.Background()
	})
}

// upstreamDNSCodes are a live resolver's failures for a name it must ask
// the internet about (dnsmasq answers REFUSED when no upstream answers).
var upstreamDNSCodes = []string{codeDNSServfail, codeDNSTimeout, codeDNSQueryRefused}

func ruleNoInternet(v *View) []Match {
	conn := v.Find(codeNoInternet)
	var public []Obs
	order, groups := byHost(v.Find(unreachableCodes...))
	for _, h := range order {
		if isPublic(h) {
			public = append(public, groups[h]...)
		}
	}
	// Something on the internet answers: the way out works, and the
	// failures are about single hosts (cause.host-unreachable).
	if internetAnswers(v) {
		public = nil
	}
	if len(conn) == 0 && len(public) == 0 {
		return nil
	}
	hop, note := pathEnd(public)
	m := Match{Confidence: Medium, Evidence: append(slices.Clone(public), conn...)}
	pubHosts := hosts(public)
	explains := []func(Obs) bool{sameHost(pubHosts...), codeIn(codeNoInternet)}
	for _, o := range conn {
		explains = append(explains, sameHost(o.Host))
	}
	if len(public) > 0 {
		// Public NTP and the resolver's upstream need the same way out.
		explains = append(explains, codeIn(codeNTPUnreachable, codeNTPServerDown))
		alive := dnsAlive(v)
		var names []string
		for _, o := range v.Find(upstreamDNSCodes...) {
			if slices.Contains(alive, dnsServer(o)) {
				names = append(names, dnsNames([]Obs{o})...)
			}
		}
		if len(names) > 0 {
			explains = append(explains, func(o Obs) bool {
				return slices.Contains(upstreamDNSCodes, o.Code) || o.Code == codeNoResolve
			}, byName(names...))
		}
		if len(conn) > 0 || hop != "" {
			m.Confidence = High
		}
	}
	m.Explains = anyOf(explains...)

	var b strings.Builder
	b.WriteString("No internet access")
	if len(public) > 0 {
		fmt.Fprintf(&b, ": %s %s no answer", list(pubHosts), verb(pubHosts, "gets", "get"))
		switch {
		case hop != "" && note != "":
			fmt.Fprintf(&b, "; the way out ends at %s, which reports %s", hop, note)
		case hop != "":
			fmt.Fprintf(&b, "; the way out ends after %s", hop)
		}
	}
	local := slices.DeleteFunc(reached(v), func(o Obs) bool { return isPublic(o.Host) })
	switch {
	case len(public) == 0:
		fmt.Fprintf(&b, " although the local network works: %s", strings.TrimSuffix(message(conn), "."))
	case len(local) > 0:
		fmt.Fprintf(&b, "; the local network works (%s answers)", local[0].Host)
		m.Cites = local[:1]
	}
	b.WriteString(".")
	m.Headline = b.String()
	if hop != "" {
		m.NextStep = fmt.Sprintf("Give the network team the last hop that answered (%s) and the time: the uplink or the edge router/firewall behind it is down or blocks this network. Internal services are not affected; nothing to fix on this machine.", hop)
	}
	return []Match{m}
}

// pathEnd returns where traces to the public addresses stop: the last hop
// that answered and what it reported ("network unreachable"), if any.
func pathEnd(public []Obs) (hop, note string) {
	for _, o := range public {
		if o.Code != codeTraceStops {
			continue
		}
		if h := o.EvHost(evLastHop); h != "" {
			return h, o.Ev(evNote)
		}
	}
	return "", ""
}
