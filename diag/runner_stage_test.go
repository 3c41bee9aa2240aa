package diag

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/sockets"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// TestRunnerFollowUpOverlapsProbes: a follow-up starts as soon as the
// result it follows exists. The slow probe waits for the follow-up of the
// fast one; with a barrier between probes and follow-ups it would wait in
// vain until its deadline.
func TestRunnerFollowUpOverlapsProbes(t *testing.T) {
	traced := make(chan struct{})
	fast := single("fast-fail", PhaseProbe, func(ctx context.Context, env *Env) report.Result {
		return report.Result{Status: report.StatusFail, Summary: "no answer"}
	})
	slow := single("slow-probe", PhaseProbe, func(ctx context.Context, env *Env) report.Result {
		select {
		case <-traced:
			return report.Result{Summary: "saw the trace while still running"}
		case <-ctx.Done():
			return report.Result{Status: report.StatusFail, Summary: "the follow-up waited for me"}
		}
	})
	follow := Spec{ID: "trace-it", Category: CategoryNet, Phase: PhaseFollowUp, Finds: "test"}
	var plans int
	follow.Plan = func(in *PlanInput) []Instance {
		plans++
		var cs []Instance
		for _, r := range in.Results {
			if r.Check == "fast-fail" && r.Status == report.StatusFail {
				// Planned on every call: the runner must drop repeats.
				cs = append(cs, Instance{Target: "fast-fail", Run: func(ctx context.Context, env *Env) report.Result {
					close(traced)
					return report.Result{Summary: "traced"}
				}})
			}
		}
		return cs
	}
	out := (&Runner{Specs: []Spec{fast, slow, follow}, Profile: testProfile(3*time.Second, 10*time.Second)}).Run(context.Background())
	if got := findResult(t, out, "slow-probe"); got.Status != report.StatusOK {
		t.Errorf("slow-probe: %s %q", got.Status, got.Summary)
	}
	n := 0
	for _, r := range out.Results {
		if r.Check == "trace-it" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d trace-it results, want exactly 1 (planned %d times)", n, plans)
	}
	if last := out.Results[len(out.Results)-1]; last.Check != "trace-it" {
		t.Errorf("follow-ups come after the probes in the report; last is %s", last.Check)
	}
}

// TestRunnerNetworkPoolIsWide: network checks wait, they do not compute;
// with a CPU pool of 1, twenty of them still run at once.
func TestRunnerNetworkPoolIsWide(t *testing.T) {
	const n = 20
	var started sync.WaitGroup
	started.Add(n)
	allIn := make(chan struct{})
	go func() { started.Wait(); close(allIn) }()
	var specs []Spec
	for i := range n {
		s := single(fmt.Sprintf("probe%d", i), PhaseProbe, func(ctx context.Context, env *Env) report.Result {
			started.Done()
			select {
			case <-allIn:
				return report.Result{Summary: "all ran together"}
			case <-ctx.Done():
				return report.Result{Status: report.StatusFail, Summary: "the others never started"}
			}
		})
		s.Sockets = func(*profile.Profile) int { return 2 }
		specs = append(specs, s)
	}
	p := testProfile(3*time.Second, 10*time.Second)
	p.Concurrency = 1
	out := (&Runner{Specs: specs, Profile: p}).Run(context.Background())
	for _, r := range out.Results {
		if r.Status != report.StatusOK {
			t.Errorf("%s: %s %q", r.Check, r.Status, r.Summary)
		}
	}
}

// TestRunnerBudgetCutIsNoVerdict: a check the budget cut while it waited
// reports no network verdict; one that answered early under the same cut
// keeps its verdict; one that never got a slot says it was not run. The
// report counts every cut one.
func TestRunnerBudgetCutIsNoVerdict(t *testing.T) {
	filtered := single("waits", PhaseProbe, func(ctx context.Context, env *Env) report.Result {
		// As a probe does: stop waiting just before the deadline and
		// report silence.
		dl, _ := ctx.Deadline()
		time.Sleep(time.Until(dl) - 120*time.Millisecond)
		r := report.Result{}
		r.AddFinding(report.Finding{Code: "net.tcp-filtered", Status: report.StatusFail, Message: "did not answer within 4s"})
		r.SetDetail("address", "192.0.2.1:443")
		return r
	})
	refused := single("refused", PhaseProbe, func(ctx context.Context, env *Env) report.Result {
		r := report.Result{}
		r.AddFinding(report.Finding{Code: "net.tcp-refused", Status: report.StatusFail, Message: "refused"})
		return r
	})
	hog := single("hog", PhaseProbe, func(ctx context.Context, env *Env) report.Result {
		<-ctx.Done()
		return report.Result{Summary: "ok until the end"}
	})
	late := single("late", PhaseProbe, func(ctx context.Context, env *Env) report.Result { return report.Result{} })
	long := func(*profile.Profile) Duration { return Duration(5 * time.Second) }
	for _, s := range []*Spec{&filtered, &refused} {
		s.Timeout = long
		s.Sockets = func(*profile.Profile) int { return 1 }
	}
	p := testProfile(10*time.Second, 600*time.Millisecond)
	p.Concurrency = 1 // hog takes the CPU slot until the budget ends: late never starts
	out := (&Runner{Specs: []Spec{filtered, refused, hog, late}, Profile: p}).Run(context.Background())

	w := findResult(t, out, "waits")
	if w.Status != report.StatusError || !hasCode(w, report.CodeBudgetExhausted) || hasCode(w, "net.tcp-filtered") {
		t.Errorf("waits = %s %+v, want error with only %s", w.Status, w.Findings, report.CodeBudgetExhausted)
	} else if ev := w.Findings[0].Evidence; fmt.Sprint(ev["partial_codes"]) != "[net.tcp-filtered]" || ev["started"] != true {
		t.Errorf("waits: evidence %+v lacks what it saw", ev)
	}
	if w.Details["address"] != "192.0.2.1:443" {
		t.Errorf("waits: details %+v lost", w.Details)
	}
	if r := findResult(t, out, "refused"); r.Status != report.StatusFail || !hasCode(r, "net.tcp-refused") {
		t.Errorf("refused = %s %+v, want its early verdict kept", r.Status, r.Findings)
	}
	if l := findResult(t, out, "late"); !hasCode(l, report.CodeBudgetExhausted) || l.Findings[0].Evidence["started"] != false {
		t.Errorf("late = %+v, want not run (budget)", l)
	}
	rep := &report.Report{Results: out.Results}
	rep.Finish()
	if rep.BudgetCut != 2 {
		t.Errorf("BudgetCut = %d, want 2 (waits, late)", rep.BudgetCut)
	}
}

// TestRunnerNetworkPoolWithinSocketBudget: network checks are admitted by
// the sockets they hold; however many are planned, the sockets held at
// once never exceed the budget sized from RLIMIT_NOFILE.
func TestRunnerNetworkPoolWithinSocketBudget(t *testing.T) {
	const each = 16
	budget := sockets.Budget()
	n := 2*budget/each + 3
	var mu sync.Mutex
	held, peak := 0, 0
	var specs []Spec
	for i := range n {
		s := single(fmt.Sprintf("probe%d", i), PhaseProbe, func(ctx context.Context, env *Env) report.Result {
			mu.Lock()
			held += each
			peak = max(peak, held)
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
			mu.Lock()
			held -= each
			mu.Unlock()
			return report.Result{}
		})
		s.Sockets = func(*profile.Profile) int { return each }
		specs = append(specs, s)
	}
	out := (&Runner{Specs: specs, Profile: testProfile(5*time.Second, 20*time.Second)}).Run(context.Background())
	if len(out.Results) != n {
		t.Fatalf("%d results, want %d", len(out.Results), n)
	}
	if peak > budget || peak < each {
		t.Errorf("peak %d sockets held, budget %d", peak, budget)
	}
}
