// Package hostcheck holds the host checks (category `host`): system, CPU,
// memory, disks, processes, clock and services, read with gopsutil and
// judged against the profile's `host:` thresholds.
package hostcheck

import "github.com/l2diag/l2diag/diag"

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
		systemSpec,
		cpuSpec,
		memorySpec,
		disksSpec,
		processesSpec,
		clockSpec,
		servicesSpec,
	}
}
