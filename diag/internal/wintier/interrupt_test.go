//go:build linux

package wintier

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// slowProfile holds a run open on the dropped address for 20 s (a TCP
// connect's own timeout), far longer than Ctrl-C may take.
var slowProfile = strings.Replace(labProfile, "tcp: {targets: []}", "tcp: {targets: [], timeout: 20s}", 1) + "check_timeout: 30s\n"

// Ctrl-C under wine: wine turns SIGINT to a console process into
// CTRL_C_EVENT (its SIGINT handler starts a thread that runs the process's
// console control handlers), which Go's runtime delivers as os.Interrupt,
// as Windows does for Ctrl-C in a console.
const (
	// ctrlCStop bounds how long the exe may take to end after Ctrl-C: the
	// bundle is written and wine has to tear the process down.
	ctrlCStop = 20 * time.Second
	// ctrlCStart bounds wine's start of the exe (about 2 s idle).
	ctrlCStart = 60 * time.Second
)

// startUnderWine starts exe with args and waits until its stderr shows
// want on stdout or stderr (the exe has installed its handlers).
func startUnderWine(t *testing.T, tr *tier, want string, args ...string) *lab.Proc {
	t.Helper()
	p := tr.wine.Start(args...)
	end := time.Now().Add(ctrlCStart)
	for {
		res, done := p.Wait(200 * time.Millisecond)
		if done {
			t.Fatalf("l2diag.exe %s ended before Ctrl-C: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args[1:], " "), res.ExitCode, res.Stdout, res.Stderr)
		}
		if strings.Contains(res.Stdout, want) || strings.Contains(res.Stderr, want) {
			return p
		}
		if time.Now().After(end) {
			t.Fatalf("l2diag.exe did not get going within %s\nstderr:\n%s", ctrlCStart, res.Stderr)
		}
	}
}

// ctrlC sends SIGINT and waits for the exe to end. It skips the test
// naming wine's gap when the exe never sees the interrupt.
func ctrlC(t *testing.T, p *lab.Proc) lab.Result {
	t.Helper()
	if err := p.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	res, ok := p.Wait(ctrlCStop)
	if !ok {
		p.Stop()
		t.Skipf("wine did not deliver SIGINT as CTRL_C_EVENT within %s (wine gap; docs/windows.md)\nstderr:\n%s", ctrlCStop, res.Stderr)
	}
	return res
}

// TestCtrlC: Ctrl-C stops a run that waits on a dropped port at once; the
// exe prints what finished, writes its bundle and exits 130. A watch ends
// normally on Ctrl-C: its bundle is written and its exit code is the
// watch's verdict, not 130 (docs/watch.md).
func TestCtrlC(t *testing.T) {
	tr := newTier(t)
	exe := lab.WineExe(t, true)
	prof := tr.profile(t, "slow.yaml", slowProfile)

	t.Run("run", func(t *testing.T) {
		bundle := filepath.Join(tr.dir, "interrupted.zip")
		p := startUnderWine(t, tr, "run starting", exe, "-v", "run", "--profile", prof, "-o", "json",
			"--only", "net", "--skip", "net-ping,net-proxy", "--tcp", dropped+":80", "--bundle", bundle)
		// The quick checks finish; the dropped port holds the run open.
		time.Sleep(2 * time.Second)
		sent := time.Now()
		res := ctrlC(t, p)
		took := time.Since(sent)
		if res.ExitCode != 130 {
			t.Errorf("exit %d after Ctrl-C, want 130\nstderr:\n%s", res.ExitCode, res.Stderr)
		}
		// The TCP check alone would have waited its 20 s.
		if took > 15*time.Second {
			t.Errorf("the run took %s to stop after Ctrl-C", took.Round(time.Millisecond))
		}
		var rep report.Report
		if err := json.Unmarshal([]byte(res.Stdout), &rep); err != nil {
			t.Fatalf("no report after Ctrl-C: %v\nstdout:\n%s\nstderr:\n%s", err, res.Stdout, res.Stderr)
		}
		if !rep.Interrupted {
			t.Error("report not marked interrupted")
		}
		if r := one(t, &rep, "net-tcp", dropped+":80"); !hasCode(r, "check.interrupted") {
			t.Errorf("the check waiting on the dropped port: codes %v, want check.interrupted", codes(r))
		}
		files := zipFiles(t, bundle)
		if _, ok := files["report.json"]; !ok {
			t.Errorf("the interrupted run's bundle has no report.json")
		}
	})

	t.Run("watch", func(t *testing.T) {
		watchCtrlC(t, tr, exe)
	})
}
