package ticketclient

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func queueOne(t *testing.T, ob *Outbox, key string) *Entry {
	t.Helper()
	p := filepath.Join(filepath.Dir(ob.Dir), "l2diag-"+key+".zip")
	if err := os.WriteFile(p, []byte("PK bundle "+key), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	e, err := ob.Add(&Delivery{System: "jira", Key: key, Files: []*File{f}}, errors.New("503"))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// tempOutbox is an outbox in a temporary folder removed best-effort: the
// Windows build of this test also runs under wine (diag/internal/wintier),
// whose RemoveAll refuses empty folders that testing's TempDir would then
// report as a failure.
func tempOutbox(t *testing.T) *Outbox {
	t.Helper()
	dir, err := os.MkdirTemp("", "l2diag-outbox-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return &Outbox{Dir: filepath.Join(dir, "outbox")}
}

// TestClaimIsExclusive: while one claim is held no second one is given
// (two opens in one process conflict like two processes), progress saved
// under a claim is what the next holder reads, and a removed entry is
// gone for a process that listed it before, its lock file with it.
func TestClaimIsExclusive(t *testing.T) {
	ob := tempOutbox(t)
	e := queueOne(t, ob, "SUP-1")
	c, err := ob.Claim(e)
	if err != nil {
		t.Fatalf("first claim: %v", err)
	}
	var busy *ClaimedError
	if _, err := ob.Claim(e); !errors.As(err, &busy) || busy.PID != os.Getpid() {
		t.Fatalf("second claim while held: %v, want a ClaimedError naming pid %d", err, os.Getpid())
	}
	c.Entry.Attempts = 7
	if err := ob.Save(c.Entry); err != nil {
		t.Fatal(err)
	}
	c.Release()
	c2, err := ob.Claim(e) // e is the stale listing: attempts 1
	if err != nil {
		t.Fatalf("claim after release: %v", err)
	}
	if c2.Entry.Attempts != 7 {
		t.Errorf("claimed entry has attempts %d, want the saved 7", c2.Entry.Attempts)
	}
	if err := ob.Remove(c2.Entry); err != nil {
		c2.Release()
		t.Fatal(err)
	}
	c2.Release()
	if _, err := ob.Claim(e); !errors.Is(err, ErrGone) {
		t.Errorf("claim of a removed entry: %v, want ErrGone", err)
	}
	locks, _ := os.ReadDir(filepath.Join(ob.Dir, lockDir))
	if len(locks) != 0 {
		t.Errorf("lock files left after the entry was removed: %v", locks)
	}
}

// TestClaimOfKilledProcessIsRecovered: a process that took a claim and
// was killed (SIGKILL: no cleanup at all) leaves its lock file behind; the
// next claim gets the entry anyway.
func TestClaimOfKilledProcessIsRecovered(t *testing.T) {
	if dir := os.Getenv("L2DIAG_CLAIM_HOLDER"); dir != "" {
		ob := &Outbox{Dir: dir}
		list, err := ob.List()
		if err != nil || len(list) != 1 {
			os.Exit(3)
		}
		if _, err := ob.Claim(list[0]); err != nil {
			os.Exit(4)
		}
		os.Stdout.WriteString("claimed\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	if runtime.GOOS == "windows" {
		t.Skip("re-executes the test binary and kills it with SIGKILL")
	}
	ob := tempOutbox(t)
	e := queueOne(t, ob, "SUP-2")
	cmd := exec.Command(os.Args[0], "-test.run=^TestClaimOfKilledProcessIsRecovered$")
	cmd.Env = append(os.Environ(), "L2DIAG_CLAIM_HOLDER="+ob.Dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.Contains(string(buf[:n]), "claimed") {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the holder did not claim the entry: %q", buf[:n])
	}
	var busy *ClaimedError
	if _, err := ob.Claim(e); !errors.As(err, &busy) || busy.PID != cmd.Process.Pid {
		t.Errorf("claim while the holder lives: %v, want a ClaimedError naming pid %d", err, cmd.Process.Pid)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if _, err := os.Stat(filepath.Join(ob.Dir, lockDir, e.ID+".lock")); err != nil {
		t.Fatalf("the killed holder's lock file should still be there: %v", err)
	}
	c, err := ob.Claim(e)
	if err != nil {
		t.Fatalf("claim after the holder was killed: %v", err)
	}
	c.Release()
}
