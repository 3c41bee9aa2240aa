package diag

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/sockets"
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
	// ID, Category and Target name the check.
	ID       string
	Category Category
	Target   string
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
	s := &scheduler{r: r, ctx: ctx, env: env, deadline: deadline, log: log,
		p: &progress{fn: r.Progress}, cpu: make(chan struct{}, r.Profile.Concurrency), net: make(chan struct{}, NetConcurrency)}
	lim := sockets.Current()
	log.Debug("network pool", "sockets", lim.Budget, "nofile_soft", lim.Soft, "nofile_hard", lim.Hard, "fds_in_use", lim.InUse, "raise_error", lim.RaiseError)

	// Discovery is a barrier: probes plan from the facts it found.
	in := &PlanInput{Profile: r.Profile, Targets: targets, Facts: out.Facts}
	out.Results = append(out.Results, s.run(s.planPhase(PhaseDiscover, in), false)...)
	if ctx.Err() == nil {
		// Probes and follow-ups are one stage: a follow-up starts as soon
		// as the result it follows exists, not after the slowest probe.
		in = &PlanInput{Profile: r.Profile, Targets: targets, Facts: out.Facts, Results: slices.Clone(out.Results)}
		probes := s.planPhase(PhaseProbe, in)
		s.follow = s.followSpecs()
		s.known = slices.Clone(out.Results)
		out.Results = append(out.Results, s.run(probes, true)...)
	}
	if ctx.Err() != nil {
		out.Interrupted = true
	}
	out.Duration = time.Since(out.Started)
	return out
}

// NetConcurrency is how many network checks may run at once, besides the
// sockets they hold (see diag/internal/sockets): they wait on the network,
// not the CPU, so the profile's concurrency does not bound them.
const NetConcurrency = 512

type job struct {
	spec  *Spec
	inst  Instance
	quiet bool
	// order sorts the stage's results: jobs planned up front keep their
	// plan order, follow-ups come after them in spec order, then in the
	// order their triggers ended.
	order [3]int
}

// label fills in the runner-owned fields that name the check: the
// spec's ID and category and the instance's target.
func (j job) label(res *report.Result) {
	res.Check, res.Category, res.Target = j.spec.ID, string(j.spec.Category), j.inst.Target
}

// declared panics under test (and in the lab's strict build) when a
// check's result carries a finding code that neither its spec nor the
// runner declares (Spec.Undeclared).
func (j job) declared(res *report.Result) {
	if !testing.Testing() && !strictFindings {
		return
	}
	if codes := j.spec.Undeclared(*res); len(codes) > 0 {
		panic(fmt.Sprintf("diag: check %s emitted finding %s, which its Spec's Findings do not declare", j.spec.ID, strings.Join(codes, ", ")))
	}
}

// scheduler runs one run's jobs: CPU-bound checks in the profile's pool,
// network checks (Spec.Sockets set) in a wide pool bounded by the
// file-descriptor limit, follow-ups planned as results arrive.
type scheduler struct {
	r        *Runner
	ctx      context.Context
	env      *Env
	deadline time.Time
	log      *slog.Logger
	p        *progress
	cpu, net chan struct{}
	// cpuLane and netLane close when the last job queued in that pool got
	// its slot (or gave up): admission keeps the plan's order.
	cpuLane, netLane chan struct{}

	// follow are the follow-up specs, planned again after each result;
	// known is what they see (earlier results, in the order they ended);
	// planned dedups their checks.
	follow  []*Spec
	known   []report.Result
	planned map[string]bool
}

func (s *scheduler) selected(sp *Spec) bool {
	return !slices.Contains(s.r.Skip, sp.ID) && !slices.Contains(s.r.Profile.Skip, sp.ID)
}

func (s *scheduler) quiet(sp *Spec) bool {
	return len(s.r.Only) > 0 && !slices.Contains(s.r.Only, sp.Category)
}

func (s *scheduler) planPhase(phase Phase, in *PlanInput) []job {
	var jobs []job
	for i := range s.r.Specs {
		sp := &s.r.Specs[i]
		if sp.Phase != phase || !s.selected(sp) {
			continue
		}
		quiet := s.quiet(sp)
		if quiet && phase != PhaseDiscover {
			continue
		}
		for _, c := range s.r.plan(sp, in, s.log) {
			jobs = append(jobs, job{spec: sp, inst: c, quiet: quiet, order: [3]int{0, len(jobs), 0}})
		}
	}
	return jobs
}

func (s *scheduler) followSpecs() []*Spec {
	var out []*Spec
	for i := range s.r.Specs {
		sp := &s.r.Specs[i]
		if sp.Phase == PhaseFollowUp && s.selected(sp) && !s.quiet(sp) {
			out = append(out, sp)
		}
	}
	return out
}

// planFollowUps plans the follow-ups the results known so far call for
// and that are not planned yet. trigger numbers the result that arrived.
func (s *scheduler) planFollowUps(trigger int) []job {
	if len(s.follow) == 0 {
		return nil
	}
	if s.planned == nil {
		s.planned = map[string]bool{}
	}
	// Plans run here, one after another; known is only appended to
	// between calls, so a capped view is enough.
	in := &PlanInput{Profile: s.r.Profile, Targets: s.r.Targets, Facts: s.env.Facts, Results: s.known[:len(s.known):len(s.known)]}
	if in.Targets == nil {
		in.Targets = &Targets{}
	}
	var jobs []job
	for i, sp := range s.follow {
		for n, c := range s.r.plan(sp, in, s.log) {
			key := sp.ID + "\x00" + c.Target
			if s.planned[key] {
				continue
			}
			s.planned[key] = true
			jobs = append(jobs, job{spec: sp, inst: c, order: [3]int{1 + i, trigger, n}})
		}
	}
	return jobs
}

type done struct {
	job job
	res *report.Result
}

// run runs jobs (and, when followUps, the follow-ups their results call
// for) and returns the results of those not quiet, in order.
func (s *scheduler) run(jobs []job, followUps bool) []report.Result {
	ch := make(chan done)
	running := 0
	start := func(js []job) {
		s.p.add(len(js))
		for _, j := range js {
			running++
			// Jobs get their pool's slots in the order they were planned:
			// each waits until the one before it in its lane got in.
			lane := &s.cpuLane
			if j.spec.Sockets != nil {
				lane = &s.netLane
			}
			prev, mine := *lane, make(chan struct{})
			*lane = mine
			go func() { ch <- done{job: j, res: s.runJob(j, prev, mine)} }()
		}
	}
	var finished []done
	if followUps {
		start(s.planFollowUps(0))
	}
	start(jobs)
	for running > 0 {
		d := <-ch
		running--
		finished = append(finished, d)
		if followUps && d.res != nil && !d.job.quiet && d.job.spec.Phase != PhaseFollowUp {
			s.known = append(s.known, *d.res)
			start(s.planFollowUps(len(s.known)))
		}
	}
	slices.SortFunc(finished, func(a, b done) int {
		for i := range a.job.order {
			if c := a.job.order[i] - b.job.order[i]; c != 0 {
				return c
			}
		}
		return 0
	})
	var out []report.Result
	for _, d := range finished {
		if d.res != nil && !d.job.quiet {
			out = append(out, *d.res)
		}
	}
	return out
}

// runJob waits for a slot in the job's pool, then runs it. A job whose
// slot comes too late for the budget is reported as not run; one whose
// run was interrupted before it started is left out (nil).
func (s *scheduler) runJob(j job, prev <-chan struct{}, admitted chan<- struct{}) *report.Result {
	// Waiting ends where starting is no longer worth it.
	wctx, cancel := context.WithDeadline(s.ctx, s.deadline.Add(-minCheckTime))
	defer cancel()
	if prev != nil {
		<-prev // closes once its job got a slot or gave up, which wctx bounds
	}
	release, err := s.acquire(wctx, j)
	close(admitted)
	if err != nil {
		if s.ctx.Err() != nil {
			return nil
		}
		res := s.r.notRun(j)
		s.p.start(j)
		s.p.end(j, res)
		return res
	}
	defer release()
	s.p.start(j)
	res := s.r.runOne(s.ctx, j, s.env, s.deadline)
	s.p.end(j, res)
	return res
}

// acquire takes the job's slot: the CPU pool, or for a network check a
// network slot and the sockets it holds at most.
func (s *scheduler) acquire(ctx context.Context, j job) (func(), error) {
	if j.spec.Sockets == nil {
		select {
		case s.cpu <- struct{}{}:
			return func() { <-s.cpu }, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	select {
	case s.net <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	want := j.spec.Sockets(s.r.Profile)
	if want <= 0 {
		return func() { <-s.net }, nil
	}
	n, err := sockets.Acquire(ctx, want)
	if err != nil {
		<-s.net
		return nil, err
	}
	return func() { sockets.Release(n); <-s.net }, nil
}

// plan calls a spec's Plan, turning a panic into an instance that reports
// it.
func (r *Runner) plan(s *Spec, in *PlanInput, log *slog.Logger) (planned []Instance) {
	defer func() {
		if v := recover(); v != nil {
			log.Error("plan panicked", "check", s.ID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			planned = []Instance{{Run: func(context.Context, *Env) report.Result {
				res := report.Result{Summary: "The check could not be planned (a bug in l2diag)."}
				res.Error = fmt.Sprintf("plan panicked: %v", v)
				res.AddFinding(FindingPanic.Finding(res.Error, nil))
				return res
			}}}
		}
	}()
	return s.Plan(in)
}

// notRun is the result of a check the budget left no time for.
func (r *Runner) notRun(j job) *report.Result {
	res := report.Result{Summary: "Not run: the run's time budget was used up before it could start."}
	res.AddFinding(FindingBudget.Finding(res.Summary, map[string]any{"budget": r.budget().String(), "started": false}))
	j.label(&res)
	res.Normalize()
	return &res
}

// runOne runs a single check under its deadline and fills in the
// runner-owned fields of its result.
func (r *Runner) runOne(parent context.Context, j job, env *Env, runDeadline time.Time) *report.Result {
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
		return r.notRun(j)
	default:
		if j.quiet {
			quiet := *env
			quiet.Quiet = true
			env = &quiet
		}
		res = r.execute(parent, j, env, dl, timeout, budgetCut)
		if budgetCut && res.Status.Problem() && time.Until(dl) < budgetSlack {
			res = r.cutShort(res, timeout, time.Since(start))
		}
	}
	j.label(&res)
	j.declared(&res)
	res.DurationMS = time.Since(start).Milliseconds()
	res.Normalize()
	if res.Summary == "" {
		res.Summary = defaultSummary(res.Status)
	}
	return &res
}

// budgetSlack: a check the budget cut that reports a problem this close to
// its cut deadline was still waiting when the budget ended. Probes stop
// waiting 120 ms before their deadline (diag/net's deadlineMargin) to hand
// back what they saw; the rest is scheduling.
const budgetSlack = 250 * time.Millisecond

// cutShort replaces the verdict of a check the budget cut while it waited:
// "no answer within 4s" after 1.9 s would be a lie about the network. What
// it saw stays as evidence.
func (r *Runner) cutShort(seen report.Result, timeout, got time.Duration) report.Result {
	res := report.Result{
		Summary: fmt.Sprintf("Cut short by the run's time budget after %s of its %s: no verdict.", got.Round(time.Millisecond), timeout),
		Details: seen.Details,
	}
	var codes []string
	for _, f := range seen.Findings {
		codes = append(codes, f.Code)
	}
	res.AddFinding(FindingBudget.Finding(res.Summary, map[string]any{
		"budget": r.budget().String(), "started": true, "ran": got.Round(time.Millisecond).String(),
		"timeout": timeout.String(), "partial_summary": seen.Summary, "partial_codes": codes,
	}))
	return res
}

func (r *Runner) budget() time.Duration {
	if r.Budget > 0 {
		return r.Budget
	}
	return r.Profile.Timeout.D()
}

func (r *Runner) execute(parent context.Context, j job, env *Env, dl time.Time, timeout time.Duration, budgetCut bool) report.Result {
	ctx, cancel := context.WithDeadline(parent, dl)
	defer cancel()
	log := env.Log.With("check", j.spec.ID, "target", j.inst.Target)
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
		res := j.inst.Run(ctx, &cenv)
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
	log.Warn("check abandoned at its deadline", "timeout", timeout.String(), "cut_by_budget", budgetCut)
	if budgetCut {
		res := report.Result{Summary: "Cut short by the run's time budget: no verdict."}
		res.Error = fmt.Sprintf("still running when the run's budget (%s) ended", r.budget())
		res.AddFinding(FindingBudget.Finding(res.Summary, map[string]any{"budget": r.budget().String(), "started": true, "timeout": timeout.String()}))
		return res
	}
	res := report.Result{Summary: "The check did not finish before its deadline."}
	res.Error = fmt.Sprintf("still running at its deadline (%s)", timeout)
	res.AddFinding(FindingTimeout.Finding(res.Summary, map[string]any{"timeout": timeout.String(), "cut_by_budget": false}))
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

func (p *progress) start(j job) {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fn(Event{Started: true, ID: j.spec.ID, Category: j.spec.Category, Target: j.inst.Target, Done: p.done, Total: p.total})
}

func (p *progress) end(j job, res *report.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if p.fn != nil {
		p.fn(Event{ID: j.spec.ID, Category: j.spec.Category, Target: j.inst.Target, Result: res, Done: p.done, Total: p.total})
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
