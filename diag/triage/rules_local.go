package triage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// This machine refusing sockets is not a network fault: the checks that
// hit it learnt nothing, so triage says that, and never "UDP blocked" or
// "server down" from them.

var specLocalSocket = Spec{
	Code: "cause.local-socket-error", Layer: LayerHost, Status: report.StatusError, Escalation: ResolveHere,
	Title:   "This machine refuses network sockets",
	Meaning: "The operating system refused to create or use the sockets some checks needed (out of descriptors or buffers, an address family disabled, security software in the socket layer, a broken Winsock catalog). Those checks say nothing about the network or the servers.",
	Causes:  []string{"security, VPN or filtering software hooking the network stack", "a damaged Winsock catalog (Windows)", "the process or the system out of descriptors or buffers", "IPv4 or IPv6 disabled on this machine"},
	Tell:    "This computer's network software refuses connections (not the network itself); it needs a restart or a check of its security software here.",
	Fix:     "Check that other programs reach the network; restart the machine; review security and VPN software (Windows: netsh winsock show catalog, then netsh winsock reset after review). Run l2diag again before judging the network.",
	Why:     "Drawn from net.local-error, dns.local-error, host.local-error and org.local-error (status error: nothing was sent). Cross-checks the system resolver: when dns-system resolved names, the headline says DNS itself works.",
}

var localErrorCodes = []string{codeNetLocalError, codeDNSLocalError, codeHostLocalError, codeOrgLocalError}

func ruleLocalSocket(v *View) []Match {
	found := v.Find(localErrorCodes...)
	if len(found) == 0 {
		return nil
	}
	var checks []string
	for _, o := range found {
		if l := o.label(); !contains(checks, l) {
			checks = append(checks, l)
		}
	}
	n := fmt.Sprintf("%d checks", len(checks))
	if len(checks) == 1 {
		n = "1 check"
	}
	head := fmt.Sprintf("This machine refuses the network sockets l2diag needs (%s): %s could not test anything, so they say nothing about the network.",
		strings.TrimSuffix(evOr(found, "error", "udp_error", "tcp_error"), "."), n)
	m := Match{Confidence: High, Evidence: found}
	// No DNS server was asked at all: names cannot resolve, a consequence
	// of this machine, not a missing record.
	if servers := v.Where(func(o Obs) bool { return o.Check == "dns-server" }); len(servers) > 0 &&
		!slices.ContainsFunc(servers, func(o Obs) bool { return o.Code != codeDNSLocalError }) {
		m.Explains = anyOf(codeIn(codeNoResolve, codeDNSNXDomain), byHostName)
	}
	// The OS resolver works through its own sockets (on Windows, the DNS
	// Client service): if it resolved names, DNS itself is fine.
	sys := v.Where(func(o Obs) bool {
		return o.Check == "dns-system" && o.Code == "" && o.Status == report.StatusOK && o.Result.Details["system_error"] == nil
	})
	if len(sys) > 0 {
		head += fmt.Sprintf(" The system resolver works (it resolves %s), so DNS itself is fine.", list(targets(sys)))
		m.Cites = sys[:1]
	}
	m.Headline = head
	return []Match{m}
}
