package hostcheck

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
	"github.com/shirou/gopsutil/v4/common"
	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/mem"
)

func meminfo(totalKB, availKB int) string {
	return "MemTotal:       " + strconv.Itoa(totalKB) + " kB\nMemFree:        " + strconv.Itoa(availKB/2) + " kB\nMemAvailable:   " + strconv.Itoa(availKB) + " kB\nBuffers:        0 kB\nCached:         0 kB\nSwapTotal:      0 kB\nSwapFree:       0 kB\n"
}

func TestMemoryThresholds(t *testing.T) {
	requireLinux(t)
	tests := []struct {
		name       string
		availKB    int
		wantStatus report.Status
		wantCode   string
	}{
		{"plenty available", 600000, report.StatusOK, ""},
		{"below available_warn", 50000, report.StatusWarn, "host.memory-low"},
		{"below available_fail", 20000, report.StatusFail, "host.memory-critical"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"meminfo": meminfo(1000000, tt.availKB), "vmstat": "pswpin 0\npswpout 0\n"})
			ctx := fakeRoot(context.Background(), map[common.EnvKeyType]string{common.HostProcEnvKey: dir})
			res := runCheck(t, ctx, IDMemory, testProfile(t), 5*time.Second)
			if res.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s\n%s", res.Status, tt.wantStatus, dump(t, res))
			}
			if got := strings.Join(codes(res), " "); got != tt.wantCode {
				t.Errorf("findings = %q, want %q", got, tt.wantCode)
			}
			if got := res.Metrics["total_bytes"]; got != 1000000*1024 {
				t.Errorf("total_bytes = %v, want the fake meminfo's", got)
			}
		})
	}
}

// Swap comes from sysinfo(2), which no fake root reaches: the judgement is
// tested on figures.
func TestSwapJudgement(t *testing.T) {
	p := profile.Default().Host.Memory
	vm := &mem.VirtualMemoryStat{Total: 8 << 30, Available: 4 << 30}
	tests := []struct {
		name     string
		sw       *mem.SwapMemoryStat
		serr     error
		wantCode string
	}{
		{"no swap", &mem.SwapMemoryStat{}, nil, ""},
		{"little swap used", &mem.SwapMemoryStat{Total: 2 << 30, Used: 100 << 20}, nil, ""},
		{"swap 90% used", &mem.SwapMemoryStat{Total: 2 << 30, Used: 1843 << 20}, nil, "host.swap-heavy"},
		{"swap unreadable", nil, errors.New("no vmstat"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := judgeMemory(p, vm, tt.sw, tt.serr)
			if got := strings.Join(codes(res), " "); got != tt.wantCode {
				t.Errorf("findings = %q, want %q", got, tt.wantCode)
			}
		})
	}
}

func TestLoadPerCore(t *testing.T) {
	requireLinux(t)
	tests := []struct {
		name     string
		loadavg  string
		wantCode string
	}{
		{"idle", "0.10 0.20 0.30 1/100 1234\n", ""},
		{"4 per CPU on 2 CPUs", "9.00 8.00 7.00 5/100 1234\n", "host.load-high"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{
				"loadavg": tt.loadavg,
				"stat":    "cpu  100 0 50 1000 10 0 0 0 0 0\ncpu0 50 0 25 500 5 0 0 0 0 0\ncpu1 50 0 25 500 5 0 0 0 0 0\n",
				"cpuinfo": "processor\t: 0\nmodel name\t: Test CPU\n\nprocessor\t: 1\nmodel name\t: Test CPU\n",
			})
			ctx := fakeRoot(context.Background(), map[common.EnvKeyType]string{common.HostProcEnvKey: dir})
			res := runCheck(t, ctx, IDCPU, testProfile(t), 5*time.Second)
			if got := strings.Join(codes(res), " "); got != tt.wantCode {
				t.Errorf("findings = %q, want %q\n%s", got, tt.wantCode, dump(t, res))
			}
			if got := res.Metrics["logical_cpus"]; got != 2 {
				t.Errorf("logical_cpus = %v, want the fake cpuinfo's 2", got)
			}
		})
	}
}

func TestCPUUsageSplit(t *testing.T) {
	a := cpu.TimesStat{User: 100, System: 50, Idle: 800, Iowait: 50}
	tests := []struct {
		name string
		b    cpu.TimesStat
		want cpuUsage
	}{
		{"all idle", cpu.TimesStat{User: 100, System: 50, Idle: 900, Iowait: 50}, cpuUsage{}},
		{"half user", cpu.TimesStat{User: 150, System: 50, Idle: 850, Iowait: 50}, cpuUsage{Busy: 50, User: 50}},
		{"iowait is idle", cpu.TimesStat{User: 100, System: 50, Idle: 850, Iowait: 100}, cpuUsage{IOWait: 50}},
		{"steal is busy", cpu.TimesStat{User: 100, System: 50, Idle: 800, Iowait: 50, Steal: 100}, cpuUsage{Busy: 100, Steal: 100}},
		{"counters went back", cpu.TimesStat{}, cpuUsage{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := usageBetween(a, tt.b); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// A process spinning on a CPU is measured over the sample: it ranks above
// a sleeping process started with it and has a CPU share.
func TestCPUSpinnerAndBusyThreshold(t *testing.T) {
	requireLinux(t)
	spin := exec.Command("sh", "-c", "while :; do :; done")
	sleeper := exec.Command("sleep", "60")
	for _, c := range []*exec.Cmd{spin, sleeper} {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = c.Process.Kill(); _ = c.Wait() }()
	}
	time.Sleep(100 * time.Millisecond)

	p := testProfile(t)
	p.Host.Processes.Top = 50
	res := runCheck(t, context.Background(), IDProcesses, p, 5*time.Second)
	tops, _ := res.Details["top_cpu"].([]*procInfo)
	// Other test packages share the CPUs in CI, so the spinner's share
	// varies; its rank above the sleeper does not.
	is := func(pid int) func(*procInfo) bool { return func(pi *procInfo) bool { return pi.PID == int32(pid) } }
	i, j := slices.IndexFunc(tops, is(spin.Process.Pid)), slices.IndexFunc(tops, is(sleeper.Process.Pid))
	if i < 0 || tops[i].CPU <= 0 || tops[i].Name != "sh" || (j >= 0 && (j < i || tops[j].CPU != 0)) {
		t.Errorf("spinner (PID %d) at %d, sleeper (PID %d) at %d in top_cpu:\n%s", spin.Process.Pid, i, sleeper.Process.Pid, j, dump(t, res))
	}

	// With a threshold of 1% the spinner's load must trip host.cpu-busy.
	p.Host.CPU.UsageWarn = 1
	res = runCheck(t, context.Background(), IDCPU, p, 5*time.Second)
	if finding(res, "host.cpu-busy") == nil {
		t.Errorf("want host.cpu-busy at usage_warn 1%%, got\n%s", dump(t, res))
	}
}

func first(p []*procInfo) any {
	if len(p) == 0 {
		return nil
	}
	return *p[0]
}

func TestProcessesZombiesAndCount(t *testing.T) {
	requireLinux(t)
	const n = 3
	var kids []*exec.Cmd
	for range n {
		c := exec.Command("true")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		kids = append(kids, c) // not waited for: a zombie until the test ends
	}
	defer func() {
		for _, c := range kids {
			_ = c.Wait()
		}
	}()
	time.Sleep(200 * time.Millisecond)
	p := testProfile(t)
	p.Host.Processes.ZombiesWarn = n
	res := runCheck(t, context.Background(), IDProcesses, p, 5*time.Second)
	if got := res.Metrics["zombies"]; got < n {
		t.Errorf("zombies = %v, want at least %d\n%s", got, n, dump(t, res))
	}
	if finding(res, "host.zombies") == nil {
		t.Errorf("want host.zombies at zombies_warn %d, got %v", n, codes(res))
	}
	ps := command(t, "ps", "-e", "--no-headers", "-o", "pid")
	want := float64(len(strings.Split(ps, "\n")))
	// Test binaries and compilers come and go meanwhile.
	if got := res.Metrics["processes"]; got < want-20 || got > want+20 {
		t.Errorf("processes = %v, ps -e counts %v", got, want)
	}
}

func TestProcessMemoryHog(t *testing.T) {
	requireLinux(t)
	tests := []struct {
		name     string
		hog      profile.Percent
		wantCode string
	}{
		{"default 50% is not reached by anything here", 50, ""},
		{"a tiny threshold names the largest process", 0.0001, "host.process-memory-hog"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProfile(t)
			p.Host.Processes.MemoryHog = tt.hog
			res := runCheck(t, context.Background(), IDProcesses, p, 5*time.Second)
			var got []string
			for _, c := range codes(res) {
				if c == "host.process-memory-hog" {
					got = append(got, c)
				}
			}
			if strings.Join(got, " ") != tt.wantCode {
				t.Errorf("findings = %v, want %q", codes(res), tt.wantCode)
			}
			if tt.wantCode == "" {
				return
			}
			tops, _ := res.Details["top_memory"].([]*procInfo)
			f := finding(res, tt.wantCode)
			if len(tops) == 0 || f.Evidence["pid"] != tops[0].PID {
				t.Errorf("finding names PID %v, top_memory[0] is %+v", f.Evidence["pid"], first(tops))
			}
		})
	}
}

func TestSystemFindings(t *testing.T) {
	requireLinux(t)
	tests := []struct {
		name      string
		run       map[string]string
		uptime    profile.Period
		wantCodes []string
		wantInMsg string
	}{
		{"recent boot, nothing pending", nil, profile.Period(3650 * 24 * time.Hour), nil, ""},
		{"uptime above the threshold", nil, profile.Period(time.Second), []string{"host.uptime-long"}, ""},
		{"reboot-required with packages", map[string]string{"reboot-required": "*** System restart required ***\n", "reboot-required.pkgs": "linux-image-6.1.0-18-amd64\nlibc6\n"},
			profile.Period(3650 * 24 * time.Hour), []string{"host.reboot-pending"}, "linux-image-6.1.0-18-amd64, libc6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := t.TempDir()
			writeFiles(t, run, tt.run)
			ctx := fakeRoot(context.Background(), map[common.EnvKeyType]string{common.HostRunEnvKey: run})
			p := testProfile(t)
			p.Host.System.UptimeWarn = tt.uptime
			res := runCheck(t, ctx, IDSystem, p, 5*time.Second)
			var got []string
			for _, c := range codes(res) {
				// needs-restarting may exist on the machine: only the fake root counts.
				if c != "host.reboot-pending" || tt.run != nil {
					got = append(got, c)
				}
			}
			if !slices.Equal(got, tt.wantCodes) {
				t.Errorf("findings = %v, want %v\n%s", got, tt.wantCodes, dump(t, res))
			}
			if tt.wantInMsg != "" && !strings.Contains(dump(t, res), tt.wantInMsg) {
				t.Errorf("result lacks %q", tt.wantInMsg)
			}
		})
	}
}

func TestServicesSkipWithoutSystemd(t *testing.T) {
	requireLinux(t)
	run := t.TempDir() // no systemd/system inside
	ctx := fakeRoot(context.Background(), map[common.EnvKeyType]string{common.HostRunEnvKey: run})
	res := runCheck(t, ctx, IDServices, testProfile(t), 5*time.Second)
	if res.Status != report.StatusSkipped || !strings.Contains(res.Summary, "systemd is not running") {
		t.Errorf("got %s %q, want skipped saying systemd is not running", res.Status, res.Summary)
	}
}

// The live part needs systemd as PID 1, which CI containers do not have.
func TestServicesLive(t *testing.T) {
	requireLinux(t)
	if _, err := os.Stat("/run/systemd/system"); err != nil {
		t.Skip("systemd is not PID 1 here; the parsing is tested on captured output")
	}
	res := runCheck(t, context.Background(), IDServices, testProfile(t), 10*time.Second)
	out := command(t, "systemctl", "list-units", "--state=failed", "--plain", "--no-legend", "--no-pager")
	want := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) != "" {
			want++
		}
	}
	if got := res.Metrics["failed"]; int(got) != want {
		t.Errorf("failed = %v, systemctl lists %d", got, want)
	}
}

func TestDetectContainer(t *testing.T) {
	requireLinux(t)
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"bare machine", map[string]string{"proc/1/cgroup": "0::/init.scope\n"}, ""},
		{"docker", map[string]string{".dockerenv": ""}, "docker"},
		{"podman", map[string]string{"run/.containerenv": ""}, "podman"},
		{"systemd-nspawn", map[string]string{"run/systemd/container": "systemd-nspawn\n"}, "systemd-nspawn"},
		{"kubernetes cgroup", map[string]string{"proc/1/cgroup": "0::/kubepods/besteffort/pod1/abc\n"}, "kubernetes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, tt.files)
			ctx := fakeRoot(context.Background(), map[common.EnvKeyType]string{
				common.HostRootEnvKey: root,
				common.HostRunEnvKey:  filepath.Join(root, "run"),
				common.HostProcEnvKey: filepath.Join(root, "proc"),
			})
			if got := detectContainer(ctx); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// The whole category runs under the real runner without a timeout and
// every finding code it emits is declared.
func TestHostCategoryUnderRunner(t *testing.T) {
	p := testProfile(t)
	p.Host.Clock.NTPServers = []string{fakeNTP{stratum: 2}.start(t, "127.0.0.2")}
	r := &diag.Runner{Specs: Specs(), Profile: p, Only: []diag.Category{diag.CategoryHost}}
	out := r.Run(context.Background())
	if len(out.Results) != len(Specs()) {
		t.Fatalf("%d results, want %d", len(out.Results), len(Specs()))
	}
	declared := map[string]bool{}
	for _, f := range Findings() {
		declared[f.Code] = true
	}
	for _, res := range out.Results {
		if res.Status == report.StatusError {
			t.Errorf("%s: error: %s %s", res.Check, res.Summary, res.Error)
		}
		for _, f := range res.Findings {
			if !declared[f.Code] {
				t.Errorf("%s emits undeclared code %s", res.Check, f.Code)
			}
		}
	}
}

func BenchmarkHostCategory(b *testing.B) {
	p := profile.Default()
	p.Host.Clock.NTPServers = nil
	r := &diag.Runner{Specs: Specs(), Profile: p, Only: []diag.Category{diag.CategoryHost}}
	for b.Loop() {
		r.Run(context.Background())
	}
}
