package hostcheck

import (
	"context"
	"fmt"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
	"github.com/shirou/gopsutil/v4/mem"
)

var memorySpec = diag.Spec{
	ID: IDMemory, Category: diag.CategoryHost, Phase: diag.PhaseProbe,
	Finds:    "total and available memory, swap in use",
	Findings: []diag.FindingSpec{FindingMemoryLow, FindingMemoryCritical, FindingSwapHeavy, FindingOSStalled},
	Plan:     diag.Once(runMemory),
}

func runMemory(ctx context.Context, env *diag.Env) report.Result {
	ctx, cancel := withMargin(ctx)
	defer cancel()
	p := env.Profile.Host.Memory

	vm, err := guard(ctx, "the memory figures", mem.VirtualMemoryWithContext)
	if err != nil {
		return failed(err, "Could not read the memory figures.")
	}
	sw, serr := guard(ctx, "the swap figures", mem.SwapMemoryWithContext)
	return judgeMemory(p, vm, sw, serr)
}

// judgeMemory turns the figures into metrics and findings.
func judgeMemory(p profile.HostMemory, vm *mem.VirtualMemoryStat, sw *mem.SwapMemoryStat, serr error) report.Result {
	var res report.Result
	availPct := pct(vm.Available, vm.Total)
	res.SetMetric("total_bytes", float64(vm.Total))
	res.SetMetric("available_bytes", float64(vm.Available))
	res.SetMetric("used_bytes", float64(vm.Used))
	res.SetMetric("available_percent", round1(availPct))

	swapText := "no swap"
	if serr != nil {
		res.SetDetail("swap_error", serr.Error())
		swapText = "swap unknown"
	} else {
		res.SetMetric("swap_total_bytes", float64(sw.Total))
		res.SetMetric("swap_used_bytes", float64(sw.Used))
		if sw.Total > 0 {
			swapPct := pct(sw.Used, sw.Total)
			res.SetMetric("swap_used_percent", round1(swapPct))
			swapText = fmt.Sprintf("swap %s of %s used", diag.Bytes(sw.Used), diag.Bytes(sw.Total))
			if swapPct >= float64(p.SwapUsedWarn) {
				res.AddFinding(FindingSwapHeavy.Finding(
					fmt.Sprintf("%.0f%% of swap in use (%s of %s).", swapPct, diag.Bytes(sw.Used), diag.Bytes(sw.Total)),
					map[string]any{"swap_used_percent": round1(swapPct), "threshold": p.SwapUsedWarn.String()}))
			}
		}
	}

	ev := map[string]any{"available_percent": round1(availPct), "available_bytes": vm.Available, "total_bytes": vm.Total}
	switch {
	case availPct < float64(p.AvailableFail):
		ev["threshold"] = p.AvailableFail.String()
		res.AddFinding(FindingMemoryCritical.Finding(fmt.Sprintf("Only %s of %s available (%.1f%%, below %s).", diag.Bytes(vm.Available), diag.Bytes(vm.Total), availPct, p.AvailableFail), ev))
	case availPct < float64(p.AvailableWarn):
		ev["threshold"] = p.AvailableWarn.String()
		res.AddFinding(FindingMemoryLow.Finding(fmt.Sprintf("Only %s of %s available (%.1f%%, below %s).", diag.Bytes(vm.Available), diag.Bytes(vm.Total), availPct, p.AvailableWarn), ev))
	}
	res.Summary = fmt.Sprintf("%s of %s available (%.0f%%), %s.", diag.Bytes(vm.Available), diag.Bytes(vm.Total), availPct, swapText)
	return res
}
