package dnscheck

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/report"
)

var serverSpec = diag.Spec{
	ID: "dns-server", Category: diag.CategoryDNS, Phase: diag.PhaseProbe,
	Finds:    "whether each DNS server answers over UDP and over TCP, and how fast: down, rejecting, REFUSED, TCP or UDP blocked, slow",
	Sockets:  engineSockets,
	Findings: []diag.FindingSpec{FindingServerTimeout, FindingServerUnreachable, FindingLocalError, FindingMalformedAnswer, FindingServerRefused, FindingTCPBlocked, FindingUDPBlocked, FindingServerSlow},
	Plan:     planServer,
}

func planServer(in *diag.PlanInput) []diag.Instance {
	s := setupFor(in)
	name, qt := probeQuestion(s)
	slow := in.Profile.DNS.SlowThreshold.D()
	var out []diag.Instance
	for _, sv := range s.servers {
		u := qkey{server: sv.Addr, name: name, qtype: qt, via: wire.UDP}
		t := u
		t.via = wire.TCP
		s.e.plan(u, t)
		out = append(out, diag.Instance{Target: serverName(sv.Addr), Run: func(ctx context.Context, env *diag.Env) report.Result {
			o := s.e.queryAll(ctx, []qkey{u, t})
			return judgeServer(sv, o[0], o[1], slow)
		}})
	}
	return out
}

// probeQuestion is what dns-server asks: the first name to resolve (so the
// answer is shared with dns-resolve), else the root's NS, which every
// recursive resolver answers.
func probeQuestion(s *setup) (string, uint16) {
	if len(s.names) > 0 {
		return wire.Fqdn(s.names[0]), wire.TypeA
	}
	return ".", wire.TypeNS
}

// failedOver names the transports whose outcome failed a certain way,
// records their errors in ev and returns the error to quote (UDP's first).
func failedOver(u, t Outcome, udp, tcp bool, ev map[string]any) ([]string, string) {
	var over []string
	errText := t.Error
	if udp {
		over, errText = append(over, "UDP"), u.Error
		ev["udp_error"] = u.Error
	}
	if tcp {
		over = append(over, "TCP")
		ev["tcp_error"] = t.Error
	}
	return over, errText
}

// malformedCause is what the DNS library said about a broken answer,
// without the query's own prefix.
func malformedCause(errText string) string {
	if i := strings.LastIndex(errText, "dns: "); i >= 0 {
		errText = errText[i+len("dns: "):]
	}
	return strings.TrimRight(errText, ".")
}

// serverName is a server's address without the port when it is 53.
func serverName(ap netip.AddrPort) string {
	if ap.Port() == 53 {
		return ap.Addr().String()
	}
	return ap.String()
}

func judgeServer(sv server, u, t Outcome, slow time.Duration) report.Result {
	var res report.Result
	res.SetDetail("server", sv)
	res.SetDetail("udp", u)
	res.SetDetail("tcp", t)
	ev := map[string]any{"server": sv.Addr.String(), "source": sv.Source, "question": u.Name + " " + u.Type}
	if u.Answered() {
		res.SetMetric("udp_rtt_ms", u.RTTms)
	}
	if t.Answered() {
		res.SetMetric("tcp_rtt_ms", t.RTTms)
	}
	who := serverName(sv.Addr)
	localU, localT := u.ErrKind == string(wire.KindLocal), t.ErrKind == string(wire.KindLocal)
	if localU || localT {
		over, errText := failedOver(u, t, localU, localT, ev)
		res.AddFinding(FindingLocalError.Finding(fmt.Sprintf("This machine could not send DNS queries over %s to %s: %s.",
			strings.Join(over, " or "), who, strings.TrimRight(errText, ".")), ev))
		if !u.Answered() && !t.Answered() {
			res.Summary = "Not tested: this machine could not send the queries (a local error)."
			return res
		}
	}
	badU, badT := u.Malformed(), t.Malformed()
	if badU || badT {
		over, errText := failedOver(u, t, badU, badT, ev)
		res.AddFinding(FindingMalformedAnswer.Finding(fmt.Sprintf("%s answers over %s with something that is not valid DNS: %s.",
			who, strings.Join(over, " and "), malformedCause(errText)), ev))
		if !u.Answered() && !t.Answered() {
			res.Summary = "The server answers, but not with valid DNS."
			return res
		}
	}
	switch {
	case !u.Answered() && !t.Answered():
		ev["udp_error"], ev["tcp_error"] = u.Error, t.Error
		if u.ErrKind == string(wire.KindUnreachable) || t.ErrKind == string(wire.KindUnreachable) {
			res.AddFinding(FindingServerUnreachable.Finding(fmt.Sprintf("%s rejects DNS queries over UDP and TCP.", who), ev))
		} else {
			res.AddFinding(FindingServerTimeout.Finding(fmt.Sprintf("%s did not answer over UDP (%d tries) or TCP.", who, u.Tries), ev))
		}
		res.Summary = "The server does not answer."
		return res
	case !u.Answered() && (localU || badU), !t.Answered() && (localT || badT):
		// Said above: the missing transport is this machine's failure or
		// a broken answer, not a blocked port.
	case !u.Answered():
		ev["udp_error"] = u.Error
		res.AddFinding(FindingUDPBlocked.Finding(fmt.Sprintf("%s answers over TCP but not over UDP.", who), ev))
	case !t.Answered():
		ev["tcp_error"] = t.Error
		res.AddFinding(FindingTCPBlocked.Finding(fmt.Sprintf("%s answers over UDP but not over TCP (%s).", who, t.ErrKind), ev))
	}
	rc := u.Rcode
	if rc == "" {
		rc = t.Rcode
	}
	if rc == wire.Refused {
		res.AddFinding(FindingServerRefused.Finding(fmt.Sprintf("%s answered REFUSED to %s %s.", who, u.Name, u.Type), ev))
	}
	// A lost first try costs the client a whole timeout: count it.
	took := u.RTTms
	if u.Tries > 1 {
		took = u.ElapsedMS
	}
	if u.Answered() && time.Duration(took*float64(time.Millisecond)) > slow {
		ev["rtt_ms"], ev["threshold_ms"], ev["tries"] = took, diag.Millis(slow), u.Tries
		res.AddFinding(FindingServerSlow.Finding(fmt.Sprintf("%s took %.0f ms to answer (threshold %s, %d tries).", who, took, slow, u.Tries), ev))
	}
	if res.Summary == "" {
		res.Summary = fmt.Sprintf("Answers over UDP (%.1f ms) and TCP (%.1f ms), %s.", u.RTTms, t.RTTms, rc)
		if res.Status.Problem() {
			res.Summary = fmt.Sprintf("Answers (%s), with a problem.", rc)
		}
	}
	return res
}
