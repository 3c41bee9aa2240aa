package hostcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// A bad host threshold stops the CLI with exit 64 naming file, line and key.
func TestCLIBadHostThresholdExit64(t *testing.T) {
	bin := lab.Binary(t)
	tests := []struct {
		name, yaml, want string
	}{
		{"percent above 100", "name: x\nhost:\n  disks:\n    used_warn: 120%\n", "p.yaml:4: host.disks.used_warn"},
		{"size of the wrong unit", "name: x\nhost:\n  disks:\n    min_free: 10%\n", "p.yaml:4: host.disks.min_free"},
		{"negative duration", "name: x\nhost:\n  clock:\n    offset_warn: -1s\n", "p.yaml:4: host.clock.offset_warn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "p.yaml")
			if err := os.WriteFile(f, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "run", "--no-bundle", "--only", "host", "--profile", f).CombinedOutput()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 64 {
				t.Fatalf("exit = %v, want 64\n%s", err, out)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("output %q does not name %q", out, tt.want)
			}
		})
	}
}

// The default profile in a namespace with no route out: the clock check
// says honestly that no NTP server is reachable, and no host check hits
// the runner's timeout.
func TestDefaultProfileOfflineInNamespace(t *testing.T) {
	lab.Require(t)
	l := lab.New(t)
	ns := l.Namespace("h")
	r := ns.L2diag("run", "--no-bundle", "--only", "host", "-o", "json")
	rep, err := report.Decode([]byte(r.Stdout))
	if err != nil {
		t.Fatalf("exit %d, not a report: %v\nstderr: %s", r.ExitCode, err, r.Stderr)
	}
	seen := 0
	for _, res := range rep.Results {
		if res.Category != "host" {
			continue
		}
		seen++
		for _, f := range res.Findings {
			if f.Code == "check.timeout" || f.Code == "host.os-query-stalled" {
				t.Errorf("%s: %s: %s", res.Check, f.Code, f.Message)
			}
		}
		if res.Check == IDClock {
			found := false
			for _, f := range res.Findings {
				found = found || f.Code == "host.ntp-unreachable"
			}
			// Without a reachable NTP server the check warns, unless the
			// OS says it keeps time itself (then it is no fault).
			if osSynced, _ := res.Details["os_synchronized"].(bool); osSynced {
				found = true
			}
			if !found || !strings.HasPrefix(res.Summary, "No NTP server reachable") {
				t.Errorf("clock: %s %q %v, want host.ntp-unreachable", res.Status, res.Summary, res.Findings)
			}
		}
	}
	if seen != len(Specs()) {
		t.Errorf("%d host results, want %d", seen, len(Specs()))
	}
}
