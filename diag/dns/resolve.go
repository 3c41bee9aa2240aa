package dnscheck

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/report"
)

var resolveSpec = diag.Spec{
	ID: "dns-resolve", Category: diag.CategoryDNS, Phase: diag.PhaseProbe,
	Finds:    "each name on each server: records, TTLs, AD flag, latency; NXDOMAIN, SERVFAIL, DNSSEC failure (CD retry), empty answer, timeout, REFUSED, failed TCP fallback; an answer other than the profile or --dns-name NAME=IP expects",
	Sockets:  engineSockets,
	Findings: []diag.FindingSpec{FindingNXDomain, FindingServFail, FindingDNSSEC, FindingNoData, FindingQueryTimeout, FindingQueryRefused, FindingTruncatedTCPFailed, FindingLocalError, FindingMalformedAnswer, FindingUnexpectedAnswer},
	Plan:     planResolve,
}

func planResolve(in *diag.PlanInput) []diag.Instance {
	s := setupFor(in)
	if len(s.servers) == 0 {
		return nil
	}
	if len(s.names) == 0 {
		return []diag.Instance{{Run: func(context.Context, *diag.Env) report.Result {
			return diag.Skipped("No names to resolve: add dns.names to the profile, or --dns-name, --tcp, --http.")
		}}}
	}
	var out []diag.Instance
	for _, name := range s.names {
		ks := keys(s.servers, name, s.typesFor(name))
		s.e.plan(ks...)
		exp := s.expect[name]
		out = append(out, diag.Instance{Target: name, Run: func(ctx context.Context, env *diag.Env) report.Result {
			outs := s.e.queryAll(ctx, ks)
			res := judgeResolve(name, s.servers, outs)
			if exp.Set() {
				judgeExpect(&res, name, exp, groupByServer(s.servers, outs))
			}
			return res
		}})
	}
	return out
}

// serverView is what one server said about one name, over all types.
type serverView struct {
	server   server
	outcomes []Outcome
}

func (v serverView) ok() bool {
	for _, o := range v.outcomes {
		if o.HasData() {
			return true
		}
	}
	return false
}

// groupByServer splits outcomes (server-major, as keys builds them).
func groupByServer(servers []server, outs []Outcome) []serverView {
	var views []serverView
	for _, sv := range servers {
		v := serverView{server: sv}
		for _, o := range outs {
			if o.Server == sv.Addr {
				v.outcomes = append(v.outcomes, o)
			}
		}
		views = append(views, v)
	}
	return views
}

func judgeResolve(name string, servers []server, outs []Outcome) report.Result {
	var res report.Result
	views := groupByServer(servers, outs)
	okCount := 0
	for _, v := range views {
		if v.ok() {
			okCount++
		}
	}
	answers := map[string][]Outcome{}
	var worst float64
	for _, v := range views {
		answers[serverName(v.server.Addr)] = v.outcomes
		for _, o := range v.outcomes {
			if o.Answered() && o.RTTms > worst {
				worst = o.RTTms
			}
		}
		judgeServerView(&res, name, v, okCount > 0)
	}
	res.SetDetail("answers", answers)
	res.SetMetric("servers_ok", float64(okCount))
	res.SetMetric("servers_total", float64(len(views)))
	res.SetMetric("rtt_ms_max", worst)
	switch {
	case okCount == len(views):
		res.Summary = fmt.Sprintf("Resolves on all %d server(s): %s.", okCount, answerSummary(views[0].outcomes))
	case okCount > 0:
		res.Summary = fmt.Sprintf("Resolves on %d of %d servers.", okCount, len(views))
	default:
		res.Summary = fmt.Sprintf("Resolves on none of the %d server(s).", len(views))
	}
	return res
}

// judgeServerView adds the findings for one server's answers to a name.
// elsewhere says another server resolves the name: a silent server then
// costs time, not the answer.
func judgeServerView(res *report.Result, name string, v serverView, elsewhere bool) {
	who := serverName(v.server.Addr)
	ev := func(o Outcome) map[string]any {
		m := map[string]any{"server": v.server.Addr.String(), "name": name, "type": o.Type, "rcode": o.Rcode}
		if o.Error != "" {
			m["error"] = o.Error
		}
		return m
	}
	seen := map[string]bool{}
	add := func(f report.Finding) {
		if !seen[f.Code] {
			seen[f.Code] = true
			res.AddFinding(f)
		}
	}
	empty := len(v.outcomes) > 0
	for _, o := range v.outcomes {
		if o.Rcode != wire.NoError || o.HasData() {
			empty = false
		}
		switch {
		case !o.Answered() && o.ErrKind == string(wire.KindLocal):
			add(FindingLocalError.Finding(fmt.Sprintf("This machine could not send the query for %s %s to %s: %s.", name, o.Type, who, strings.TrimRight(o.Error, ".")), ev(o)))
		case !o.Answered() && o.Malformed():
			add(FindingMalformedAnswer.Finding(fmt.Sprintf("%s answered %s %s over %s with something that is not valid DNS: %s.", who, name, o.Type, o.Transport, malformedCause(o.Error)), ev(o)))
		case !o.Answered():
			f := FindingQueryTimeout.Finding(fmt.Sprintf("%s gave no answer for %s %s (%s after %d tries).", who, name, o.Type, o.ErrKind, o.Tries), ev(o))
			if elsewhere {
				f.Status = report.StatusWarn
				f.Message += " Other servers resolve it."
			}
			add(f)
		case o.Truncated && o.TCPFallbackError != "":
			e := ev(o)
			e["tcp_error"] = o.TCPFallbackError
			add(FindingTruncatedTCPFailed.Finding(fmt.Sprintf("%s truncated the answer for %s %s and the TCP retry failed.", who, name, o.Type), e))
		case o.Rcode == wire.NXDomain:
			add(FindingNXDomain.Finding(fmt.Sprintf("%s says %s does not exist (NXDOMAIN).", who, name), ev(o)))
		case o.Rcode == wire.ServFail && o.CDRcode != "" && o.CDRcode != wire.ServFail:
			e := ev(o)
			e["cd_rcode"], e["cd_answer"] = o.CDRcode, rrStrings(o.CDAnswer)
			add(FindingDNSSEC.Finding(fmt.Sprintf("%s fails DNSSEC validation for %s: SERVFAIL, but %s with checking disabled. The server is up.", who, name, o.CDRcode), e))
		case o.Rcode == wire.ServFail:
			add(FindingServFail.Finding(fmt.Sprintf("%s returns SERVFAIL for %s %s, also with checking disabled.", who, name, o.Type), ev(o)))
		case o.Rcode == wire.Refused:
			add(FindingQueryRefused.Finding(fmt.Sprintf("%s REFUSED %s %s.", who, name, o.Type), ev(o)))
		case o.Rcode != wire.NoError:
			add(FindingServFail.Finding(fmt.Sprintf("%s answered %s for %s %s.", who, o.Rcode, name, o.Type), ev(o)))
		}
	}
	if empty {
		var types []string
		for _, o := range v.outcomes {
			types = append(types, o.Type)
		}
		add(FindingNoData.Finding(fmt.Sprintf("%s: %s exists but has no %s record.", who, name, strings.Join(types, "/")),
			map[string]any{"server": v.server.Addr.String(), "name": name, "types": types}))
	}
}

// answerSummary is "A 10.0.0.1, AAAA 2001:db8::1 (TTL 300)", shortened.
func answerSummary(outs []Outcome) string {
	var parts []string
	var ttl uint32
	for _, o := range outs {
		d := o.Data()
		if len(d) == 0 {
			continue
		}
		if len(d) > 3 {
			d = append(d[:3:3], fmt.Sprintf("… %d in all", len(d)))
		}
		parts = append(parts, o.Type+" "+strings.Join(d, " "))
		for _, rr := range o.Answer {
			if rr.Type == o.Type {
				ttl = rr.TTL
			}
		}
	}
	if len(parts) == 0 {
		return "no records"
	}
	return fmt.Sprintf("%s (TTL %d)", strings.Join(parts, ", "), ttl)
}

func rrStrings(rrs []wire.RR) []string {
	var out []string
	for _, rr := range rrs {
		out = append(out, rr.Type+" "+rr.Data)
	}
	sort.Strings(out)
	return out
}
