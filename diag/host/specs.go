// Package hostcheck holds the host checks (category `host`).
package hostcheck

import "github.com/l2diag/l2diag/diag"

// Specs lists the host checks, in the order reports show them.
func Specs() []diag.Spec {
	return nil
}

// Findings lists every finding code the host checks emit.
func Findings() []diag.FindingSpec {
	return nil
}
