package triage

import (
	"fmt"
	"slices"

	"github.com/l2diag/l2diag/report"
)

var specIPv6Broken = Spec{
	Code: "cause.ipv6-broken", Layer: LayerPath, Status: report.StatusWarn, Escalation: Network,
	Title:   "IPv6 path broken, IPv4 works",
	Meaning: "A name has IPv4 and IPv6 addresses; the service answers over IPv4 but connections over IPv6 get no answer or no route. Applications that try IPv6 first stall or fail, browsers mostly fall back.",
	Causes:  []string{"an IPv6 route or firewall rule missing on the way (router, VPN, provider)", "an AAAA record for an address the service does not listen on", "a stale IPv6 prefix on this machine (router advertisements)"},
	Fix:     "Give the network team the IPv6 address that does not answer and where its trace stops; meanwhile the service works over IPv4. If the service has no IPv6, have its AAAA record removed.",
	Why:     "Drawn per name from net.tcp-filtered or net.tcp-unreachable on an IPv6 address beside net.tcp-open on an IPv4 address of the same target; explains the other failures towards those IPv6 addresses (trace, ping). Before cause.port-filtered: the port is open, over IPv4.",
}

// ruleIPv6Broken: per TCP target, the IPv6 attempts failing while an IPv4
// one opens. The service is up, the port open: one address family's path
// is broken, not the host, not a port filter.
func ruleIPv6Broken(v *View) []Match {
	open := v.Find(codeTCPOpen)
	var out []Match
	order, groups := byHost(v.Find(codeTCPFiltered, codeTCPUnreachable))
	for _, h := range order {
		var failed, works []Obs
		for _, o := range groups[h] {
			if o.Ev(evFamily) == "ipv6" {
				failed = append(failed, o)
			}
		}
		for _, o := range open {
			if o.Host == h && o.Ev(evFamily) == "ipv4" && slices.ContainsFunc(failed, func(f Obs) bool { return f.Target == o.Target }) {
				works = append(works, o)
			}
		}
		if len(failed) == 0 || len(works) == 0 {
			continue
		}
		v6 := evHosts(failed)
		out = append(out, Match{
			Headline: fmt.Sprintf("IPv6 to %s is broken: %s %s no answer while IPv4 (%s) works; applications that try IPv6 first stall.",
				h, list(v6), verb(v6, "gets", "get"), list(evHosts(works))),
			Confidence: High, Evidence: failed, Cites: works[:1], Hosts: v6,
			Explains: sameHost(v6...),
		})
	}
	return out
}

// evHosts returns the distinct hosts of the observations' address evidence.
func evHosts(obs []Obs) []string {
	var out []string
	for _, o := range obs {
		out = appendNew(out, o.EvHost(evAddress))
	}
	return out
}
