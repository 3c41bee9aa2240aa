package hostcheck

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// testProfile is the built-in profile with loopback-only NTP servers:
// tests never reach for the public servers the default names.
func testProfile(t testing.TB) *profile.Profile {
	t.Helper()
	p := profile.Default()
	p.Host.Clock.NTPServers = nil
	return p
}

// runCheck plans and runs one host check the way the runner does, with a
// deadline, and returns its result.
func runCheck(t testing.TB, ctx context.Context, id string, p *profile.Profile, timeout time.Duration) report.Result {
	t.Helper()
	for _, s := range Specs() {
		if s.ID != id {
			continue
		}
		checks := s.Plan(&diag.PlanInput{Profile: p, Targets: &diag.Targets{}, Facts: diag.NewFacts()})
		if len(checks) != 1 {
			t.Fatalf("%s planned %d checks, want 1", id, len(checks))
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		res := checks[0].Run(ctx, &diag.Env{Profile: p, Facts: diag.NewFacts(), Evidence: &diag.Evidence{}})
		res.Normalize()
		return res
	}
	t.Fatalf("no check %s", id)
	return report.Result{}
}

func dump(t testing.TB, res report.Result) string {
	t.Helper()
	b, _ := json.MarshalIndent(res, "", "  ")
	return string(b)
}

// findings returns the codes of res's findings.
func codes(res report.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Code)
	}
	return out
}
