package hostcheck

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/load"
)

var cpuSpec = diag.Spec{
	ID: IDCPU, Category: diag.CategoryHost, Phase: diag.PhaseProbe,
	Finds:    "CPU model and cores, utilisation over a short sample, load per core",
	Findings: []diag.FindingSpec{FindingCPUBusy, FindingLoadHigh, FindingOSStalled},
	Plan:     diag.Once(runCPU),
}

// minSample is the shortest CPU sample still worth taking when the
// deadline leaves less than the profile's sample: shorter ones are noise.
const minSample = 100 * time.Millisecond

// sampleFor returns how long to sample within ctx: the profile's interval,
// shortened to fit the deadline with room for the reads around it.
func sampleFor(ctx context.Context, want time.Duration) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl) - 2*stopEarly; left < want {
			return max(left, minSample)
		}
	}
	return want
}

// cpuUsage is the split of CPU time over a sample, in percent of all CPUs.
type cpuUsage struct {
	Busy, User, System, IOWait, Steal float64
}

// sampleCPU reads the CPU times twice, sample apart. top and gopsutil count
// iowait as idle; so does Busy.
func sampleCPU(ctx context.Context, sample time.Duration) (cpuUsage, error) {
	t1, err := guard(ctx, "the CPU times", func(ctx context.Context) ([]cpu.TimesStat, error) { return cpu.TimesWithContext(ctx, false) })
	if err != nil {
		return cpuUsage{}, err
	}
	t := time.NewTimer(sample)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return cpuUsage{}, &stalledError{what: "the CPU sample"}
	}
	t2, err := guard(ctx, "the CPU times", func(ctx context.Context) ([]cpu.TimesStat, error) { return cpu.TimesWithContext(ctx, false) })
	if err != nil {
		return cpuUsage{}, err
	}
	if len(t1) == 0 || len(t2) == 0 {
		return cpuUsage{}, errors.New("host: the OS reported no CPU times")
	}
	return usageBetween(t1[0], t2[0]), nil
}

// usageBetween computes the split between two readings of the counters.
func usageBetween(a, b cpu.TimesStat) cpuUsage {
	total := func(t cpu.TimesStat) float64 {
		// Guest time is already part of user time on Linux.
		return t.User + t.System + t.Idle + t.Nice + t.Iowait + t.Irq + t.Softirq + t.Steal
	}
	dt := total(b) - total(a)
	if dt <= 0 {
		return cpuUsage{}
	}
	share := func(x float64) float64 { return max(0, min(100, x/dt*100)) }
	idle := (b.Idle - a.Idle) + (b.Iowait - a.Iowait)
	return cpuUsage{
		Busy:   share(dt - idle),
		User:   share((b.User - a.User) + (b.Nice - a.Nice)),
		System: share((b.System - a.System) + (b.Irq - a.Irq) + (b.Softirq - a.Softirq)),
		IOWait: share(b.Iowait - a.Iowait),
		Steal:  share(b.Steal - a.Steal),
	}
}

func runCPU(ctx context.Context, env *diag.Env) report.Result {
	ctx, cancel := withMargin(ctx)
	defer cancel()
	p := env.Profile.Host.CPU
	var res report.Result

	logical, err := guard(ctx, "the CPU count", func(ctx context.Context) (int, error) { return cpu.CountsWithContext(ctx, true) })
	if err != nil || logical < 1 {
		if err != nil {
			var se *stalledError
			if errors.As(err, &se) {
				return failed(err, "Could not count the CPUs.")
			}
		}
		logical = runtime.NumCPU()
	}
	res.SetMetric("logical_cpus", float64(logical))
	// What the OS would not say is kept as an error detail, never
	// dropped: an empty model must not read as "no model".
	if physical, err := guard(ctx, "the core count", func(ctx context.Context) (int, error) { return cpu.CountsWithContext(ctx, false) }); err == nil && physical > 0 {
		res.SetMetric("physical_cores", float64(physical))
	} else if err != nil {
		res.SetDetail("physical_cores_error", err.Error())
	}
	model := ""
	switch infos, err := guard(ctx, "the CPU information", cpu.InfoWithContext); {
	case err != nil:
		res.SetDetail("model_error", err.Error())
	case len(infos) == 0:
		res.SetDetail("model_error", "the OS listed no processor")
	default:
		model = infos[0].ModelName
		res.SetDetail("model", model)
		res.SetDetail("mhz", infos[0].Mhz)
	}

	sample := sampleFor(ctx, p.Sample.D())
	u, err := sampleCPU(ctx, sample)
	if err != nil {
		return failed(err, "Could not measure CPU utilisation.")
	}
	res.SetMetric("cpu_percent", round1(u.Busy))
	res.SetMetric("user_percent", round1(u.User))
	res.SetMetric("system_percent", round1(u.System))
	res.SetMetric("iowait_percent", round1(u.IOWait))
	res.SetMetric("steal_percent", round1(u.Steal))
	res.SetMetric("sample_seconds", sample.Seconds())
	if u.Busy >= float64(p.UsageWarn) {
		res.AddFinding(FindingCPUBusy.Finding(
			fmt.Sprintf("CPU %.0f%% busy over a %s sample (user %.0f%%, system %.0f%%, steal %.0f%%).", u.Busy, sample, u.User, u.System, u.Steal),
			map[string]any{"cpu_percent": round1(u.Busy), "threshold": p.UsageWarn.String(), "sample": sample.String()}))
	}

	loadText := ""
	// Windows has no load average; gopsutil emulates one only after it has
	// sampled for minutes, which a one-shot run never does.
	if runtime.GOOS != "windows" {
		if avg, err := guard(ctx, "the load average", load.AvgWithContext); err == nil {
			res.SetMetric("load1", avg.Load1)
			res.SetMetric("load5", avg.Load5)
			res.SetMetric("load15", avg.Load15)
			perCore := avg.Load5 / float64(logical)
			res.SetMetric("load5_per_cpu", math.Round(perCore*100)/100)
			loadText = fmt.Sprintf(", load %.2f %.2f %.2f", avg.Load1, avg.Load5, avg.Load15)
			if perCore >= p.LoadPerCoreWarn {
				res.AddFinding(FindingLoadHigh.Finding(
					fmt.Sprintf("5-minute load %.2f on %d CPUs is %.2f per CPU (threshold %g).", avg.Load5, logical, perCore, p.LoadPerCoreWarn),
					map[string]any{"load5": avg.Load5, "logical_cpus": logical, "threshold": p.LoadPerCoreWarn}))
			}
		}
	}
	if model == "" {
		model = "CPU"
	}
	res.Summary = fmt.Sprintf("%s, %d logical CPUs: %.0f%% busy over %s%s.", model, logical, u.Busy, sample, loadText)
	return res
}
