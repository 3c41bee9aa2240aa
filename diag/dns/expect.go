package dnscheck

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/report"
)

// The expectation findings: a name the profile (dns.names with expect or
// expect_private) or --dns-name NAME=IP says must resolve to certain
// addresses resolves elsewhere.
var (
	FindingUnexpectedAnswer = diag.FindingSpec{
		Code: "dns.unexpected-answer", Status: report.StatusFail,
		Meaning: "A DNS server answers the name with addresses other than expected (dns.names expect or expect_private, --dns-name NAME=IP): clients asking it reach the wrong host (a warning for a server this machine does not use).",
		Hint:    "Usually the wrong DNS server: the VPN is not connected or its split-horizon DNS is not in use (resolvectl status; Windows: Get-DnsClientNrptPolicy, ipconfig /all). If the organisation's own server answers wrongly, the record is stale or hijacked: give the DNS administrators the evidence (dig @SERVER NAME).",
	}
	FindingSystemUnexpected = diag.FindingSpec{
		Code: "dns.system-unexpected-answer", Status: report.StatusFail,
		Meaning: "Applications (the operating system's resolver, hosts file included) get addresses other than expected for the name (dns.names expect or expect_private, --dns-name NAME=IP): they connect to the wrong host.",
		Hint:    "If the evidence names a hosts-file entry, fix or remove it; if the DNS servers give the wrong answer too, see dns.unexpected-answer (VPN not connected, split-horizon DNS not in use, a stale record); otherwise flush the local cache (resolvectl flush-caches, ipconfig /flushdns).",
	}
)

// serverAddrs returns the A and AAAA addresses of a server's answers.
func serverAddrs(v serverView) []netip.Addr {
	var out []netip.Addr
	for _, o := range v.outcomes {
		if o.Type != "A" && o.Type != "AAAA" {
			continue
		}
		for _, d := range o.Data() {
			if a, err := netip.ParseAddr(d); err == nil {
				out = append(out, a)
			}
		}
	}
	return out
}

// allPublic reports whether every address is a global, non-private one:
// the answer of a public view, as when the VPN's resolver is not asked.
func allPublic(as []netip.Addr) bool {
	for _, a := range as {
		a = a.Unmap()
		if !a.IsGlobalUnicast() || a.IsPrivate() {
			return false
		}
	}
	return len(as) > 0
}

func expectEvidence(name string, exp target.Expectation) map[string]any {
	ev := map[string]any{"name": name, "expected": exp.String()}
	if ps := exp.Strings(); len(ps) > 0 {
		ev["expected_addresses"] = ps
	}
	if exp.Private {
		ev["expect_private"] = true
	}
	return ev
}

// judgeExpect adds dns.unexpected-answer for each server whose addresses
// for name do not meet exp. A server that gave no address is judged by
// judgeServerView already (NXDOMAIN, SERVFAIL, silence).
func judgeExpect(res *report.Result, name string, exp target.Expectation, views []serverView) {
	answers := map[string][]string{}
	var matching, wrong []serverView
	usesSystem := false
	for _, v := range views {
		usesSystem = usesSystem || v.server.Source == "system"
		as := serverAddrs(v)
		if len(as) == 0 {
			continue
		}
		answers[serverName(v.server.Addr)] = strAddrs(as)
		if exp.Met(as) {
			matching = append(matching, v)
		} else {
			wrong = append(wrong, v)
		}
	}
	res.SetDetail("expected", exp.String())
	res.SetMetric("servers_unexpected", float64(len(wrong)))
	var right []string
	for _, v := range matching {
		right = append(right, serverName(v.server.Addr))
	}
	for _, v := range wrong {
		who := serverName(v.server.Addr)
		as := serverAddrs(v)
		ev := expectEvidence(name, exp)
		ev["server"], ev["server_source"] = v.server.Addr.String(), v.server.Source
		ev["answer"], ev["answers"] = strAddrs(as), answers
		ev["matching_servers"] = len(matching)
		ev["answer_public"] = allPublic(as)
		msg := fmt.Sprintf("%s answers %s with %s; expected %s.", who, name, strings.Join(strAddrs(as), ", "), exp)
		if len(right) > 0 {
			msg += fmt.Sprintf(" %s %s the expected answer.", strings.Join(right, ", "), verbFor(right, "gives", "give"))
		}
		f := FindingUnexpectedAnswer.Finding(msg, ev)
		// Applications ask only the servers the machine uses; an extra
		// server (--dns-server, dns.servers) answering otherwise is worth
		// knowing, not a failure of this machine.
		if usesSystem && v.server.Source != "system" {
			f.Status = report.StatusWarn
			f.Message += fmt.Sprintf(" This machine does not use %s (it was added by %s).", who, sourceFlag(v.server.Source))
		}
		res.AddFinding(f)
	}
	switch {
	case len(wrong) > 0:
		var says []string
		for _, v := range wrong {
			says = append(says, fmt.Sprintf("%s says %s", serverName(v.server.Addr), strings.Join(strAddrs(serverAddrs(v)), ", ")))
		}
		res.Summary = fmt.Sprintf("Wrong answer: expected %s, but %s.", exp, strings.Join(says, "; "))
	case len(matching) > 0:
		res.Summary += fmt.Sprintf(" As expected (%s).", exp)
	}
}

// judgeSystemExpect adds dns.system-unexpected-answer when the OS
// resolver's addresses for name do not meet exp, naming the hosts-file
// entry when that is where they come from.
func judgeSystemExpect(res *report.Result, name string, exp target.Expectation, sysAddrs, hosts []netip.Addr, hostsPath string, views []serverView) {
	res.SetDetail("expected", exp.String())
	if len(sysAddrs) == 0 || exp.Met(sysAddrs) {
		if len(sysAddrs) > 0 {
			res.Summary = strings.TrimSpace(res.Summary + fmt.Sprintf(" As expected (%s).", exp))
		}
		return
	}
	sys := strAddrs(sysAddrs)
	ev := expectEvidence(name, exp)
	ev["system"] = sys
	direct := map[string][]string{}
	dnsMeets := false
	for _, v := range views {
		if as := serverAddrs(v); len(as) > 0 {
			direct[serverName(v.server.Addr)] = strAddrs(as)
			dnsMeets = dnsMeets || exp.Met(as)
		}
	}
	ev["servers"], ev["dns_meets"] = direct, dnsMeets
	msg := fmt.Sprintf("Applications get %s for %s; expected %s.", strings.Join(sys, ", "), name, exp)
	if len(hosts) > 0 {
		ev["hosts"], ev["hosts_file"] = strAddrs(hosts), hostsPath
		msg = fmt.Sprintf("%s maps %s to %s, which applications use; expected %s.", hostsPath, name, strings.Join(strAddrs(hosts), ", "), exp)
	}
	if dnsMeets {
		msg += " The DNS servers give the expected answer: the difference is on this machine."
	}
	res.AddFinding(FindingSystemUnexpected.Finding(msg, ev))
	res.Summary = fmt.Sprintf("Applications get %s, not %s.", strings.Join(sys, ", "), exp)
}

// sourceFlag names where an extra server came from.
func sourceFlag(src string) string {
	if src == "cli" {
		return "--dns-server"
	}
	return "the profile's dns.servers"
}

func verbFor(items []string, one, many string) string {
	if len(items) == 1 {
		return one
	}
	return many
}
