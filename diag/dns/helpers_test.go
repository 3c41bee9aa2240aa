package dnscheck

import (
	"context"
	"net/netip"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// testProfile is a profile with the dns section's defaults, built directly
// so these tests do not depend on the other categories' sections.
func testProfile(names ...string) *profile.Profile {
	var entries []profile.DNSName
	for _, n := range names {
		entries = append(entries, profile.DNSName{Name: n})
	}
	return &profile.Profile{
		Name: "test", Timeout: profile.Duration(30 * time.Second), CheckTimeout: profile.Duration(10 * time.Second), Concurrency: 16,
		DNS: profile.DNS{
			Names: entries, Types: []string{"A", "AAAA"},
			QueryTimeout: profile.Duration(time.Second), Retries: 1,
			SlowThreshold: profile.Duration(500 * time.Millisecond), HijackDomain: "com",
		},
	}
}

// runPlanned plans specs in phase order like the runner and runs every
// check, returning results keyed "check target".
func runPlanned(t testing.TB, p *profile.Profile, facts *diag.Facts, targets *diag.Targets, specs ...diag.Spec) map[string]report.Result {
	t.Helper()
	if facts == nil {
		facts = diag.NewFacts()
	}
	if targets == nil {
		targets = &diag.Targets{}
	}
	env := &diag.Env{Facts: facts, Profile: p, Evidence: &diag.Evidence{}}
	out := map[string]report.Result{}
	var results []report.Result
	for _, phase := range []diag.Phase{diag.PhaseDiscover, diag.PhaseProbe, diag.PhaseFollowUp} {
		in := &diag.PlanInput{Profile: p, Targets: targets, Facts: facts, Results: results}
		type planned struct {
			s *diag.Spec
			c diag.Instance
		}
		var checks []planned
		for i := range specs {
			if s := &specs[i]; s.Phase == phase {
				for _, c := range s.Plan(in) {
					checks = append(checks, planned{s, c})
				}
			}
		}
		ch := make(chan report.Result, len(checks))
		for _, c := range checks {
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), p.CheckTimeout.D())
				defer cancel()
				r := c.c.Run(ctx, env)
				if codes := c.s.Undeclared(r); len(codes) > 0 {
					t.Errorf("%s emitted %v, which its Spec's Findings do not declare", c.s.ID, codes)
				}
				r.Check, r.Category, r.Target = c.s.ID, string(c.s.Category), c.c.Target
				ch <- r
			}()
		}
		for range checks {
			r := <-ch
			r.Normalize()
			out[r.Check+" "+r.Target] = r
			results = append(results, r)
		}
	}
	return out
}

func codes(r report.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	sort.Strings(out)
	return out
}

func serverFacts(servers ...netip.AddrPort) *diag.Facts {
	f := diag.NewFacts()
	diag.SetFact(f, diag.FactDNSServers, servers)
	return f
}

// dig asks dig the same question at the same server, for comparison.
func dig(t *testing.T, server netip.AddrPort, name, qtype string, extra ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("dig"); err != nil {
		t.Skip("dig not installed (bind9-dnsutils)")
	}
	args := append([]string{"-p", strconv.Itoa(int(server.Port())), "@" + server.Addr().String(), "+short", "+time=2", "+tries=1", name, qtype}, extra...)
	out, err := exec.Command("dig", args...).Output()
	if err != nil {
		t.Fatalf("dig %s: %v", strings.Join(args, " "), err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" && !strings.HasPrefix(l, ";") {
			lines = append(lines, l)
		}
	}
	sort.Strings(lines)
	return lines
}
