package triage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// A name the profile says must resolve to certain addresses resolves
// elsewhere. Who fixes it depends on where the right answer is: another
// server has it (this machine asks the wrong one), only a public view
// answers (the VPN's DNS is not in use), or no server has it (a stale
// record).

var specDNSWrongAnswer = Spec{
	Code: "cause.dns-wrong-answer", Layer: LayerDNS, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Name resolves to the wrong place",
	Meaning: "A name the profile says must resolve to certain addresses (dns.names with expect or expect_private, --dns-name NAME=IP) resolves to others: applications reach the wrong host, often the public one instead of the internal one.",
	Causes:  []string{"the VPN is not connected, or its split-horizon DNS is not in use, so a public resolver answers", "a local cache or resolver layer on this machine holding another answer", "a stale record on the organisation's DNS servers", "DNS tampering (a rogue resolver handed out by DHCP)"},
	Fix:     "Connect the VPN and check that its DNS servers answer the internal domain (resolvectl status; Windows: Get-DnsClientNrptPolicy, ipconfig /all); flush the local cache (resolvectl flush-caches, ipconfig /flushdns).",
	Why:     "Drawn per name from dns.unexpected-answer and dns.system-unexpected-answer. resolve-here when another server or DNS itself gives the expected answer, or the wrong answer is public (the wrong server is asked); dns when every server answers another private address (a stale record). Explains the failures of checks by that name and the other DNS findings about it (servers disagree, system differs).",
}

func ruleDNSWrongAnswer(v *View) []Match {
	found := v.Find(codeDNSUnexpected, codeDNSSystemUnexpected)
	var out []Match
	for _, name := range dnsNames(found) {
		var servers, system []Obs
		for _, o := range found {
			if !slices.Contains(dnsNames([]Obs{o}), name) {
				continue
			}
			if o.Code == codeDNSSystemUnexpected {
				system = append(system, o)
			} else {
				servers = append(servers, o)
			}
		}
		ev := append(slices.Clone(servers), system...)
		// A wrong answer explains what failed by that name beyond DNS (a
		// connection to the wrong host) and the DNS symptoms of the same
		// split view; a SERVFAIL elsewhere stays a finding of its own.
		same := byName(name)
		m := Match{Evidence: ev, Status: worst(ev), Explains: func(o Obs) bool {
			return same(o) && (o.Category != "dns" || slices.Contains([]string{codeDNSDisagree, codeDNSSystemDiffers}, o.Code))
		}}
		expected := evOr(ev, "expected")
		var wrong, wrongUsed []string
		someRight, allPublic := false, len(servers) > 0
		for _, o := range servers {
			s := fmt.Sprintf("%s says %s", dnsServer(o), strings.Join(evList(o, "answer"), ", "))
			wrong = append(wrong, s)
			if o.Status == report.StatusFail {
				wrongUsed = append(wrongUsed, s)
			}
			if n := o.Ev("matching_servers"); n != "" && n != "0" {
				someRight = true
			}
			allPublic = allPublic && o.Ev("answer_public") == "true"
		}
		for _, o := range system {
			if o.Ev("dns_meets") == "true" {
				someRight = true
			}
		}
		switch {
		case len(servers) == 0 && someRight:
			m.Headline = fmt.Sprintf("Applications get %s for %s, not the expected %s, although the DNS servers give it: a cache or resolver layer on this machine answers otherwise.",
				strings.Join(evList(system[0], "system"), ", "), name, expected)
			m.Confidence = High
			m.NextStep = "Flush the local cache (resolvectl flush-caches; ipconfig /flushdns), then check the hosts: line of /etc/nsswitch.conf and any VPN client's resolver settings (resolvectl status)."
		case len(wrongUsed) == 0 && len(servers) > 0:
			// Only extra servers (--dns-server, dns.servers) answer
			// otherwise: the servers in use are right.
			m.Headline = fmt.Sprintf("%s: the servers this machine uses give the expected %s, but %s.", name, expected, strings.Join(wrong, "; "))
			m.Confidence = Low
			m.NextStep = "Nothing to fix on this machine; if the other server should serve the internal view too, give its administrators the evidence."
		case someRight:
			m.Headline = fmt.Sprintf("%s resolves wrongly on some DNS servers (%s) while others give the expected %s: this machine asks the wrong DNS server (VPN not connected or split-horizon DNS not in use).",
				name, strings.Join(wrongUsed, "; "), expected)
			m.Confidence = High
		case allPublic:
			m.Headline = fmt.Sprintf("%s resolves to a public address (%s), not the expected %s: this machine does not ask the internal DNS (VPN not connected or split-horizon DNS not in use).",
				name, strings.Join(wrong, "; "), expected)
			m.Confidence = Medium
		case len(servers) > 0:
			m.Headline = fmt.Sprintf("Every DNS server answers %s otherwise than expected (%s; expected %s): a stale or wrong record.", name, strings.Join(wrong, "; "), expected)
			m.Confidence = Medium
			m.Escalation = DNS
			m.NextStep = "Give the DNS administrators the name, the expected address and each server's answer (in the evidence); if the profile's expectation is out of date, correct it."
		default:
			m.Headline = fmt.Sprintf("Applications get %s for %s, not the expected %s.", strings.Join(evList(system[0], "system"), ", "), name, expected)
			m.Confidence = Medium
		}
		out = append(out, m)
	}
	return out
}

// evList returns a list-valued evidence entry as strings, whether the
// report was built in this process ([]string) or read from JSON ([]any).
func evList(o Obs, key string) []string {
	if o.Finding == nil {
		return nil
	}
	switch l := o.Finding.Evidence[key].(type) {
	case []string:
		return l
	case []any:
		var out []string
		for _, x := range l {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return nil
}
