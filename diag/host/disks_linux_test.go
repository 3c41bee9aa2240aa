package hostcheck

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
	"github.com/shirou/gopsutil/v4/common"
	"github.com/shirou/gopsutil/v4/disk"
)

// mountTmpfs mounts a tmpfs with opts on a new directory, unmounted when
// the test ends.
func mountTmpfs(t *testing.T, opts string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opts, "l2diag-test", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// fill writes one file so that about percent of the filesystem is used.
func fill(t *testing.T, dir string, percent float64) {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	total := float64(st.Blocks) * float64(st.Bsize)
	if err := os.WriteFile(filepath.Join(dir, "fill"), make([]byte, int(total*percent/100)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDisksOnRealFilesystems(t *testing.T) {
	requireRoot(t)
	full := mountTmpfs(t, "size=8m")
	fill(t, full, 99)
	empty := mountTmpfs(t, "size=8m")
	fill(t, empty, 1)
	filling := mountTmpfs(t, "size=8m")
	fill(t, filling, 92)
	inodes := mountTmpfs(t, "size=8m,nr_inodes=40")
	for i := 0; ; i++ {
		if err := os.WriteFile(filepath.Join(inodes, fmt.Sprint(i)), nil, 0o644); err != nil {
			break // ENOSPC: every inode used
		}
	}
	ro := mountTmpfs(t, "size=1m,ro")

	tests := []struct {
		name     string
		mounts   []string
		minFree  profile.Size
		writable []string
		// want maps a mount to the finding code it must get ("" = none).
		want       map[string]string
		wantStatus report.Status
	}{
		{"99% full fails, nearly empty is ok", []string{full, empty}, 1 << 30, nil,
			map[string]string{full: "host.disk-full", empty: ""}, report.StatusFail},
		{"nearly empty alone is ok", []string{empty}, 1 << 30, nil,
			map[string]string{empty: ""}, report.StatusOK},
		{"92% with less than min_free fails", []string{filling}, 1 << 30, nil,
			map[string]string{filling: "host.disk-full"}, report.StatusFail},
		{"92% with the floor off warns", []string{filling}, 0, nil,
			map[string]string{filling: "host.disk-filling"}, report.StatusWarn},
		{"inodes used up", []string{inodes}, 0, nil,
			map[string]string{inodes: "host.inodes-exhausted"}, report.StatusFail},
		{"read-only where writable expected", []string{ro}, 0, []string{ro},
			map[string]string{ro: "host.disk-readonly"}, report.StatusFail},
		{"read-only where not expected writable", []string{ro}, 0, []string{"/"},
			map[string]string{ro: ""}, report.StatusOK},
		{"listed mount not mounted", []string{empty, "/nonexistent/l2diag-mount"}, 0, nil,
			map[string]string{empty: "", "/nonexistent/l2diag-mount": "host.disk-missing"}, report.StatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile(t)
			p.Host.Disks.Mounts = tt.mounts
			p.Host.Disks.MinFree = tt.minFree
			p.Host.Disks.Writable = tt.writable
			res := runCheck(t, context.Background(), IDDisks, p, 5*time.Second)
			if res.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s\n%s", res.Status, tt.wantStatus, dump(t, res))
			}
			for mount, code := range tt.want {
				got := findingsFor(res, mount)
				switch {
				case code == "" && len(got) > 0:
					t.Errorf("%s got findings %v, want none", mount, got)
				case code != "" && !slices.Contains(got, code):
					t.Errorf("%s got findings %v, want %s", mount, got, code)
				}
			}
			if len(res.Findings) != countWanted(tt.want) {
				t.Errorf("findings = %v, want exactly one per named mount", codes(res))
			}
		})
	}

	t.Run("default selection includes the tmpfs mounts and fails only the full one", func(t *testing.T) {
		p := testProfile(t)
		res := runCheck(t, context.Background(), IDDisks, p, 5*time.Second)
		fsRow(t, res, full)
		fsRow(t, res, empty)
		if got := findingsFor(res, full); !slices.Contains(got, "host.disk-full") {
			t.Errorf("%s findings = %v, want host.disk-full", full, got)
		}
		if got := findingsFor(res, empty); len(got) > 0 {
			t.Errorf("%s findings = %v, want none", empty, got)
		}
		if f := finding(res, "host.disk-full"); f == nil || !strings.Contains(f.Message, full) {
			t.Errorf("disk-full message does not name %s: %+v", full, f)
		}
	})

	t.Run("exclude pattern drops a mount", func(t *testing.T) {
		p := testProfile(t)
		p.Host.Disks.Exclude = []string{filepath.Dir(full) + "*/*"}
		res := runCheck(t, context.Background(), IDDisks, p, 5*time.Second)
		if got := findingsFor(res, full); len(got) > 0 {
			t.Errorf("excluded %s still has findings %v", full, got)
		}
	})
}

func countWanted(m map[string]string) int {
	n := 0
	for _, c := range m {
		if c != "" {
			n++
		}
	}
	return n
}

// findingsFor returns the codes of findings whose evidence names mount.
func findingsFor(res report.Result, mount string) []string {
	var out []string
	for _, f := range res.Findings {
		if f.Evidence["mount"] == mount {
			out = append(out, f.Code)
		}
	}
	return out
}

// A statfs that never returns (a dead NFS server) is cut at the deadline
// and named; the other filesystems still report.
func TestDisksUnresponsiveMountCutAtDeadline(t *testing.T) {
	requireLinux(t)
	block := make(chan struct{})
	defer close(block)
	orig := diskUsage
	diskUsage = func(ctx context.Context, path string) (*disk.UsageStat, error) {
		if path == "/" {
			<-block // ignores ctx, like the kernel's statfs on a dead mount
		}
		return orig(ctx, path)
	}
	defer func() { diskUsage = orig }()
	p := testProfile(t)
	p.Host.Disks.Mounts = []string{"/", "/proc"}
	res := runCheck(t, context.Background(), IDDisks, p, 700*time.Millisecond)
	f := finding(res, "host.disk-unresponsive")
	if f == nil || f.Evidence["mount"] != "/" {
		t.Fatalf("want host.disk-unresponsive for /, got %v\n%s", codes(res), dump(t, res))
	}
	if row := fsRow(t, res, "/proc"); row["total_bytes"] == nil {
		t.Errorf("/proc has no figures although it answered: %v", row)
	}
}

// A mount table that cannot be read (a FIFO standing in for a stuck
// /proc file) ends in host.os-query-stalled before the deadline, not in a
// hang or a bare runner timeout.
func TestDisksMountTableStalls(t *testing.T) {
	requireLinux(t)
	proc := fifoProc(t, "1/mountinfo", "self/mountinfo")
	ctx := fakeRoot(context.Background(), map[common.EnvKeyType]string{common.HostProcEnvKey: proc})
	res := runCheck(t, ctx, IDDisks, testProfile(t), 500*time.Millisecond)
	f := finding(res, "host.os-query-stalled")
	if f == nil || f.Evidence["query"] != "the mount table" {
		t.Fatalf("want host.os-query-stalled for the mount table, got\n%s", dump(t, res))
	}
	if res.Status != report.StatusError {
		t.Errorf("status = %s, want error", res.Status)
	}
}

// fifoProc makes a fake HOST_PROC whose named files are FIFOs: opening one
// for reading blocks until a writer comes, like a read that never returns.
// The test's end opens the writers so the abandoned readers finish.
func fifoProc(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		t.Cleanup(func() {
			if w, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				w.Close()
			}
		})
	}
	return dir
}

// A /proc file that never answers (a FIFO) is cut at the deadline with
// host.os-query-stalled naming what was being read.
func TestStalledProcReadIsCut(t *testing.T) {
	requireLinux(t)
	tests := []struct {
		id, file, query string
	}{
		{IDMemory, "meminfo", "the memory figures"},
		{IDSystem, "uptime", "the host information"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			proc := fifoProc(t, tt.file)
			// gopsutil's host info reads a few more files first.
			writeFiles(t, proc, map[string]string{"stat": "btime 1700000000\n"})
			ctx := fakeRoot(context.Background(), map[common.EnvKeyType]string{common.HostProcEnvKey: proc})
			res := runCheck(t, ctx, tt.id, testProfile(t), 500*time.Millisecond)
			f := finding(res, "host.os-query-stalled")
			if f == nil || f.Evidence["query"] != tt.query {
				t.Fatalf("want host.os-query-stalled for %s, got\n%s", tt.query, dump(t, res))
			}
		})
	}
}

func requireRoot(t testing.TB) {
	t.Helper()
	requireLinux(t)
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount filesystems (CI runs as root)")
	}
}
