// Package registry lists every check l2diag has, in one place. Adding a
// check means adding it to its category's Specs; nothing registers itself.
package registry

import (
	"github.com/l2diag/l2diag/diag"
	dnscheck "github.com/l2diag/l2diag/diag/dns"
	hostcheck "github.com/l2diag/l2diag/diag/host"
	netcheck "github.com/l2diag/l2diag/diag/net"
	orgcheck "github.com/l2diag/l2diag/diag/org"
	permcheck "github.com/l2diag/l2diag/diag/perm"
	"github.com/l2diag/l2diag/diag/watch"
)

// Specs returns every check spec, validated: a duplicate or malformed ID
// panics, because it is a programming error.
func Specs() []diag.Spec {
	var all []diag.Spec
	all = append(all, netcheck.Specs()...)
	all = append(all, dnscheck.Specs()...)
	all = append(all, hostcheck.Specs()...)
	all = append(all, permcheck.Specs()...)
	all = append(all, orgcheck.Specs()...)
	diag.ValidateSpecs(all)
	return all
}

// Findings returns every finding code any part of l2diag emits: the
// runner's own, those the checks' specs declare (in check order), and
// l2diag watch's. Nothing is listed twice by hand.
func Findings() []diag.FindingSpec {
	all := diag.RunnerFindings()
	all = append(all, diag.FindingsOf(Specs())...)
	return append(all, watch.Findings()...)
}
