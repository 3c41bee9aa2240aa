package diag

import (
	"fmt"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// FindingSpec documents one finding code: what it means and the hint it
// gives. Every code a check can emit is listed in its Spec's Findings,
// from which its package's Findings function is derived; docs/findings.md
// lists each one (its tables are generated from these specs), and
// `l2diag explain CODE` prints it.
type FindingSpec struct {
	Code string
	// Status is the status the finding usually carries.
	Status  report.Status
	Meaning string
	Hint    string
	// Evidence declares the keys of the finding's evidence and what each
	// means. When a spec declares them, a finding with any other key
	// panics under test (Finding), and triage may read only declared keys
	// (its TestEvidenceReadsDeclared): a renamed key cannot pass silently.
	Evidence []EvidenceKey
}

// EvidenceKey is one declared evidence key of a finding.
type EvidenceKey struct {
	Name    string
	Meaning string
}

// Declares reports whether the spec declares the evidence key.
func (fs FindingSpec) Declares(key string) bool {
	for _, k := range fs.Evidence {
		if k.Name == key {
			return true
		}
	}
	return false
}

// Finding builds a finding of this code with a message and evidence; the
// hint is the spec's unless the caller sets a more specific one after.
func (fs FindingSpec) Finding(message string, evidence map[string]any) report.Finding {
	if evidence == nil {
		evidence = map[string]any{}
	}
	if len(fs.Evidence) > 0 && testing.Testing() {
		for k := range evidence {
			if !fs.Declares(k) {
				panic(fmt.Sprintf("diag: finding %s carries evidence key %q its FindingSpec does not declare", fs.Code, k))
			}
		}
	}
	// A message built around an error text that ends in a period (every
	// Windows error text does) would end in two.
	for strings.HasSuffix(message, "..") && !strings.HasSuffix(message, "...") {
		message = strings.TrimSuffix(message, ".")
	}
	return report.Finding{Code: fs.Code, Status: fs.Status, Message: message, Hint: fs.Hint, Evidence: evidence}
}

// The runner's own findings.
var (
	FindingTimeout = FindingSpec{
		Code: "check.timeout", Status: report.StatusError,
		Meaning: "The check was still running at its deadline and was abandoned.",
		Hint:    "Something it waited on does not answer; look at the check's target, or raise check_timeout/--timeout if the network is just slow.",
	}
	FindingPanic = FindingSpec{
		Code: "check.panic", Status: report.StatusError,
		Meaning: "The check crashed (a bug in l2diag); its stack is in the bundle's l2diag.log.",
		Hint:    "Report it to the l2diag maintainers with the bundle; the other checks are unaffected.",
	}
	FindingInterrupted = FindingSpec{
		Code: "check.interrupted", Status: report.StatusError,
		Meaning: "The run was interrupted (Ctrl-C) while this check was running.",
		Hint:    "Run l2diag again and let it finish to get this check's verdict.",
	}
	FindingBudget = FindingSpec{
		Code: report.CodeBudgetExhausted, Status: report.StatusError,
		Meaning: "The run's time budget (--timeout) ran out before this check could start, or while it still waited for an answer: it has no verdict, whatever it saw so far (kept in the evidence as partial_summary).",
		Hint:    "Raise --timeout, or narrow the run with --only/--skip; the report's summary line says how many checks the budget cut.",
	}
)

// FindingsOf lists the codes the specs declare, in spec order, then the
// shared ones (codes several checks of a category emit), each code once:
// a category's Findings, derived rather than kept by hand.
func FindingsOf(specs []Spec, shared ...FindingSpec) []FindingSpec {
	var out []FindingSpec
	seen := map[string]bool{}
	add := func(fs []FindingSpec) {
		for _, f := range fs {
			if !seen[f.Code] {
				seen[f.Code] = true
				out = append(out, f)
			}
		}
	}
	for _, s := range specs {
		add(s.Findings)
	}
	add(shared)
	return out
}

// RunnerFindings lists the runner's own codes.
func RunnerFindings() []FindingSpec {
	return []FindingSpec{FindingTimeout, FindingPanic, FindingInterrupted, FindingBudget}
}

// ErrText is err's text for use inside a sentence: Windows' error texts
// end with a period ("Connection refused."), which a message that adds its
// own would double.
func ErrText(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimRight(strings.TrimSpace(err.Error()), ".")
}
