package triage

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/registry"
	"github.com/l2diag/l2diag/report"
)

// spec returns the registered finding spec of code, failing the test when
// no check emits it any more: a renamed code breaks the tests instead of
// passing silently. Codes of a category not yet written are skipped.
func spec(t *testing.T, code string) diag.FindingSpec {
	t.Helper()
	for _, f := range registry.Findings() {
		if f.Code == code {
			return f
		}
	}
	if !categoryHasFindings(code) {
		t.Skipf("%s: its category registers no findings yet", code)
	}
	t.Fatalf("finding code %s is not registered by any check (renamed?)", code)
	return diag.FindingSpec{}
}

func categoryHasFindings(code string) bool {
	area, _, _ := strings.Cut(code, ".")
	for _, f := range registry.Findings() {
		if strings.HasPrefix(f.Code, area+".") {
			return true
		}
	}
	return false
}

// res is a synthetic result under construction.
type res struct{ r report.Result }

// result starts a result of check against target; the category comes from
// the check ID's prefix ("net-ping" → net).
func result(check, target string) *res {
	cat, _, _ := strings.Cut(check, "-")
	return &res{r: report.Result{Check: check, Category: cat, Target: target, Status: report.StatusOK, Findings: []report.Finding{}, Metrics: map[string]float64{}}}
}

// with adds a finding of a registered code, with evidence key/value pairs.
func (b *res) with(t *testing.T, code string, kv ...any) *res {
	t.Helper()
	ev := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		ev[kv[i].(string)] = kv[i+1]
	}
	fs := spec(t, code)
	b.r.AddFinding(fs.Finding(fs.Meaning, ev))
	return b
}

// warned downgrades the last finding and the result to a warning, as a
// check does for a failure that another source makes up for.
func (b *res) warned() *res {
	b.r.Findings[len(b.r.Findings)-1].Status = report.StatusWarn
	b.r.Status = report.StatusWarn
	return b
}

func (b *res) metric(name string, v float64) *res { b.r.SetMetric(name, v); return b }

func (b *res) roles(rs ...string) *res { b.r.SetDetail("roles", rs); return b }

// pingOK is a ping that answered.
func pingOK(target string, roles ...string) *res {
	b := result("net-ping", target).metric("sent", 3).metric("received", 3).metric("loss_pct", 0)
	if len(roles) > 0 {
		b.roles(roles...)
	}
	return b
}

func results(bs ...*res) []report.Result {
	out := make([]report.Result, 0, len(bs))
	for _, b := range bs {
		out = append(out, b.r)
	}
	return out
}

// codes returns the conclusion codes, in order.
func codes(cs []report.Conclusion) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Code)
	}
	return out
}
