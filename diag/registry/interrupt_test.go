package registry

import (
	"bytes"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestCtrlCPrintsWhatFinished sends SIGINT to a run that waits on a
// blackholed port: it must stop promptly, exit 130, and still print the
// report of the checks that finished, marked interrupted.
func TestCtrlCPrintsWhatFinished(t *testing.T) {
	l := lab.New(t)
	client, far := l.Namespace("client"), l.Namespace("far")
	l.Link(client, "10.98.0.1/24", far, "10.98.0.2/24")
	far.Nft(`table inet lab {
		chain in {
			type filter hook input priority 0; tcp dport 443 drop
		}
	}`)
	bin := lab.Binary(t)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("ip", "netns", "exec", client.Name, bin, "run", "--output", "json", "--no-bundle",
		"--only", "net,perm", "--tcp", "10.98.0.2:443", "--timeout", "60s")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// ip netns exec execs l2diag in place, so the PID is l2diag's. Give the
	// quick checks time to finish; the dropped port holds the run open.
	time.Sleep(2 * time.Second)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("l2diag did not stop after SIGINT\nstderr:\n%s", stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit %d, want 130\nstderr:\n%s", code, stderr.String())
	}
	rep, err := report.Decode(stdout.Bytes())
	if err != nil {
		t.Fatalf("no report after Ctrl-C: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if !rep.Interrupted {
		t.Error("report not marked interrupted")
	}
	var finished, interrupted []string
	for _, r := range rep.Results {
		hit := false
		for _, f := range r.Findings {
			if f.Code == "check.interrupted" {
				hit = true
			}
		}
		if hit {
			interrupted = append(interrupted, r.Label())
		} else {
			finished = append(finished, r.Label())
		}
	}
	if len(finished) == 0 {
		t.Errorf("no finished check in the report: %+v", rep.Results)
	}
	if !strings.Contains(strings.Join(interrupted, " "), "net-tcp 10.98.0.2:443") {
		t.Errorf("the check waiting on the dropped port is not marked interrupted: finished %v, interrupted %v", finished, interrupted)
	}
}
