//go:build l2diag_strict

package diag

// strictFindings makes the runner check every result's codes against its
// spec outside tests too. The lab builds its l2diag binary with
// -tags l2diag_strict, so each lab test of a real fault also proves that
// the codes the checks emitted are registered.
const strictFindings = true
