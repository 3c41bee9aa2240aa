package triage

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// Ping roles (details.roles of net-ping results).
const (
	roleGateway   = "gateway"
	roleDNSServer = "dns-server"
)

// localOnlyCodes are problems of this machine's own configuration: a broken
// network beyond it does not explain them.
var localOnlyCodes = []string{
	codeNoInterface, codeLinkLocalOnly, codeIfaceErrors, codeProxyInvalid,
	codeDNSNoServer, codeDNSStubNoUpstream, codeDNSHostsOverride,
}

// loopback reports whether host is this machine itself.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// netDependent reports whether a problem needs the network beyond this
// machine, so a broken link, address or gateway explains it.
func netDependent(o Obs) bool {
	if !o.Problem() || slices.Contains(localOnlyCodes, o.Code) || loopback(o.Host) {
		return false
	}
	switch o.Category {
	case "net", "dns":
		return true
	}
	// Without a network the clock cannot synchronise either.
	return o.Code == codeNTPUnreachable || o.Code == codeNTPServerDown || o.Code == codeClockUnsynced
}

// answeredCodes prove that something beyond the gateway answered.
var answeredCodes = []string{
	codeTCPOpen, codeTCPRefused, codeHTTPOK, codeHTTP5xx, codeHTTP4xx, codeHTTPProxyAuth,
	codeTLSExpired, codeTLSExpiring, codeTLSNameMismatch, codeTLSUnknownCA, codeTraceReached,
	codeHTTPMalformed, codeHTTPRedirLoop, codeHTTPRedirMany,
}

// answered reports whether o proves its (non-loopback) host answered: an
// open or refusing port, an HTTP status, a certificate, a ping reply, a DNS
// server's answer.
func answered(o Obs) bool {
	if o.Host == "" || loopback(o.Host) {
		return false
	}
	if slices.Contains(answeredCodes, o.Code) {
		return true
	}
	if n, ok := o.Metric("received"); ok && n > 0 && o.Check == "net-ping" {
		return true
	}
	// A DNS result that passed, against a server address.
	return o.Category == "dns" && o.Code == "" && o.Status == report.StatusOK && isIP(o.Host)
}

// reached returns the observations proving that hosts beyond the gateway
// answer (gateways themselves excluded), one per host.
func reached(v *View) []Obs {
	seen := map[string]bool{}
	return v.Where(func(o Obs) bool {
		if seen[o.Host] || o.HasRole(roleGateway) || !answered(o) {
			return false
		}
		seen[o.Host] = true
		return true
	})
}

// hostAnswers returns proof that a host answers anything at all; ids are
// its name and addresses (see idents).
func hostAnswers(v *View, ids ...string) []Obs {
	var out []Obs
	for _, o := range v.OnHosts(ids...) {
		if answered(o) {
			out = append(out, o)
		}
	}
	return out
}

// idents returns the hosts of obs and the addresses their evidence names:
// a check by name and a ping by address are about the same machine.
func idents(obs []Obs) []string {
	var out []string
	for _, o := range obs {
		out = appendNew(out, o.Host, o.EvHost("address"))
	}
	return out
}

// sameMachine returns ids with every name and address the net checks tie
// to them (a check by name carries the address it reached), once.
func sameMachine(v *View, ids []string) []string {
	ids = slices.Clone(ids)
	for _, o := range v.OnHosts(ids...) {
		if o.Category == "net" {
			ids = appendNew(ids, o.Host, o.EvHost("address"))
		}
	}
	return ids
}

// byHost groups observations by host, keeping first-seen order.
func byHost(obs []Obs) (order []string, groups map[string][]Obs) {
	groups = map[string][]Obs{}
	for _, o := range obs {
		if _, ok := groups[o.Host]; !ok {
			order = append(order, o.Host)
		}
		groups[o.Host] = append(groups[o.Host], o)
	}
	return order, groups
}

// sameHost explains every problem of the net and dns categories on one of
// hosts (follow-up traces, timeouts, the HTTP check of a refused port).
func sameHost(hs ...string) func(Obs) bool {
	return func(o Obs) bool {
		return o.Host != "" && slices.Contains(hs, o.Host) && (o.Category == "net" || o.Category == "dns")
	}
}

// anyOf combines explain predicates.
func anyOf(fs ...func(Obs) bool) func(Obs) bool {
	return func(o Obs) bool {
		for _, f := range fs {
			if f(o) {
				return true
			}
		}
		return false
	}
}

// codeIn explains problems of these codes.
func codeIn(codes ...string) func(Obs) bool {
	return func(o Obs) bool { return slices.Contains(codes, o.Code) }
}

// message returns the first observation's finding message, the fallback
// headline.
func message(obs []Obs) string {
	for _, o := range obs {
		if o.Finding != nil && o.Finding.Message != "" {
			return strings.TrimSpace(o.Finding.Message)
		}
	}
	return ""
}

// worst returns the most severe status of obs.
func worst(obs []Obs) report.Status {
	st := report.StatusOK
	for _, o := range obs {
		st = st.Worse(o.Status)
	}
	return st
}

// evOr returns the first non-empty evidence value of keys across obs.
func evOr(obs []Obs, keys ...string) string {
	for _, o := range obs {
		for _, k := range keys {
			if s := o.Ev(k); s != "" {
				return s
			}
		}
	}
	return ""
}

// simpleRule is a rule that draws one conclusion over every unexplained
// finding of codes (simple); the codes are its Uses, written once.
func simpleRule(spec Spec, conf Confidence, headline func([]Obs) string, codes ...string) Rule {
	return Rule{Spec: spec, Uses: codes, Match: simple(conf, headline, codes...)}
}

// simple builds the match function of a rule that draws one conclusion
// over every unexplained finding of codes, with headline built from them.
func simple(conf Confidence, headline func([]Obs) string, codes ...string) func(*View) []Match {
	return func(v *View) []Match {
		found := v.Find(codes...)
		if len(found) == 0 {
			return nil
		}
		return []Match{{Headline: headline(found), Confidence: conf, Status: worst(found), Evidence: found}}
	}
}
