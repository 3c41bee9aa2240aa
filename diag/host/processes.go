package hostcheck

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
	"github.com/shirou/gopsutil/v4/mem"
	"github.com/shirou/gopsutil/v4/process"
)

var processesSpec = diag.Spec{
	ID: IDProcesses, Category: diag.CategoryHost, Phase: diag.PhaseProbe,
	Finds:    "top processes by CPU and memory, process count, zombies",
	Findings: []diag.FindingSpec{FindingZombies, FindingMemoryHog, FindingOSStalled},
	Plan:     diag.Once(runProcesses),
}

// procInfo is one process as the processes check reports it.
type procInfo struct {
	PID    int32   `json:"pid"`
	Name   string  `json:"name"`
	User   string  `json:"user"`
	CPU    float64 `json:"cpu_percent"`
	Mem    float64 `json:"memory_percent"`
	RSS    uint64  `json:"rss_bytes"`
	Zombie bool    `json:"-"`
	cpu0   float64
}

// snapshotProcs reads every process's CPU time, resident memory and state.
// Processes that exit meanwhile are skipped.
func snapshotProcs(ctx context.Context) ([]*procInfo, error) {
	procs, err := process.ProcessesWithContext(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*procInfo, 0, len(procs))
	for _, p := range procs {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		pi := &procInfo{PID: p.Pid}
		if t, err := p.TimesWithContext(ctx); err == nil {
			pi.cpu0 = t.User + t.System
		}
		if m, err := p.MemoryInfoWithContext(ctx); err == nil {
			pi.RSS = m.RSS
		}
		if st, err := p.StatusWithContext(ctx); err == nil && len(st) > 0 && st[0] == process.Zombie {
			pi.Zombie = true
		}
		pi.Name, _ = p.NameWithContext(ctx)
		out = append(out, pi)
	}
	return out, nil
}

// cpuTimes reads the CPU time of the given processes again.
func cpuTimes(ctx context.Context, pids []int32) map[int32]float64 {
	out := make(map[int32]float64, len(pids))
	for _, pid := range pids {
		if ctx.Err() != nil {
			break
		}
		p, err := process.NewProcessWithContext(ctx, pid)
		if err != nil {
			continue
		}
		if t, err := p.TimesWithContext(ctx); err == nil {
			out[pid] = t.User + t.System
		}
	}
	return out
}

func runProcesses(ctx context.Context, env *diag.Env) report.Result {
	ctx, cancel := withMargin(ctx)
	defer cancel()
	p := env.Profile.Host.Processes

	vm, err := guard(ctx, "the memory figures", mem.VirtualMemoryWithContext)
	if err != nil {
		return failed(err, "Could not read the memory figures.")
	}
	start := time.Now()
	procs, err := guard(ctx, "the process list", snapshotProcs)
	if err != nil {
		return failed(err, "Could not list the processes.")
	}
	// Per-process CPU is measured over the same interval as host-cpu:
	// gopsutil's CPUPercent is the average since the process started,
	// which hides a process that just started spinning.
	sample := sampleFor(ctx, env.Profile.Host.CPU.Sample.D()-time.Since(start))
	t := time.NewTimer(sample)
	select {
	case <-t.C:
	case <-ctx.Done():
		t.Stop()
		return failed(&stalledError{what: "the process CPU sample"}, "Could not sample the processes' CPU use.")
	}
	pids := make([]int32, len(procs))
	for i, pi := range procs {
		pids[i] = pi.PID
	}
	elapsed := time.Since(start).Seconds()
	after, err := guard(ctx, "the process CPU times", func(ctx context.Context) (map[int32]float64, error) { return cpuTimes(ctx, pids), nil })
	if err != nil {
		return failed(err, "Could not sample the processes' CPU use.")
	}
	zombies := 0
	for _, pi := range procs {
		if t1, ok := after[pi.PID]; ok && elapsed > 0 {
			pi.CPU = round1(max(0, t1-pi.cpu0) / elapsed * 100)
		}
		pi.Mem = round1(pct(pi.RSS, vm.Total))
		if pi.Zombie {
			zombies++
		}
	}
	var res report.Result
	res.SetMetric("processes", float64(len(procs)))
	res.SetMetric("zombies", float64(zombies))

	byCPU := top(procs, p.Top, func(a, b *procInfo) bool { return a.CPU > b.CPU })
	byMem := top(procs, p.Top, func(a, b *procInfo) bool { return a.RSS > b.RSS })
	listed := append(append([]*procInfo{}, byCPU...), byMem...)
	owners, _ := guard(ctx, "the process owners", func(ctx context.Context) (map[int32]string, error) {
		m := map[int32]string{}
		for _, pi := range listed {
			if _, done := m[pi.PID]; !done && ctx.Err() == nil {
				m[pi.PID] = username(ctx, pi.PID)
			}
		}
		return m, nil
	})
	for _, pi := range listed {
		pi.User = owners[pi.PID]
	}
	res.SetDetail("top_cpu", byCPU)
	res.SetDetail("top_memory", byMem)

	if zombies >= p.ZombiesWarn {
		var names []string
		for _, pi := range procs {
			if pi.Zombie && len(names) < 10 {
				names = append(names, fmt.Sprintf("%s (%d)", pi.Name, pi.PID))
			}
		}
		res.AddFinding(FindingZombies.Finding(fmt.Sprintf("%d zombie processes, e.g. %s.", zombies, strings.Join(names, ", ")),
			map[string]any{"zombies": zombies, "threshold": p.ZombiesWarn}))
	}
	if len(byMem) > 0 && byMem[0].Mem >= float64(p.MemoryHog) {
		h := byMem[0]
		res.AddFinding(FindingMemoryHog.Finding(fmt.Sprintf("%s (PID %d, user %s) holds %s, %.0f%% of memory.", h.Name, h.PID, h.User, diag.Bytes(h.RSS), h.Mem),
			map[string]any{"pid": h.PID, "name": h.Name, "rss_bytes": h.RSS, "memory_percent": h.Mem, "threshold": p.MemoryHog.String()}))
	}
	sum := fmt.Sprintf("%d processes, %d zombie(s)", len(procs), zombies)
	if len(byCPU) > 0 {
		sum += fmt.Sprintf("; busiest %s (%d) %.0f%% CPU", byCPU[0].Name, byCPU[0].PID, byCPU[0].CPU)
	}
	if len(byMem) > 0 {
		sum += fmt.Sprintf("; largest %s (%d) %s", byMem[0].Name, byMem[0].PID, diag.Bytes(byMem[0].RSS))
	}
	res.Summary = sum + "."
	return res
}

// top returns the first n processes by less, without zombies (they hold
// neither CPU nor memory).
func top(procs []*procInfo, n int, less func(a, b *procInfo) bool) []*procInfo {
	live := make([]*procInfo, 0, len(procs))
	for _, pi := range procs {
		if !pi.Zombie {
			live = append(live, pi)
		}
	}
	sort.SliceStable(live, func(i, j int) bool { return less(live[i], live[j]) })
	return live[:min(n, len(live))]
}

func username(ctx context.Context, pid int32) string {
	p, err := process.NewProcessWithContext(ctx, pid)
	if err != nil {
		return ""
	}
	u, err := p.UsernameWithContext(ctx)
	if err != nil {
		if uids, err := p.UidsWithContext(ctx); err == nil && len(uids) > 0 {
			return fmt.Sprint(uids[0])
		}
		return ""
	}
	return u
}
