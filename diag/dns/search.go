package dnscheck

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

var searchSpec = diag.Spec{
	ID: "dns-search", Category: diag.CategoryDNS, Phase: diag.PhaseProbe,
	Finds:    "for short names (one label), which search-domain expansion answers; none, or only a later domain than the first",
	Sockets:  engineSockets,
	Findings: []diag.FindingSpec{FindingSearchUnresolved, FindingSearchUnexpected, FindingSearchShadowed},
	Plan:     planSearch,
}

func planSearch(in *diag.PlanInput) []diag.Instance {
	s := setupFor(in)
	servers := s.systemServers()
	if len(servers) == 0 {
		return nil
	}
	var out []diag.Instance
	for _, short := range s.short {
		var ks []qkey
		for _, d := range s.search {
			ks = append(ks, keys(servers, short+"."+d, s.types)...)
		}
		s.e.plan(ks...)
		search := s.search
		out = append(out, diag.Instance{Target: short, Run: func(ctx context.Context, env *diag.Env) report.Result {
			return judgeSearch(short, search, s.e.queryAll(ctx, ks))
		}})
	}
	return out
}

// expansion is what the servers said about one search-list expansion.
type expansion struct {
	Name     string   `json:"name"`
	Answered bool     `json:"answered"`
	Addrs    []string `json:"addrs,omitempty"`
	Rcodes   []string `json:"rcodes"`
}

func judgeSearch(short string, search []string, outs []Outcome) report.Result {
	var res report.Result
	var exps []expansion
	first := -1
	for i, d := range search {
		full := short + "." + d + "."
		e := expansion{Name: strings.TrimSuffix(full, ".")}
		for _, o := range outs {
			if !strings.EqualFold(o.Name, full) {
				continue
			}
			rc := o.Rcode
			if rc == "" {
				rc = o.ErrKind
			}
			e.Rcodes = append(e.Rcodes, serverName(o.Server)+" "+o.Type+" "+rc)
			if o.HasData() {
				e.Answered = true
				for _, a := range o.Data() {
					if !slices.Contains(e.Addrs, a) { // every server gives it
						e.Addrs = append(e.Addrs, a)
					}
				}
			}
		}
		if e.Answered && first < 0 {
			first = i
		}
		exps = append(exps, e)
	}
	res.SetDetail("search", search)
	res.SetDetail("expansions", exps)
	ev := map[string]any{"name": short, "search": search}
	switch {
	case len(search) == 0:
		res.AddFinding(FindingSearchUnresolved.Finding(
			fmt.Sprintf("%s is a short name, but no search domain is configured, so it cannot resolve through DNS.", short), ev))
	case first < 0:
		res.AddFinding(FindingSearchUnresolved.Finding(
			fmt.Sprintf("%s resolves through none of the search domains (%s).", short, strings.Join(search, ", ")), ev))
	case first > 0:
		ev["answered_by"] = exps[first].Name
		res.AddFinding(FindingSearchUnexpected.Finding(
			fmt.Sprintf("%s resolves only as %s, not in the first search domain %s.", short, exps[first].Name, search[0]), ev))
	default:
		res.Summary = fmt.Sprintf("%s resolves as %s (%s).", short, exps[0].Name, strings.Join(exps[0].Addrs, ", "))
	}
	if first >= 0 {
		res.SetDetail("answered_by", exps[first].Name)
		shadowed(&res, short, search, exps, first)
	}
	return res
}

// shadowed notes the first later expansion that exists at other
// addresses than the one the short name resolves as: when that host
// fails, the user most likely meant the later one.
func shadowed(res *report.Result, short string, search []string, exps []expansion, first int) {
	used := exps[first]
	for _, e := range exps[first+1:] {
		if !e.Answered || slices.ContainsFunc(e.Addrs, func(a string) bool { return slices.Contains(used.Addrs, a) }) {
			continue
		}
		res.AddFinding(FindingSearchShadowed.Finding(
			fmt.Sprintf("%s resolves as %s (%s); %s exists too, at %s: users typing %s get the first.",
				short, used.Name, strings.Join(used.Addrs, ", "), e.Name, strings.Join(e.Addrs, ", "), short),
			map[string]any{"name": short, "search": search, "answered_by": used.Name, "addrs": used.Addrs, "also": e.Name, "also_addrs": e.Addrs}))
		return
	}
}
