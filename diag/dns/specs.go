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
	return []diag.Spec{
		configSpec,
		serverSpec,
		resolveSpec,
		systemSpec,
		consistencySpec,
		hijackSpec,
		searchSpec,
		reverseSpec,
	}
}

// engineSockets is the Sockets of the probes that wait on the run's query
// engine: they hold none of their own, the engine takes its sockets from
// the same budget query by query.
func engineSockets(*profile.Profile) int { return 0 }
