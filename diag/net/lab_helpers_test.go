package netcheck_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// labProfile is the base of the lab tests' profiles: no public targets, so
// nothing tries to leave the lab.
const labProfile = `name: lab
net:
  tcp:
    targets: []
  http:
    connectivity: []
`

// writeProfile writes a profile readable by the unprivileged test user.
func writeProfile(t testing.TB, yaml string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "l2diag-net-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "profile.yaml")
	if err := os.WriteFile(f, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// runNet runs `l2diag run --only net` in ns (as user when not empty) and
// decodes the JSON report.
func runNet(t testing.TB, ns *lab.NS, user, profileYAML string, args ...string) *report.Report {
	t.Helper()
	full := append([]string{"run", "--only", "net", "-o", "json", "--profile", writeProfile(t, profileYAML)}, args...)
	var r lab.Result
	if user == "" {
		r = ns.L2diag(full...)
	} else {
		r = ns.L2diagAs(user, full...)
	}
	rep, err := report.Decode([]byte(r.Stdout))
	if err != nil {
		t.Fatalf("l2diag %s: exit %d, %v\nstdout:\n%s\nstderr:\n%s", strings.Join(full, " "), r.ExitCode, err, r.Stdout, r.Stderr)
	}
	return rep
}

// result returns the result of check against target, failing the test
// when there is none.
func result(t testing.TB, rep *report.Report, check, target string) report.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Check == check && r.Target == target {
			return r
		}
	}
	var have []string
	for _, r := range rep.Results {
		have = append(have, r.Check+" "+r.Target)
	}
	t.Fatalf("no %s result for %q; have: %s", check, target, strings.Join(have, "; "))
	return report.Result{}
}

func codes(r report.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	slices.Sort(out)
	return out
}

func hasCode(r report.Result, code string) bool { return slices.Contains(codes(r), code) }
