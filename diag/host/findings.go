package hostcheck

import (
	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// The host checks' finding codes. Each status is the one the code always
// carries; docs/findings.md lists them with the same text.
var (
	FindingUptimeLong = diag.FindingSpec{
		Code: "host.uptime-long", Status: report.StatusWarn,
		Meaning: "The machine has not been rebooted for longer than host.system.uptime_warn (default 30 days); kernel and library updates installed since are not in effect.",
		Hint:    "Schedule a reboot after checking for pending updates (apt list --upgradable, dnf check-update, Windows Update).",
	}
	FindingRebootPending = diag.FindingSpec{
		Code: "host.reboot-pending", Status: report.StatusWarn,
		Meaning: "The operating system says a reboot is required (Linux /run/reboot-required or needs-restarting -r; Windows servicing registry keys).",
		Hint:    "Reboot the machine to finish the update; until then, updated libraries and drivers are not in use.",
	}
	FindingCPUBusy = diag.FindingSpec{
		Code: "host.cpu-busy", Status: report.StatusWarn,
		Meaning: "CPU utilisation over the sample (host.cpu.sample) is at or above host.cpu.usage_warn (default 90%).",
		Hint:    "See host-processes for the busiest processes (or top -o %CPU / Task Manager); stop or reschedule the runaway one.",
	}
	FindingLoadHigh = diag.FindingSpec{
		Code: "host.load-high", Status: report.StatusWarn,
		Meaning: "The 5-minute load average per logical CPU is at or above host.cpu.load_per_core_warn (default 2): work queues for CPU or for disk I/O.",
		Hint:    "Compare with CPU usage: high load with low CPU means processes wait on I/O (check disks with iostat -x 1, vmstat 1).",
	}
	FindingMemoryLow = diag.FindingSpec{
		Code: "host.memory-low", Status: report.StatusWarn,
		Meaning: "Available memory is below host.memory.available_warn (default 10%) of the total.",
		Hint:    "See host-processes for the largest processes; close or restart the one that grows, or add memory.",
	}
	FindingMemoryCritical = diag.FindingSpec{
		Code: "host.memory-critical", Status: report.StatusFail,
		Meaning: "Available memory is below host.memory.available_fail (default 3%): the kernel is about to swap heavily or kill processes (OOM).",
		Hint:    "Free memory now: stop the largest process from host-processes; check for OOM kills with journalctl -k | grep -i oom.",
	}
	FindingSwapHeavy = diag.FindingSpec{
		Code: "host.swap-heavy", Status: report.StatusWarn,
		Meaning: "More than host.memory.swap_used_warn (default 80%) of swap is in use: the machine has been short of memory and may be thrashing.",
		Hint:    "Find what holds memory (host-processes); watch si/so in vmstat 1; add memory or restart the leaking process.",
	}
	FindingDiskFilling = diag.FindingSpec{
		Code: "host.disk-filling", Status: report.StatusWarn,
		Meaning: "A filesystem is more than host.disks.used_warn (default 90%) full.",
		Hint:    "Find what grows: du -xh --max-depth=2 MOUNT | sort -h | tail; rotate or delete old logs, caches and dumps.",
	}
	FindingDiskFull = diag.FindingSpec{
		Code: "host.disk-full", Status: report.StatusFail,
		Meaning: "A filesystem is more than host.disks.used_fail (default 97%) full, or above used_warn with less than host.disks.min_free (default 1 GiB) free: writes are about to fail.",
		Hint:    "Free space now: du -xh --max-depth=2 MOUNT | sort -h | tail; journalctl --vacuum-size=200M; empty caches; then find what filled it.",
	}
	FindingInodesLow = diag.FindingSpec{
		Code: "host.inodes-low", Status: report.StatusWarn,
		Meaning: "A filesystem has used more than host.disks.inodes_warn (default 90%) of its inodes: many small files.",
		Hint:    "Find directories with many files: du -x --inodes MOUNT | sort -n | tail (often session, cache or mail spool directories).",
	}
	FindingInodesExhausted = diag.FindingSpec{
		Code: "host.inodes-exhausted", Status: report.StatusFail,
		Meaning: "A filesystem has used more than host.disks.inodes_fail (default 97%) of its inodes: creating files fails with \"No space left on device\" although space is free.",
		Hint:    "Delete the many small files: du -x --inodes MOUNT | sort -n | tail shows where they are.",
	}
	FindingDiskReadOnly = diag.FindingSpec{
		Code: "host.disk-readonly", Status: report.StatusFail,
		Meaning: "A mount point listed in host.disks.writable is mounted read-only, often because the kernel remounted it after I/O or filesystem errors.",
		Hint:    "Check the kernel log for the cause (journalctl -k | grep -iE 'remount|I/O error|EXT4-fs error'); fix the disk, fsck, then mount -o remount,rw MOUNT.",
	}
	FindingDiskMissing = diag.FindingSpec{
		Code: "host.disk-missing", Status: report.StatusFail,
		Meaning: "A mount point listed in host.disks.mounts is not mounted.",
		Hint:    "Mount it (mount MOUNT, or check /etc/fstab and systemctl status for its .mount unit); for a network share, check the server and the credentials.",
	}
	FindingDiskUnresponsive = diag.FindingSpec{
		Code: "host.disk-unresponsive", Status: report.StatusFail,
		Meaning: "A filesystem did not answer statfs before the check's deadline: usually a network mount whose server is gone; anything touching it hangs.",
		Hint:    "Check the file server and the network path to it; unmount a dead share with umount -f -l MOUNT.",
	}
	FindingZombies = diag.FindingSpec{
		Code: "host.zombies", Status: report.StatusWarn,
		Meaning: "At least host.processes.zombies_warn (default 10) processes are zombies: exited, but their parent never collected them.",
		Hint:    "The parent process (ps -eo pid,ppid,stat,comm | awk '$3 ~ /Z/') has a bug; restarting the parent clears them.",
	}
	FindingMemoryHog = diag.FindingSpec{
		Code: "host.process-memory-hog", Status: report.StatusWarn,
		Meaning: "One process holds at least host.processes.memory_hog (default 50%) of the machine's memory.",
		Hint:    "Check whether that much is expected for this process; if it keeps growing it leaks: restart it and report to its vendor.",
	}
	FindingClockSkew = diag.FindingSpec{
		Code: "host.clock-skew", Status: report.StatusWarn,
		Meaning: "The clock differs from the NTP servers by more than host.clock.offset_warn (default 1 s).",
		Hint:    "Check the time service (timedatectl status, chronyc tracking, w32tm /query /status) and that it can reach an NTP server.",
	}
	FindingClockSkewSevere = diag.FindingSpec{
		Code: "host.clock-skew-severe", Status: report.StatusFail,
		Meaning: "The clock differs from the NTP servers by more than host.clock.offset_fail (default 5 minutes): Kerberos/AD logons and TLS certificate checks fail.",
		Hint:    "Correct the time now (chronyc makestep, or w32tm /resync /force), then fix the time service so it stays synchronised.",
	}
	FindingNTPUnreachable = diag.FindingSpec{
		Code: "host.ntp-unreachable", Status: report.StatusWarn,
		Meaning: "None of the NTP servers in host.clock.ntp_servers answered, so the clock's offset could not be measured, and the OS does not say it keeps time from a source of its own (when it does, as on domain-joined machines syncing to their controllers, there is no finding).",
		Hint:    "Check that UDP port 123 to the servers is allowed (firewall, proxy-only networks need an internal NTP server) and set host.clock.ntp_servers to the servers this site uses.",
	}
	FindingLocalError = diag.FindingSpec{
		Code: "host.local-error", Status: report.StatusError,
		Meaning: "This machine refused to create or use the socket for the NTP query (out of descriptors or buffers, an address family disabled, security software or a broken Winsock catalog): nothing was learnt about the NTP servers or the network.",
		Hint:    "Check that other programs can reach the network; restart the machine, and check security or VPN software hooking the network stack (Windows: netsh winsock show catalog).",
	}
	FindingNTPServerUnreachable = diag.FindingSpec{
		Code: "host.ntp-server-unreachable", Status: report.StatusWarn,
		Meaning: "One NTP server of the profile did not answer while others did: time service has lost redundancy.",
		Hint:    "Check that server and UDP port 123 to it, or remove it from host.clock.ntp_servers.",
	}
	FindingNTPServerUnsynced = diag.FindingSpec{
		Code: "host.ntp-server-unsynchronized", Status: report.StatusWarn,
		Meaning: "An NTP server answered but says it is not synchronised itself (leap indicator 3, stratum 0 or a kiss-of-death code); its time is not used.",
		Hint:    "Fix that server's own time source, or point clients at a healthy server.",
	}
	FindingClockUnsynced = diag.FindingSpec{
		Code: "host.clock-unsynchronized", Status: report.StatusWarn,
		Meaning: "The operating system says its clock is not synchronised with a time source (kernel adjtimex state, or w32tm on Windows).",
		Hint:    "Start and check the time service: timedatectl set-ntp true; systemctl status chrony systemd-timesyncd; on Windows w32tm /resync.",
	}
	FindingServiceFailed = diag.FindingSpec{
		Code: "host.service-failed", Status: report.StatusWarn,
		Meaning: "A systemd unit is in the failed state (Windows: an automatic service stopped with an error).",
		Hint:    "Read why: systemctl status UNIT and journalctl -u UNIT -b; after fixing, systemctl restart UNIT (or systemctl reset-failed UNIT if it is not needed).",
	}
	FindingServiceFailedCritical = diag.FindingSpec{
		Code: "host.service-failed-critical", Status: report.StatusFail,
		Meaning: "A unit or service listed in host.services.critical has failed.",
		Hint:    "Restart it (systemctl restart UNIT, or Restart-Service NAME) and read its log for the cause (journalctl -u UNIT -b, Event Viewer).",
	}
	FindingOSStalled = diag.FindingSpec{
		Code: "host.os-query-stalled", Status: report.StatusError,
		Meaning: "The operating system did not answer a query (a /proc or /sys read, a system call) before the check's deadline, so the check could not finish.",
		Hint:    "The machine may be overloaded or a kernel call hangs (often a dead network mount); look at dmesg and at D-state processes (ps -eo stat,pid,comm | grep ^D).",
	}
)

// Findings lists every finding code the host checks emit, as their specs
// declare them.
func Findings() []diag.FindingSpec {
	return diag.FindingsOf(Specs())
}
