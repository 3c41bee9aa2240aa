// Package diag defines what a check is and runs checks concurrently within a
// budget. The checks themselves live in diag/net, diag/dns, diag/host,
// diag/perm and diag/org; diag/registry lists them all in one place.
package diag

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// Category groups checks by the layer they look at.
type Category string

// The categories, in the order reports show them.
const (
	CategoryNet  Category = "net"
	CategoryDNS  Category = "dns"
	CategoryHost Category = "host"
	CategoryPerm Category = "perm"
	CategoryOrg  Category = "org"
)

// Categories lists every category in report order.
var Categories = []Category{CategoryNet, CategoryDNS, CategoryHost, CategoryPerm, CategoryOrg}

// ParseCategory accepts a category name.
func ParseCategory(s string) (Category, error) {
	for _, c := range Categories {
		if string(c) == s {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown category %q (use one of net, dns, host, perm, org)", s)
}

// Phase orders checks that depend on what earlier ones found. Discovery is
// a barrier: probes start when every discovery check has ended. Follow-ups
// are not: they are planned again each time a result arrives and start as
// soon as the result they follow exists, while other probes still run.
type Phase int

const (
	// PhaseDiscover checks find facts others use (DNS servers, gateways).
	PhaseDiscover Phase = iota
	// PhaseProbe is where most checks run.
	PhaseProbe
	// PhaseFollowUp checks look at earlier results (trace a failed target).
	// Their Plan is called once after discovery and again after each
	// probe's result, with the results so far; it must plan from what it
	// sees (a check is planned once per target, repeats are dropped) and
	// never from what is missing yet.
	PhaseFollowUp
)

// Instance is one planned run of a check: its target (empty for a check
// without one) and the function that runs it. Run never prints; it returns
// a result whose Status and findings say what it saw. The runner fills in
// the check ID and category from the Spec that planned the instance, and
// the target and duration, as tailscale's doctor does for a CheckFunc.
type Instance struct {
	Target string
	Run    RunFunc
}

// Env is what a running check may use besides its context.
type Env struct {
	Log      *slog.Logger
	Facts    *Facts
	Profile  *profile.Profile
	Evidence *Evidence
	// Quiet is set when the check runs only so that later checks can read
	// its facts (its category was left out with --only): it must not
	// reach out over the network, only read local state.
	Quiet bool
}

// Spec describes one kind of check. Plan expands it into the instances to
// run (one per target, or one without a target: Once), given the profile,
// the ad-hoc targets, the facts discovered so far and earlier phases'
// results. A Plan that returns nothing means "not applicable here".
type Spec struct {
	ID       string
	Category Category
	Phase    Phase
	// Finds is one line for `l2diag checks`: what this check finds.
	Finds string
	// Timeout, when set, is this check's deadline; otherwise the profile's
	// check_timeout applies. The run's remaining budget always caps it.
	Timeout func(p *profile.Profile) Duration
	// Sockets, when set, marks a network check: it waits on the network
	// rather than computing, so it runs in the wide network pool instead of
	// the profile's concurrency. It returns how many sockets one such check
	// holds at most (0: none of its own, it waits on a shared engine); the
	// runner admits network checks within the file-descriptor budget.
	Sockets func(p *profile.Profile) int
	// Findings are every code this check emits, besides the runner's.
	// Declaring them here registers them: the category's Findings is
	// derived from its specs (FindingsOf), and under test the runner
	// panics on a result with a code its spec does not declare.
	Findings []FindingSpec
	Plan     func(in *PlanInput) []Instance
}

// Undeclared returns the codes of res's findings that neither the spec
// nor the runner declares: registration is derived from the specs, so such
// a code would escape docs/findings.md, `l2diag explain` and triage's
// coverage tests. A spec that declares no findings is not checked.
func (s *Spec) Undeclared(res report.Result) []string {
	if len(s.Findings) == 0 {
		return nil
	}
	var out []string
	for _, f := range res.Findings {
		known := func(fs FindingSpec) bool { return fs.Code == f.Code }
		if !slices.ContainsFunc(s.Findings, known) && !slices.ContainsFunc(RunnerFindings(), known) {
			out = append(out, f.Code)
		}
	}
	return out
}

// Duration is an alias so Spec.Timeout reads naturally.
type Duration = profile.Duration

// PlanInput is what a Spec's Plan sees.
type PlanInput struct {
	Profile *profile.Profile
	Targets *Targets
	Facts   *Facts
	// Results holds the results of earlier phases (for a follow-up: those
	// that have ended so far). Read only.
	Results []report.Result
}

// RunFunc is the body of a check.
type RunFunc func(ctx context.Context, env *Env) report.Result

// Once plans a check that runs once, without a target.
func Once(run RunFunc) func(*PlanInput) []Instance {
	return func(*PlanInput) []Instance { return []Instance{{Run: run}} }
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// ValidID reports whether id is kebab-case, as check IDs must be.
func ValidID(id string) bool { return idPattern.MatchString(id) }

// Skipped returns a result saying the check does not apply here, and why.
func Skipped(reason string) report.Result {
	return report.Result{Status: report.StatusSkipped, Summary: reason}
}

// Errored returns a result saying the check could not run, and why.
func Errored(err error) report.Result {
	return report.Result{Status: report.StatusError, Summary: "The check could not run.", Error: err.Error()}
}
