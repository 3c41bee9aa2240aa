// Package hostcheck holds the host checks (category `host`): system, CPU,
// memory, disks, processes, clock and services, read with gopsutil and
// judged against the profile's `host:` thresholds.
package hostcheck

import (
	"context"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// The check IDs are a contract with scripts and ticket automation.
const (
	IDSystem    = "host-system"
	IDCPU       = "host-cpu"
	IDMemory    = "host-memory"
	IDDisks     = "host-disks"
	IDProcesses = "host-processes"
	IDClock     = "host-clock"
	IDServices  = "host-services"
)

// Specs lists the host checks, in the order reports show them. Each runs
// once, without a target, in the probe phase; all of them together take
// about the CPU sampling interval because they run concurrently.
func Specs() []diag.Spec {
	return []diag.Spec{
		single(IDSystem, "OS, kernel, uptime, virtualization/container, logged-in users; long uptime, pending reboot", runSystem),
		single(IDCPU, "CPU model and cores, utilisation over a short sample, load per core", runCPU),
		single(IDMemory, "total and available memory, swap in use", runMemory),
		single(IDDisks, "every real filesystem: space, inodes, read-only, unresponsive network mounts", runDisks),
		single(IDProcesses, "top processes by CPU and memory, process count, zombies", runProcesses),
		single(IDClock, "clock offset from the profile's NTP servers (SNTP) and the OS sync state", runClock),
		single(IDServices, "failed systemd units (Linux) or stopped automatic services (Windows)", runServices),
	}
}

// single builds a spec that plans exactly one untargeted check.
func single(id, finds string, fn func(ctx context.Context, env *diag.Env) report.Result) diag.Spec {
	s := diag.Spec{ID: id, Category: diag.CategoryHost, Phase: diag.PhaseProbe, Finds: finds}
	s.Plan = func(*diag.PlanInput) []diag.Check {
		return []diag.Check{diag.New(&s, "", fn)}
	}
	return s
}
