package diag

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

func testProfile(checkTimeout, budget time.Duration) *profile.Profile {
	p := profile.Default()
	p.CheckTimeout = profile.Duration(checkTimeout)
	p.Timeout = profile.Duration(budget)
	return p
}

// single returns a spec that plans one check running fn.
func single(id string, phase Phase, fn RunFunc) Spec {
	return Spec{ID: id, Category: CategoryHost, Phase: phase, Finds: "test", Plan: Once(fn)}
}

func findResult(t *testing.T, out *Outcome, id string) report.Result {
	t.Helper()
	for _, r := range out.Results {
		if r.Check == id {
			return r
		}
	}
	t.Fatalf("no result for %s in %+v", id, out.Results)
	return report.Result{}
}

func hasCode(r report.Result, code string) bool {
	for _, f := range r.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

func TestRunnerOutcomes(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	tests := []struct {
		name       string
		fn         RunFunc
		wantStatus report.Status
		wantCode   string
	}{
		{
			name:       "ok",
			fn:         func(ctx context.Context, env *Env) report.Result { return report.Result{Summary: "fine"} },
			wantStatus: report.StatusOK,
		},
		{
			name: "blocks forever ignoring its context",
			fn: func(ctx context.Context, env *Env) report.Result {
				<-block
				return report.Result{}
			},
			wantStatus: report.StatusError,
			wantCode:   "check.timeout",
		},
		{
			name: "returns its own result at the deadline",
			fn: func(ctx context.Context, env *Env) report.Result {
				<-ctx.Done()
				r := report.Result{Summary: "no answer"}
				r.AddFinding(report.Finding{Code: "net.port-filtered", Status: report.StatusFail, Message: "no answer"})
				return r
			},
			wantStatus: report.StatusFail,
			wantCode:   "net.port-filtered",
		},
		{
			name:       "panics",
			fn:         func(ctx context.Context, env *Env) report.Result { panic("boom") },
			wantStatus: report.StatusError,
			wantCode:   "check.panic",
		},
		{
			name: "skipped",
			fn: func(ctx context.Context, env *Env) report.Result {
				return Skipped("not on this OS")
			},
			wantStatus: report.StatusSkipped,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Runner{
				Specs:   []Spec{single("under-test", PhaseProbe, tt.fn)},
				Profile: testProfile(200*time.Millisecond, 5*time.Second),
			}
			out := r.Run(context.Background())
			got := findResult(t, out, "under-test")
			if got.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s (result %+v)", got.Status, tt.wantStatus, got)
			}
			if tt.wantCode != "" && !hasCode(got, tt.wantCode) {
				t.Errorf("findings %+v lack %s", got.Findings, tt.wantCode)
			}
			if got.Category != "host" || got.Check != "under-test" {
				t.Errorf("runner did not fill check/category: %+v", got)
			}
			if got.Summary == "" {
				t.Errorf("empty summary")
			}
		})
	}
}

func TestRunnerPanicStackInLog(t *testing.T) {
	var logBuf strings.Builder
	var mu sync.Mutex
	r := &Runner{
		Specs:   []Spec{single("crashy", PhaseProbe, func(ctx context.Context, env *Env) report.Result { panic("kaboom") })},
		Profile: testProfile(time.Second, 5*time.Second),
		Log:     newTestLogger(&logBuf, &mu),
	}
	r.Run(context.Background())
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logBuf.String(), "kaboom") || !strings.Contains(logBuf.String(), "runner_test.go") {
		t.Errorf("log lacks the panic and its stack:\n%s", logBuf.String())
	}
}

// TestRunnerConcurrent proves checks run at once: each of ten checks waits
// until all ten have started. Run one after another, the first would wait
// for the others in vain and hit its deadline.
func TestRunnerConcurrent(t *testing.T) {
	const n = 10
	var started sync.WaitGroup
	started.Add(n)
	allIn := make(chan struct{})
	go func() { started.Wait(); close(allIn) }()
	var specs []Spec
	for i := range n {
		specs = append(specs, single(fmt.Sprintf("c%d", i), PhaseProbe, func(ctx context.Context, env *Env) report.Result {
			started.Done()
			select {
			case <-allIn:
				return report.Result{Summary: "all ten ran together"}
			case <-ctx.Done():
				return report.Result{Status: report.StatusFail, Summary: "the others never started"}
			}
		}))
	}
	p := testProfile(5*time.Second, 10*time.Second)
	out := (&Runner{Specs: specs, Profile: p}).Run(context.Background())
	if len(out.Results) != n {
		t.Fatalf("got %d results, want %d", len(out.Results), n)
	}
	for _, r := range out.Results {
		if r.Status != report.StatusOK {
			t.Errorf("%s: %s %q", r.Check, r.Status, r.Summary)
		}
	}
}

// TestRunnerBoundedPool proves the pool bound holds: never more checks at
// once than the profile's concurrency.
func TestRunnerBoundedPool(t *testing.T) {
	var cur, peak atomic.Int32
	var specs []Spec
	for i := range 12 {
		specs = append(specs, single(fmt.Sprintf("c%d", i), PhaseProbe, func(ctx context.Context, env *Env) report.Result {
			v := cur.Add(1)
			for {
				old := peak.Load()
				if v <= old || peak.CompareAndSwap(old, v) {
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
			cur.Add(-1)
			return report.Result{}
		}))
	}
	p := testProfile(5*time.Second, 10*time.Second)
	p.Concurrency = 3
	(&Runner{Specs: specs, Profile: p}).Run(context.Background())
	if got := peak.Load(); got > 3 || got < 1 {
		t.Errorf("peak concurrency %d, want 1..3", got)
	}
}

func TestRunnerPhasesShareFacts(t *testing.T) {
	server := netip.MustParseAddrPort("192.0.2.53:53")
	discover := single("find-dns", PhaseDiscover, func(ctx context.Context, env *Env) report.Result {
		SetFact(env.Facts, FactDNSServers, []netip.AddrPort{server})
		return report.Result{}
	})
	probe := Spec{ID: "ping-dns", Category: CategoryNet, Phase: PhaseProbe, Finds: "test"}
	probe.Plan = func(in *PlanInput) []Instance {
		servers, ok := GetFact(in.Facts, FactDNSServers)
		if !ok {
			return nil
		}
		var cs []Instance
		for _, s := range servers {
			cs = append(cs, Instance{Target: s.Addr().String(), Run: func(ctx context.Context, env *Env) report.Result { return report.Result{} }})
		}
		return cs
	}
	followUp := Spec{ID: "after", Category: CategoryNet, Phase: PhaseFollowUp, Finds: "test"}
	var seen int
	followUp.Plan = func(in *PlanInput) []Instance { seen = len(in.Results); return nil }
	out := (&Runner{Specs: []Spec{followUp, probe, discover}, Profile: testProfile(time.Second, 5*time.Second)}).Run(context.Background())
	got := findResult(t, out, "ping-dns")
	if got.Target != "192.0.2.53" {
		t.Errorf("probe target = %q, want the discovered server", got.Target)
	}
	if seen != 2 {
		t.Errorf("follow-up saw %d earlier results, want 2", seen)
	}
}

func TestRunnerOnlyKeepsDiscoveryQuiet(t *testing.T) {
	var discoverQuiet, probeQuiet bool
	discover := single("find-dns", PhaseDiscover, func(ctx context.Context, env *Env) report.Result {
		discoverQuiet = env.Quiet
		SetFact(env.Facts, FactSearchDomains, []string{"corp.example"})
		return report.Result{}
	})
	discover.Category = CategoryDNS
	var sawFact bool
	probe := Spec{ID: "uses-fact", Category: CategoryNet, Phase: PhaseProbe, Finds: "test"}
	probe.Plan = func(in *PlanInput) []Instance {
		_, sawFact = GetFact(in.Facts, FactSearchDomains)
		return []Instance{{Run: func(ctx context.Context, env *Env) report.Result {
			probeQuiet = env.Quiet
			return report.Result{}
		}}}
	}
	other := single("host-thing", PhaseProbe, func(ctx context.Context, env *Env) report.Result { return report.Result{} })
	out := (&Runner{Specs: []Spec{discover, probe, other}, Profile: testProfile(time.Second, 5*time.Second), Only: []Category{CategoryNet}}).Run(context.Background())
	if !sawFact {
		t.Error("discovery of another category did not run for its facts")
	}
	if !discoverQuiet || probeQuiet {
		t.Errorf("Quiet: discovery of a left-out category %v (want true), selected probe %v (want false)", discoverQuiet, probeQuiet)
	}
	if len(out.Results) != 1 || out.Results[0].Check != "uses-fact" {
		t.Errorf("results = %+v, want only uses-fact", out.Results)
	}
}

func TestRunnerSkip(t *testing.T) {
	specs := []Spec{
		single("keep", PhaseProbe, func(ctx context.Context, env *Env) report.Result { return report.Result{} }),
		single("drop", PhaseProbe, func(ctx context.Context, env *Env) report.Result { panic("must not run") }),
	}
	out := (&Runner{Specs: specs, Profile: testProfile(time.Second, 5*time.Second), Skip: []string{"drop"}}).Run(context.Background())
	if len(out.Results) != 1 || out.Results[0].Check != "keep" {
		t.Errorf("results = %+v", out.Results)
	}
}

func TestRunnerBudget(t *testing.T) {
	// One slot, a check that takes the whole budget: the second cannot run.
	specs := []Spec{
		single("hog", PhaseProbe, func(ctx context.Context, env *Env) report.Result {
			<-ctx.Done()
			return report.Result{Summary: "hogged"}
		}),
		single("late", PhaseProbe, func(ctx context.Context, env *Env) report.Result { return report.Result{} }),
	}
	p := testProfile(10*time.Second, 300*time.Millisecond)
	p.Concurrency = 1
	out := (&Runner{Specs: specs, Profile: p}).Run(context.Background())
	if got := findResult(t, out, "late"); !hasCode(got, "check.budget-exhausted") {
		t.Errorf("late = %+v, want check.budget-exhausted", got)
	}
}

func TestRunnerInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	finished := make(chan struct{})
	specs := []Spec{
		single("finished", PhaseProbe, func(ctx context.Context, env *Env) report.Result {
			defer close(finished)
			return report.Result{Summary: "done"}
		}),
		single("running", PhaseProbe, func(ctx context.Context, env *Env) report.Result {
			<-finished
			time.Sleep(10 * time.Millisecond) // let the runner collect it
			close(started)
			<-ctx.Done()
			return report.Result{Summary: "saw cancel"}
		}),
	}
	go func() { <-started; cancel() }()
	out := (&Runner{Specs: specs, Profile: testProfile(time.Minute, time.Minute)}).Run(ctx)
	if !out.Interrupted {
		t.Error("Interrupted = false")
	}
	if got := findResult(t, out, "finished"); got.Status != report.StatusOK {
		t.Errorf("finished = %+v", got)
	}
	if got := findResult(t, out, "running"); !hasCode(got, "check.interrupted") {
		t.Errorf("running = %+v, want check.interrupted", got)
	}
}

func TestValidateSpecs(t *testing.T) {
	ok := func(in *PlanInput) []Instance { return nil }
	tests := []struct {
		name  string
		specs []Spec
		want  string
	}{
		{"duplicate", []Spec{{ID: "a", Category: CategoryNet, Finds: "x", Plan: ok}, {ID: "a", Category: CategoryDNS, Finds: "x", Plan: ok}}, "duplicate"},
		{"not kebab", []Spec{{ID: "Bad_ID", Category: CategoryNet, Finds: "x", Plan: ok}}, "kebab"},
		{"no category", []Spec{{ID: "a", Finds: "x", Plan: ok}}, "category"},
		{"no plan", []Spec{{ID: "a", Category: CategoryNet, Finds: "x"}}, "Plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				v := recover()
				if v == nil {
					t.Fatal("no panic")
				}
				msg := fmt.Sprint(v)
				if err, isErr := v.(error); isErr {
					msg = err.Error()
					if tt.want == "duplicate" && !errors.Is(err, ErrDuplicateID) {
						t.Errorf("panic %v is not ErrDuplicateID", err)
					}
				}
				if !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q lacks %q", msg, tt.want)
				}
			}()
			ValidateSpecs(tt.specs)
		})
	}
}
