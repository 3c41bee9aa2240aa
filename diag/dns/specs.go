// Package dnscheck holds the DNS checks (category `dns`).
package dnscheck

import "github.com/l2diag/l2diag/diag"

// Specs lists the DNS checks, in the order reports show them.
func Specs() []diag.Spec {
	return nil
}

// Findings lists every finding code the DNS checks emit.
func Findings() []diag.FindingSpec {
	return nil
}
