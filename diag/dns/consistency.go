package dnscheck

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/report"
)

var consistencySpec = diag.Spec{
	ID: "dns-consistency", Category: diag.CategoryDNS, Phase: diag.PhaseProbe,
	Finds:    "for every name, whether all servers give the same answer (split-horizon DNS, a stale server), with which server says what",
	Sockets:  engineSockets,
	Findings: []diag.FindingSpec{FindingServersDisagree, FindingAnswersVary},
	Plan:     planConsistency,
}

func planConsistency(in *diag.PlanInput) []diag.Instance {
	s := setupFor(in)
	if len(s.servers) < 2 {
		return nil
	}
	var out []diag.Instance
	for _, name := range s.names {
		ks := keys(s.servers, name, s.types)
		s.e.plan(ks...)
		out = append(out, diag.Instance{Target: name, Run: func(ctx context.Context, env *diag.Env) report.Result {
			return judgeConsistency(name, groupByServer(s.servers, s.e.queryAll(ctx, ks)))
		}})
	}
	return out
}

// typeView is a server's answer for one record type as a comparable
// string: the sorted rdata, "(none)" for an empty answer, or NXDOMAIN.
// TTLs are left out: they count down. ok is false when the server failed
// that type (SERVFAIL, REFUSED, silence): that is dns-resolve's business,
// and it must not hide what the server says for the other types.
func typeView(o Outcome) (string, bool) {
	switch o.Rcode {
	case wire.NoError:
		d := o.Data()
		if len(d) == 0 {
			return "(none)", true
		}
		return strings.Join(d, " "), true
	case wire.NXDomain:
		return wire.NXDomain, true
	}
	return "", false
}

// view is a server's whole answer to a name, for the evidence: per type
// its data (or that it failed), or one NXDOMAIN when every type says so.
func view(v serverView) string {
	var parts []string
	nx := len(v.outcomes) > 0
	for _, o := range v.outcomes {
		tv, ok := typeView(o)
		if !ok {
			what := o.Rcode
			if what == "" {
				what = "no answer"
			}
			tv = "failed (" + what + ")"
		}
		nx = nx && tv == wire.NXDomain
		parts = append(parts, o.Type+" "+tv)
	}
	if nx {
		return wire.NXDomain
	}
	return strings.Join(parts, "; ")
}

// judgeConsistency compares the servers per record type: a server that
// fails AAAA but answers A is still compared on A.
func judgeConsistency(name string, views []serverView) report.Result {
	var res report.Result
	says := map[string]string{}
	var types []string
	byType := map[string]map[string][]string{} // type → answer → servers
	for _, v := range views {
		who := serverName(v.server.Addr)
		compared := false
		for _, o := range v.outcomes {
			tv, ok := typeView(o)
			if !ok {
				continue
			}
			if byType[o.Type] == nil {
				byType[o.Type] = map[string][]string{}
				types = append(types, o.Type)
			}
			byType[o.Type][tv] = append(byType[o.Type][tv], who)
			compared = true
		}
		if compared {
			says[who] = view(v)
		}
	}
	res.SetDetail("answers", says)
	res.SetMetric("servers_compared", float64(len(says)))
	var desc []string
	groups := map[string][]string{} // the answers of the types that differ
	distinct, comparable := 1, false
	for _, t := range types {
		g := byType[t]
		n := 0
		for _, who := range g {
			n += len(who)
		}
		if n < 2 {
			continue
		}
		comparable = true
		if len(g) == 1 {
			continue
		}
		distinct = max(distinct, len(g))
		for answer, who := range g {
			sort.Strings(who)
			verb := "says"
			if len(who) > 1 {
				verb = "say"
			}
			desc = append(desc, fmt.Sprintf("%s %s %s %s", strings.Join(who, ", "), verb, t, answer))
			groups[t+" "+answer] = who
		}
	}
	res.SetMetric("distinct_answers", float64(distinct))
	if !comparable {
		return diag.Skipped(fmt.Sprintf("Fewer than two servers answered %s for any record type; nothing to compare.", name))
	}
	if len(desc) == 0 {
		res.Summary = fmt.Sprintf("All %d servers that answered agree.", len(says))
		return res
	}
	sort.Strings(desc)
	ev := map[string]any{"name": name, "answers": says}
	if onlyPublicAddresses(groups) {
		res.AddFinding(FindingAnswersVary.Finding(
			fmt.Sprintf("The servers give %s different public addresses (%s), as CDNs and load balancers do.", name, strings.Join(desc, "; ")), ev))
		res.Summary = fmt.Sprintf("%d servers give different public addresses: normal for a CDN or load balancer.", len(says))
		return res
	}
	res.AddFinding(FindingServersDisagree.Finding(
		fmt.Sprintf("The servers disagree about %s: %s.", name, strings.Join(desc, "; ")), ev))
	res.Summary = fmt.Sprintf("%d different answers from %d servers.", distinct, len(says))
	return res
}

// onlyPublicAddresses reports whether every answer holds data and every
// address in them is a public one: the servers differ the way CDNs and
// load balancers make them differ. NXDOMAIN beside data, a missing record
// type, or a private address beside a public one (split-horizon DNS: the
// VPN's server and a public one) are real disagreements.
func onlyPublicAddresses(groups map[string][]string) bool {
	for answer := range groups {
		if strings.HasSuffix(answer, wire.NXDomain) || strings.Contains(answer, "(none)") {
			return false
		}
		seen := false
		for _, tok := range strings.Fields(answer) {
			a, err := netip.ParseAddr(strings.TrimSuffix(tok, ";"))
			if err != nil {
				continue
			}
			seen = true
			if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || !a.IsGlobalUnicast() {
				return false
			}
		}
		if !seen {
			return false
		}
	}
	return true
}
