// Package netcheck holds the network checks (category `net`).
package netcheck

import "github.com/l2diag/l2diag/diag"

// Specs lists the network checks, in the order reports show them.
func Specs() []diag.Spec {
	return nil
}

// Findings lists every finding code the network checks emit.
func Findings() []diag.FindingSpec {
	return nil
}
