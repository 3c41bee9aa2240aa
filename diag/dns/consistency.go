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

var consistencySpec = newSpec(diag.Spec{
	ID: "dns-consistency", Phase: diag.PhaseProbe,
	Finds: "for every name, whether all servers give the same answer (split-horizon DNS, a stale server), with which server says what",
}, func(sp *diag.Spec, in *diag.PlanInput) []diag.Check {
	s := setupFor(in)
	if len(s.servers) < 2 {
		return nil
	}
	var out []diag.Check
	for _, name := range s.names {
		ks := keys(s.servers, name, s.types)
		s.e.plan(ks...)
		out = append(out, diag.New(sp, name, func(ctx context.Context, env *diag.Env) report.Result {
			return judgeConsistency(name, groupByServer(s.servers, s.e.queryAll(ctx, ks)))
		}))
	}
	return out
})

// view is a server's answer to a name as one comparable string: the rcode
// and, per type, the sorted rdata. TTLs are left out: they count down.
func view(v serverView) (string, bool) {
	var parts []string
	for _, o := range v.outcomes {
		switch o.Rcode {
		case wire.NoError:
			d := o.Data()
			if len(d) == 0 {
				d = []string{"(none)"}
			}
			parts = append(parts, o.Type+" "+strings.Join(d, " "))
		case wire.NXDomain:
			// The same for every type: one NXDOMAIN says it.
			return wire.NXDomain, true
		default:
			// Failures and silence are dns-resolve's business, not a view.
			return "", false
		}
	}
	return strings.Join(parts, "; "), true
}

func judgeConsistency(name string, views []serverView) report.Result {
	var res report.Result
	says := map[string]string{}
	groups := map[string][]string{}
	for _, v := range views {
		s, ok := view(v)
		if !ok {
			continue
		}
		who := serverName(v.server.Addr)
		says[who] = s
		groups[s] = append(groups[s], who)
	}
	res.SetDetail("answers", says)
	res.SetMetric("servers_compared", float64(len(says)))
	res.SetMetric("distinct_answers", float64(len(groups)))
	if len(says) < 2 {
		return diag.Skipped(fmt.Sprintf("Fewer than two servers answered %s; nothing to compare.", name))
	}
	if len(groups) == 1 {
		res.Summary = fmt.Sprintf("All %d servers that answered agree.", len(says))
		return res
	}
	var desc []string
	for answer, who := range groups {
		sort.Strings(who)
		verb := "says"
		if len(who) > 1 {
			verb = "say"
		}
		desc = append(desc, fmt.Sprintf("%s %s %s", strings.Join(who, ", "), verb, answer))
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
	res.Summary = fmt.Sprintf("%d different answers from %d servers.", len(groups), len(says))
	return res
}

// onlyPublicAddresses reports whether every answer holds data and every
// address in them is a public one: the servers differ the way CDNs and
// load balancers make them differ. NXDOMAIN beside data, a missing record
// type, or a private address beside a public one (split-horizon DNS: the
// VPN's server and a public one) are real disagreements.
func onlyPublicAddresses(groups map[string][]string) bool {
	for answer := range groups {
		if answer == wire.NXDomain || strings.Contains(answer, "(none)") {
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
