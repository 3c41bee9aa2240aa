// Package permcheck holds the permission checks (category `perm`).
package permcheck

import "github.com/l2diag/l2diag/diag"

// Specs lists the permission checks, in the order reports show them.
func Specs() []diag.Spec {
	return nil
}

// Findings lists every finding code the permission checks emit.
func Findings() []diag.FindingSpec {
	return nil
}
