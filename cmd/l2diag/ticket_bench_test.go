//go:build linux

// The benchmark reads the child's peak RSS from rusage (ru_maxrss in KiB
// on Linux) and runs curl beside it: Linux only.

package main

import (
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/l2diag/l2diag/ticketclient/fake"
)

// BenchmarkTicketUpload500MB attaches a 500 MB bundle to the Jira fake with
// the built binary, and uploads the same file with curl to the same
// server. It reports both throughputs and the binary's peak RSS (rusage
// ru_maxrss of the child process, not Go's allocation counters).
//
//	go test -run '^$' -bench TicketUpload500MB -benchtime 3x ./cmd/l2diag/
func BenchmarkTicketUpload500MB(b *testing.B) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		b.Skip("curl not installed: no baseline")
	}
	const size = 500 << 20
	dir := b.TempDir()
	path := filepath.Join(dir, "l2diag-big-bundle.zip")
	fh, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	block := make([]byte, 1<<20)
	_, _ = rand.Read(block)
	for i := 0; i < size>>20; i++ {
		block[0] = byte(i)
		if _, err := fh.Write(block); err != nil {
			b.Fatal(err)
		}
	}
	fh.Close()

	f := fake.NewJiraHTTP(b, true)
	f.Discard = true
	f.UploadLimit = 1 << 30
	bin := l2diagBinary(b)
	home := b.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_CACHE_HOME=" + home,
		"L2DIAG_OUTBOX=" + filepath.Join(home, "outbox"),
		"L2DIAG_JIRA_URL=" + f.Server.URL, "L2DIAG_JIRA_USER=" + f.User, "L2DIAG_JIRA_TOKEN=" + f.Token}

	var ours, theirs time.Duration
	var peakKB int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "ticket", "attach", "SUP-123", path, "--allow-http", "--ticket-timeout", "60s")
		cmd.Env = env
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("l2diag: %v\n%s", err, out)
		}
		ours += time.Since(start)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && int64(ru.Maxrss) > peakKB {
			peakKB = int64(ru.Maxrss) // KiB on Linux
		}

		c := exec.Command(curl, "-sS", "-f", "-o", "/dev/null", "-u", f.User+":"+f.Token,
			"-H", "X-Atlassian-Token: no-check", "-F", "file=@"+path,
			f.Server.URL+"/rest/api/3/issue/SUP-123/attachments")
		start = time.Now()
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("curl: %v\n%s", err, out)
		}
		theirs += time.Since(start)
	}
	b.StopTimer()
	mbps := func(d time.Duration) float64 { return float64(size) * float64(b.N) / d.Seconds() / (1 << 20) }
	b.ReportMetric(mbps(ours), "l2diag-MiB/s")
	b.ReportMetric(mbps(theirs), "curl-MiB/s")
	b.ReportMetric(mbps(ours)/mbps(theirs)*100, "%-of-curl")
	b.ReportMetric(float64(peakKB)/1024, "peak-RSS-MiB")
	if n := len(f.Issue("SUP-123").Attachments); n != 2*b.N {
		b.Errorf("fake holds %d attachments, want %d", n, 2*b.N)
	}
}
