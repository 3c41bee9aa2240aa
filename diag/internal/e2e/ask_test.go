//go:build linux

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestAskPlain drives `l2diag ask --plain` the way a 1st-level agent
// answers it (one answer per line) in a namespace of its own with a
// "printer" on 127.0.0.1 that takes raw print jobs (9100) only, and
// checks the run it starts: the printer symptom's ports, and the answers
// recorded in the report and the bundle.
func TestAskPlain(t *testing.T) {
	l := lab.New(t)
	ns := l.Namespace("ask")
	lp := ns.Listen("tcp", "127.0.0.1:9100")
	defer lp.Close()
	bin := lab.Binary(t)
	dir := t.TempDir()
	answers := strings.Join([]string{
		"6",            // Printer does not print
		"127.0.0.1",    // which printer
		"since Monday", // since when
		"2",            // several users
		"1",            // wired
		"new toner",    // what changed
		"",             // no ticket
	}, "\n") + "\n"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", ns.Name, bin, "ask", "--plain", "-o", "json")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(answers)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 3) {
		t.Fatalf("ask: %v\nstderr:\n%s\nstdout:\n%s", err, errb.String(), out.String())
	}
	// The form's questions and the report share stdout: the report is the
	// JSON object at the end.
	text := out.String()
	i := strings.Index(text, "{\n")
	if i < 0 {
		t.Fatalf("no report in the output:\n%s", text)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(text[i:]), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, text[i:])
	}
	want := report.Intake{Symptom: "printer", Subject: "127.0.0.1", Since: "since Monday", Scope: "several-users", Connection: "wired", Changed: "new toner"}
	if rep.Intake == nil || *rep.Intake != want {
		t.Errorf("intake = %+v, want %+v", rep.Intake, want)
	}
	if rep.Profile != "printer" {
		t.Errorf("profile = %q, want the printer symptom's", rep.Profile)
	}
	got := map[string]report.Status{}
	for _, r := range rep.Results {
		if r.Check == "net-tcp" {
			got[r.Target] = r.Status
		}
	}
	if got["127.0.0.1:9100"] != report.StatusOK || got["127.0.0.1:631"] != report.StatusFail || len(got) != 3 {
		t.Errorf("print port results = %v, want 9100 ok, 631 and 515 refused", got)
	}
	bundles, _ := filepath.Glob(filepath.Join(dir, "l2diag-*.zip"))
	if len(bundles) != 1 {
		t.Fatalf("bundles = %v", bundles)
	}
	show := exec.Command(bin, "bundle", "show", bundles[0], "-o", "json")
	data, err := show.Output()
	if err != nil || !strings.Contains(string(data), `"changed": "new toner"`) {
		t.Errorf("the bundle's report lacks the intake: %v\n%.500s", err, data)
	}
}

// TestAskNeedsATerminal: without a terminal and without --plain, ask
// refuses with a usage error naming the alternatives.
func TestAskNeedsATerminal(t *testing.T) {
	lab.Require(t)
	bin := lab.Binary(t)
	cmd := exec.Command(bin, "ask")
	cmd.Stdin = strings.NewReader("")
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 64 || !strings.Contains(string(out), "--plain") || !strings.Contains(string(out), "--symptom") {
		t.Errorf("exit %d: %s", cmd.ProcessState.ExitCode(), out)
	}
}
