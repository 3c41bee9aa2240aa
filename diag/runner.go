package diag

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// lateGrace is how long after a check's deadline the runner still accepts
// its own result: a check that notices ctx.Done and returns what it saw
// ("no answer before the deadline") is more useful than a bare timeout.
const lateGrace = 150 * time.Millisecond

// minCheckTime is the least budget worth starting a check with.
const minCheckTime = 50 * time.Millisecond

// Event tells a progress display what the runner is doing.
type Event struct {
	// Started is true when the check starts, false when it ended.
	Started bool
	Check   Check
	// Result is set when the check ended.
	Result *report.Result
	// Done and Total count checks planned so far.
	Done, Total int
}

// Runner runs checks phase by phase, concurrently within a phase.
type Runner struct {
	Specs   []Spec
	Profile *profile.Profile
	Targets *Targets
	Log     *slog.Logger
	// Only keeps results of these categories (all when empty). Discovery
	// checks of other categories still run, quietly, for their facts.
	Only []Category
	// Skip removes checks by ID entirely.
	Skip []string
	// Budget overrides the profile's timeout when non-zero.
	Budget time.Duration
	// Progress, when set, is called from the runner's goroutines, serially.
	Progress func(Event)
}

// Outcome is what a run produced.
type Outcome struct {
	Results     []report.Result
	Facts       *Facts
	Evidence    *Evidence
	Interrupted bool
	Started     time.Time
	Duration    time.Duration
}

// Run plans and runs every applicable check. It returns when all checks
// have ended or been abandoned at their deadlines, or promptly after ctx is
// cancelled (Ctrl-C) with what finished.
func (r *Runner) Run(ctx context.Context) *Outcome {
	out := &Outcome{Facts: NewFacts(), Evidence: &Evidence{}, Started: time.Now()}
	log := r.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	budget := r.Budget
	if budget <= 0 {
		budget = r.Profile.Timeout.D()
	}
	deadline := out.Started.Add(budget)
	targets := r.Targets
	if targets == nil {
		targets = &Targets{}
	}
	env := &Env{Log: log, Facts: out.Facts, Profile: r.Profile, Evidence: out.Evidence}
	p := &progress{fn: r.Progress}

	for _, phase := range []Phase{PhaseDiscover, PhaseProbe, PhaseFollowUp} {
		in := &PlanInput{Profile: r.Profile, Targets: targets, Facts: out.Facts, Results: slices.Clone(out.Results)}
		var jobs []job
		for i := range r.Specs {
			s := &r.Specs[i]
			if s.Phase != phase || slices.Contains(r.Skip, s.ID) || slices.Contains(r.Profile.Skip, s.ID) {
				continue
			}
			quiet := len(r.Only) > 0 && !slices.Contains(r.Only, s.Category)
			if quiet && phase != PhaseDiscover {
				continue
			}
			for _, c := range r.plan(s, in, log) {
				jobs = append(jobs, job{spec: s, check: c, quiet: quiet})
			}
		}
		p.add(len(jobs))
		results := r.runPhase(ctx, jobs, env, deadline, p)
		for i, res := range results {
			if res != nil && !jobs[i].quiet {
				out.Results = append(out.Results, *res)
			}
		}
		if ctx.Err() != nil {
			out.Interrupted = true
			break
		}
	}
	out.Duration = time.Since(out.Started)
	return out
}

type job struct {
	spec  *Spec
	check Check
	quiet bool
}

// plan calls a spec's Plan, turning a panic into an error result check.
func (r *Runner) plan(s *Spec, in *PlanInput, log *slog.Logger) (checks []Check) {
	defer func() {
		if v := recover(); v != nil {
			log.Error("plan panicked", "check", s.ID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			checks = []Check{New(s, "", func(context.Context, *Env) report.Result {
				res := report.Result{Summary: "The check could not be planned (a bug in l2diag)."}
				res.Error = fmt.Sprintf("plan panicked: %v", v)
				res.AddFinding(FindingPanic.Finding(res.Error, nil))
				return res
			})}
		}
	}()
	return s.Plan(in)
}

func (r *Runner) runPhase(ctx context.Context, jobs []job, env *Env, deadline time.Time, p *progress) []*report.Result {
	results := make([]*report.Result, len(jobs))
	sem := make(chan struct{}, r.Profile.Concurrency)
	var wg sync.WaitGroup
	for i, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			// Not started: left out, the run reports what finished.
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			p.start(j.check)
			res := r.runOne(ctx, j, env, deadline)
			results[i] = res
			p.end(j.check, res)
		}()
	}
	wg.Wait()
	return results
}

// runOne runs a single check under its deadline and fills in the
// runner-owned fields of its result.
func (r *Runner) runOne(parent context.Context, j job, env *Env, runDeadline time.Time) *report.Result {
	c := j.check
	timeout := r.Profile.CheckTimeout.D()
	if j.spec.Timeout != nil {
		if t := j.spec.Timeout(r.Profile).D(); t > 0 {
			timeout = t
		}
	}
	start := time.Now()
	dl := start.Add(timeout)
	budgetCut := false
	if runDeadline.Before(dl) {
		dl = runDeadline
		budgetCut = true
	}
	var res report.Result
	switch {
	case parent.Err() != nil:
		res = interrupted()
	case time.Until(dl) < minCheckTime:
		res = report.Result{Summary: "Not run: the run's time budget was used up."}
		res.AddFinding(FindingBudget.Finding(res.Summary, map[string]any{"budget": r.budget().String()}))
	default:
		if j.quiet {
			quiet := *env
			quiet.Quiet = true
			env = &quiet
		}
		res = r.execute(parent, c, env, dl, timeout, budgetCut)
	}
	res.Check, res.Category, res.Target = c.ID(), string(c.Category()), c.Target()
	res.DurationMS = time.Since(start).Milliseconds()
	res.Normalize()
	if res.Summary == "" {
		res.Summary = defaultSummary(res.Status)
	}
	return &res
}

func (r *Runner) budget() time.Duration {
	if r.Budget > 0 {
		return r.Budget
	}
	return r.Profile.Timeout.D()
}

func (r *Runner) execute(parent context.Context, c Check, env *Env, dl time.Time, timeout time.Duration, budgetCut bool) report.Result {
	ctx, cancel := context.WithDeadline(parent, dl)
	defer cancel()
	log := env.Log.With("check", c.ID(), "target", c.Target())
	cenv := *env
	cenv.Log = log
	// Each outcome records whether the run was already interrupted when
	// the check returned: a check that returned because of Ctrl-C did not
	// finish, one that returned before it did.
	type outcome struct {
		res         report.Result
		interrupted bool
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				stack := string(debug.Stack())
				log.Error("check panicked", "panic", fmt.Sprint(v), "stack", stack)
				res := report.Result{Summary: "The check crashed; its stack is in the bundle log."}
				res.Error = fmt.Sprintf("panic: %v", v)
				res.AddFinding(FindingPanic.Finding(res.Error, map[string]any{"panic": fmt.Sprint(v)}))
				done <- outcome{res: res}
			}
		}()
		res := c.Run(ctx, &cenv)
		done <- outcome{res: res, interrupted: parent.Err() != nil}
	}()
	// Once the deadline passed or the run was interrupted, give the check
	// lateGrace to hand back what it saw, then abandon it.
	var graceC <-chan time.Time
	ctxDone := ctx.Done()
	for {
		select {
		case o := <-done:
			if o.interrupted {
				log.Warn("check interrupted")
				return interrupted()
			}
			return o.res
		case <-ctxDone:
			ctxDone = nil
			grace := time.NewTimer(lateGrace)
			defer grace.Stop()
			graceC = grace.C
			continue
		case <-graceC:
		}
		break
	}
	if parent.Err() != nil {
		log.Warn("check interrupted")
		return interrupted()
	}
	log.Warn("check abandoned at its deadline", "timeout", timeout.String())
	limit := timeout
	why := "its deadline"
	if budgetCut {
		why = "the run's budget"
	}
	res := report.Result{Summary: fmt.Sprintf("The check did not finish before %s.", why)}
	res.Error = fmt.Sprintf("still running at %s (%s)", why, limit)
	res.AddFinding(FindingTimeout.Finding(res.Summary, map[string]any{"timeout": limit.String(), "cut_by_budget": budgetCut}))
	return res
}

func interrupted() report.Result {
	res := report.Result{Summary: "Interrupted before the check finished."}
	res.Error = "interrupted"
	res.AddFinding(FindingInterrupted.Finding(res.Summary, nil))
	return res
}

func defaultSummary(s report.Status) string {
	switch s {
	case report.StatusOK:
		return "No problem found."
	case report.StatusSkipped:
		return "Not applicable here."
	case report.StatusWarn:
		return "Works, with a warning."
	case report.StatusFail:
		return "A problem was found."
	default:
		return "The check could not run."
	}
}

// progress serialises Progress callbacks and keeps the counts.
type progress struct {
	mu          sync.Mutex
	fn          func(Event)
	done, total int
}

func (p *progress) add(n int) {
	p.mu.Lock()
	p.total += n
	p.mu.Unlock()
}

func (p *progress) start(c Check) {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fn(Event{Started: true, Check: c, Done: p.done, Total: p.total})
}

func (p *progress) end(c Check, res *report.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if p.fn != nil {
		p.fn(Event{Check: c, Result: res, Done: p.done, Total: p.total})
	}
}

// ErrDuplicateID is what ValidateSpecs panics with: two specs share an ID.
var ErrDuplicateID = errors.New("diag: duplicate check ID")

// ValidateSpecs panics on a programming error in the registry: a duplicate
// or non-kebab-case ID, a missing category or plan.
func ValidateSpecs(specs []Spec) {
	seen := map[string]bool{}
	for _, s := range specs {
		if !ValidID(s.ID) {
			panic(fmt.Sprintf("diag: check ID %q is not kebab-case", s.ID))
		}
		if seen[s.ID] {
			panic(fmt.Errorf("%w: %q", ErrDuplicateID, s.ID))
		}
		seen[s.ID] = true
		if _, err := ParseCategory(string(s.Category)); err != nil {
			panic(fmt.Sprintf("diag: check %q: %v", s.ID, err))
		}
		if s.Plan == nil || s.Finds == "" {
			panic(fmt.Sprintf("diag: check %q needs a Plan and a Finds line", s.ID))
		}
	}
}
