// Package permcheck holds the permission checks (category `perm`): who
// l2diag runs as, whether that user may read, write or execute given paths
// and why not, sudo without a password, private key and credential file
// modes, and the temp directory.
package permcheck

import "github.com/l2diag/l2diag/diag"

// Specs lists the permission checks, in the order reports show them.
func Specs() []diag.Spec {
	return []diag.Spec{
		identitySpec,
		pathSpec,
		sudoSpec,
		keysSpec,
		tempSpec,
	}
}

// Findings lists every finding code the permission checks emit, as their
// specs declare them.
func Findings() []diag.FindingSpec {
	return diag.FindingsOf(Specs())
}
