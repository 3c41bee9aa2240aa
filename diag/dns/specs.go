// Package dnscheck holds the DNS checks (category `dns`): which resolvers
// the machine uses, whether each answers, what each answers for the names
// that matter, where they disagree, and whether a failure is the server,
// the network, DNSSEC or a local override. Only internal/wire speaks the
// DNS wire format.
package dnscheck

import (
	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
)

// Specs lists the DNS checks, in the order reports show them.
func Specs() []diag.Spec {
	var out []diag.Spec
	for _, s := range []*diag.Spec{configSpec, serverSpec, resolveSpec, systemSpec, consistencySpec, hijackSpec, searchSpec, reverseSpec} {
		out = append(out, *s)
	}
	return out
}

// newSpec completes a dns spec: the category, and a Plan that gets the
// spec itself to hand to diag.New (a spec literal cannot refer to itself).
func newSpec(s diag.Spec, plan func(*diag.Spec, *diag.PlanInput) []diag.Check) *diag.Spec {
	sp := &s
	sp.Category = diag.CategoryDNS
	if sp.Phase != diag.PhaseDiscover && sp.Sockets == nil {
		// The probes wait on the run's query engine, which takes its
		// sockets from the same budget query by query.
		sp.Sockets = func(*profile.Profile) int { return 0 }
	}
	sp.Plan = func(in *diag.PlanInput) []diag.Check { return plan(sp, in) }
	return sp
}
