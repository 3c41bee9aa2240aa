package hostcheck

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
	"github.com/shirou/gopsutil/v4/common"
)

// testProfile is the built-in profile with loopback-only NTP servers:
// tests never reach for the public servers the default names.
func testProfile(t testing.TB) *profile.Profile {
	t.Helper()
	p := profile.Default()
	p.Host.Clock.NTPServers = nil
	// A short CPU sample keeps the package's tests fast; the values test
	// checks the default of 1s itself.
	p.Host.CPU.Sample = profile.Duration(250 * time.Millisecond)
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
		if codes := s.Undeclared(res); len(codes) > 0 {
			t.Errorf("%s emitted %v, which its Spec's Findings do not declare", id, codes)
		}
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

// fakeRoot returns a context whose gopsutil (and our own) reads of key
// (HOST_PROC, HOST_RUN, ...) go to dir, the way gopsutil documents.
func fakeRoot(ctx context.Context, roots map[common.EnvKeyType]string) context.Context {
	m := common.EnvMap{}
	for k, v := range roots {
		m[k] = v
	}
	return context.WithValue(ctx, common.EnvKey, m)
}

// writeFiles creates files (relative path → content) below dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// finding returns the first finding of code, or nil.
func finding(res report.Result, code string) *report.Finding {
	for i := range res.Findings {
		if res.Findings[i].Code == code {
			return &res.Findings[i]
		}
	}
	return nil
}

func requireLinux(t testing.TB) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skipf("compares with Linux's own tools; this is %s", runtime.GOOS)
	}
}

// command runs a tool and returns its trimmed output, skipping when the
// tool is missing.
func command(t testing.TB, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed", name)
	}
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return strings.TrimSpace(string(out))
}
