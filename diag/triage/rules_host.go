package triage

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/l2diag/l2diag/report"
)

// Host resources and permissions: this machine itself.

var specClockSkew = Spec{
	Code: "cause.clock-skew", Layer: LayerHost, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Clock wrong",
	Meaning: "This machine's clock is off: beyond 5 minutes Kerberos/AD logons fail and certificates look expired or not yet valid.",
	Causes:  []string{"the time service is stopped or cannot reach its NTP servers", "a virtual machine resumed from suspend", "a dead CMOS battery"},
	Fix:     "Correct the time (chronyc makestep; w32tm /resync /force) and make sure the time service runs and reaches an NTP server.",
	Why:     "Drawn from host.clock-skew-severe (fail) or host.clock-skew (warn); evaluated before the TLS rules because a wrong clock explains certificate expiry findings.",
}

func ruleClockSkew(v *View) []Match {
	found := v.Find(codeClockSkewSevere, codeClockSkew)
	if len(found) == 0 {
		return nil
	}
	st := worst(found)
	m := Match{Confidence: High, Status: st, Evidence: append(found, v.Find(codeClockUnsynced)...),
		Explains: codeIn(codeClockUnsynced)}
	head := "This machine's clock is off"
	if ms, err := strconv.ParseFloat(evOr(found, "offset_ms"), 64); err == nil {
		head += " by " + (time.Duration(math.Abs(ms)) * time.Millisecond).Round(time.Second).String()
	}
	if st == report.StatusFail {
		head += ": Kerberos logons and certificate checks fail."
		if tls := v.Find(codeTLSExpired, codeTLSExpiring); len(tls) > 0 {
			head = strings.TrimSuffix(head, ".") + " (the \"expired\" certificates are a consequence)."
			m.Evidence = append(m.Evidence, tls...)
		}
	} else {
		head += "."
	}
	m.Headline = head
	return []Match{m}
}

var specTimeSync = Spec{
	Code: "cause.time-sync-broken", Layer: LayerHost, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "Time synchronisation broken",
	Meaning: "The clock is not (or cannot be) synchronised: no NTP server answers or the OS says the clock is unsynchronised. The clock will drift.",
	Causes:  []string{"UDP 123 blocked by a firewall", "the profile's NTP servers are not this site's", "the time service is stopped"},
	Fix:     "Start the time service (timedatectl set-ntp true; w32tm /resync) and make sure it reaches this site's NTP servers (UDP 123).",
	Why:     "Drawn from host.ntp-unreachable, host.ntp-server-unreachable, host.ntp-server-unsynchronized and host.clock-unsynchronized when the clock itself is not (yet) wrong.",
}

var specDiskFull = Spec{
	Code: "cause.disk-full", Layer: LayerHost, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Disk full",
	Meaning: "A filesystem is (nearly) full or out of inodes: writes fail, applications crash or refuse to start.",
	Causes:  []string{"logs, caches or dumps grew without rotation", "a user's large files", "many small files exhausting the inodes"},
	Fix:     "Free space now (du -xh --max-depth=2 MOUNT | sort -h | tail; journalctl --vacuum-size=200M), then find what filled it.",
	Why:     "Drawn from host.disk-full and host.inodes-exhausted (fail), host.disk-filling and host.inodes-low (warn).",
}

func ruleDiskFull(v *View) []Match {
	found := v.Find(codeDiskFull, codeInodesExhausted, codeDiskFilling, codeInodesLow)
	if len(found) == 0 {
		return nil
	}
	mounts := mountsOf(found)
	st := worst(found)
	head := fmt.Sprintf("The filesystem %s is full: writes there fail.", list(mounts))
	if st != report.StatusFail {
		head = fmt.Sprintf("The filesystem %s is filling up.", list(mounts))
	}
	if len(mounts) == 0 {
		head = message(found)
	}
	return []Match{{Headline: head, Confidence: High, Status: st, Evidence: found, Explains: codeIn(codeTempLowSpace)}}
}

// mountsOf returns the mount points disk findings name.
func mountsOf(obs []Obs) []string {
	var out []string
	for _, o := range obs {
		m := o.Ev("mount")
		if m == "" {
			m = o.Ev("component") // perm.path-stalled: where the walk hung
		}
		if m == "" {
			m = o.Target
		}
		if m != "" && !contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func contains(s []string, x string) bool {
	for _, e := range s {
		if e == x {
			return true
		}
	}
	return false
}

var specDiskReadOnly = Spec{
	Code: "cause.disk-readonly", Layer: LayerHost, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Filesystem read-only",
	Meaning: "A filesystem that must be writable is mounted read-only, usually because the kernel remounted it after I/O errors.",
	Causes:  []string{"disk or filesystem errors (the kernel protects the data)", "a wrong mount option"},
	Fix:     "Read the kernel log for the cause (journalctl -k | grep -iE 'remount|I/O error'), repair (fsck), then mount -o remount,rw MOUNT.",
	Why:     "Drawn from host.disk-readonly; explains perm.path-readonly (a path on it cannot be written, whatever its mode).",
}

func ruleDiskReadOnly(v *View) []Match {
	found := v.Find(codeDiskReadOnly)
	if len(found) == 0 {
		return nil
	}
	return []Match{{
		Headline:   fmt.Sprintf("The filesystem %s is mounted read-only: nothing on it can be written.", list(mountsOf(found))),
		Confidence: High, Evidence: found, Explains: codeIn(codePathReadOnly),
	}}
}

var specMountMissing = Spec{
	Code: "cause.mount-missing", Layer: LayerHost, Status: report.StatusFail, Escalation: Storage,
	Title:   "Mount missing or hanging",
	Meaning: "A filesystem that should be mounted is not, or a (network) mount does not answer: paths on it are missing or hang.",
	Causes:  []string{"the file server is down or unreachable", "the share's credentials expired", "an fstab or automount entry failed at boot"},
	Fix:     "Check the file server and the path to it; mount it again (mount MOUNT) or unmount a dead share (umount -f -l MOUNT).",
	Why:     "Drawn from host.disk-missing, host.disk-unresponsive, host.os-query-stalled and perm.path-stalled (a path walk stuck on a component); explains perm.path-missing and perm.path-denied-unexplained (paths on the share).",
}

func ruleMountMissing(v *View) []Match {
	found := v.Find(codeDiskMissing, codeDiskUnresponsive, codeOSStalled, codePathStalled)
	if len(found) == 0 {
		return nil
	}
	mounts := mountsOf(found)
	head := fmt.Sprintf("The filesystem %s is not mounted or does not answer.", list(mounts))
	if len(mounts) == 0 {
		head = message(found)
	}
	return []Match{{Headline: head, Confidence: Medium, Evidence: found, Explains: func(o Obs) bool {
		if o.Code != codePathMissing && o.Code != codePathUnexplained {
			return false
		}
		p := o.Ev("path")
		for _, m := range mounts {
			if m != "/" && strings.HasPrefix(p, m) {
				return true
			}
		}
		return false
	}}}
}

var specMemory = Spec{
	Code: "cause.memory-exhausted", Layer: LayerHost, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Memory exhausted",
	Meaning: "The machine is short of memory: it swaps heavily or kills processes, everything gets slow.",
	Causes:  []string{"one process leaking memory (named in the evidence when one holds most of it)", "too many applications for the installed memory"},
	Fix:     "Stop or restart the largest process (see host-processes); if one program keeps growing, report the leak to its vendor; otherwise add memory.",
	Why:     "Drawn from host.memory-critical (fail), host.memory-low, host.swap-heavy and host.process-memory-hog (warn); with one process holding most memory, the owner is the vendor.",
}

func ruleMemory(v *View) []Match {
	found := v.Find(codeMemoryCritical, codeMemoryLow, codeSwapHeavy, codeMemoryHog)
	if len(found) == 0 {
		return nil
	}
	m := Match{Confidence: High, Status: worst(found), Evidence: found, Headline: "The machine is short of memory."}
	for _, o := range found {
		if o.Code == codeMemoryHog {
			m.Escalation = Vendor
			if p := evOr([]Obs{o}, "name", "process"); p != "" {
				m.Headline = fmt.Sprintf("The machine is short of memory: %s holds most of it.", p)
			}
		}
	}
	if m.Status.Severity() < report.StatusWarn.Severity() {
		m.Status = report.StatusWarn
	}
	return []Match{m}
}

var specCPU = Spec{
	Code: "cause.cpu-overload", Layer: LayerHost, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "CPU overloaded",
	Meaning: "The CPU is busy or work queues for it (or for disk I/O): everything is slow.",
	Causes:  []string{"a runaway process", "too much work for the machine", "processes waiting on a slow disk (high load, low CPU)"},
	Fix:     "See host-processes for the busiest processes; stop or reschedule the runaway one.",
	Why:     "Drawn from host.cpu-busy and host.load-high.",
}

var specServiceFailed = Spec{
	Code: "cause.service-failed", Layer: LayerHost, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "System service failed",
	Meaning: "A system service (systemd unit, Windows service) has failed.",
	Causes:  []string{"a configuration error after a change", "a dependency missing (disk, network, another service)", "a crash"},
	Fix:     "Read why (systemctl status UNIT; journalctl -u UNIT -b), fix it, and restart the service.",
	Why:     "Drawn from host.service-failed-critical (fail) and host.service-failed (warn).",
}

var specRebootPending = Spec{
	Code: "cause.reboot-pending", Layer: LayerHost, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "Reboot pending",
	Meaning: "Updates wait for a reboot, or the machine has run for a long time without one.",
	Causes:  []string{"updates installed but the reboot postponed"},
	Fix:     "Schedule a reboot with the user.",
	Why:     "Drawn from host.reboot-pending and host.uptime-long; low confidence as a cause of anything else.",
}

var specZombies = Spec{
	Code: "cause.zombie-processes", Layer: LayerHost, Status: report.StatusWarn, Escalation: Vendor,
	Title:   "Zombie processes",
	Meaning: "Many processes have exited but their parent never collected them: a bug in the parent program.",
	Causes:  []string{"a buggy parent process"},
	Fix:     "Restart the parent process (ps -eo pid,ppid,stat,comm | awk '$3 ~ /Z/'), and report the bug to its vendor.",
	Why:     "Drawn from host.zombies.",
}

var specPathDenied = Spec{
	Code: "cause.path-denied", Layer: LayerPerm, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Path not accessible to the user",
	Meaning: "The user lacks a permission on a path: a component's mode bits, group or ACL refuse the access (the evidence names the component and why).",
	Causes:  []string{"the user is not in the owning group (or not logged in again since being added)", "a directory without search (x) permission on the way", "an ACL entry or mask that denies"},
	Fix:     "Grant the access on the named component (chmod, chgrp, setfacl -m u:USER:MODES PATH; Windows: icacls PATH /grant USER:(M)) or add the user to the group.",
	Why:     "Drawn from perm.path-denied and perm.path-acl-denied, one conclusion per path.",
}

func rulePathDenied(v *View) []Match {
	var out []Match
	for _, o := range v.Find(codePathDenied, codePathACLDenied) {
		path := o.Ev("path")
		if path == "" {
			path = o.Target
		}
		// requested is what the user asked for (rw); access is the step
		// that failed, which may be "search" on a directory on the way.
		access := o.Ev("requested")
		if access == "" {
			access = o.Ev("access")
		}
		verb := "access"
		switch {
		case strings.Contains(access, "w"):
			verb = "write"
		case strings.Contains(access, "r"):
			verb = "read"
		case strings.Contains(access, "x"):
			verb = "execute"
		}
		who := "The user"
		if u := o.Ev("user"); u != "" {
			who = "User " + u
		}
		head := fmt.Sprintf("%s cannot %s %s", who, verb, path)
		if c := o.Ev("component"); c != "" && c != path {
			head += ": " + c + " refuses"
		}
		var why []string
		if m := o.Ev("mode"); m != "" {
			why = append(why, "mode "+m)
		}
		if ow := o.Ev("owner"); ow != "" {
			why = append(why, "owner "+ow)
		}
		if r := o.Ev("reason"); r != "" {
			why = append(why, r)
		} else if r := o.Ev("why"); r != "" {
			why = append(why, r)
		}
		if len(why) > 0 {
			head += " (" + strings.Join(why, ", ") + ")"
		}
		out = append(out, Match{Headline: head + ".", Confidence: High, Evidence: []Obs{o}})
	}
	return out
}

var specPathReadOnly = Spec{
	Code: "cause.path-readonly", Layer: LayerPerm, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Path on a read-only mount",
	Meaning: "A path cannot be written because its filesystem (or bind mount) is read-only, whatever the permissions say.",
	Causes:  []string{"a read-only mount option", "a filesystem the kernel remounted read-only after errors"},
	Fix:     "Remount read-write if intended (mount -o remount,rw MOUNT); after errors, check dmesg first.",
	Why:     "Drawn from perm.path-readonly when cause.disk-readonly does not already explain it.",
}

var specPathSpecial = Spec{
	Code: "cause.path-blocked", Layer: LayerPerm, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Path blocked by attribute or security policy",
	Meaning: "The permissions allow the access but something above them refuses: the immutable attribute, SELinux/AppArmor, or the file server.",
	Causes:  []string{"chattr +i on the file", "a wrong SELinux label or an AppArmor profile", "share permissions on an NFS/SMB server"},
	Fix:     "Follow the finding's hint: chattr -i PATH; restorecon -Rv PATH; check the share's server-side permissions.",
	Why:     "Drawn from perm.path-immutable, perm.path-mac-denied and perm.path-denied-unexplained; an unexplained denial goes to storage (the server decides).",
}

func rulePathSpecial(v *View) []Match {
	var out []Match
	for _, o := range v.Find(codePathImmutable, codePathMAC, codePathUnexplained) {
		m := Match{Headline: message([]Obs{o}), Confidence: High, Evidence: []Obs{o}}
		if o.Code == codePathUnexplained {
			m.Escalation, m.Confidence = Storage, Medium
		}
		out = append(out, m)
	}
	return out
}

var specPathMissing = Spec{
	Code: "cause.path-missing", Layer: LayerPerm, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Path missing",
	Meaning: "A path the user needs does not exist (the evidence names the first missing component).",
	Causes:  []string{"a typo", "a share or volume not mounted", "a directory deleted or never created"},
	Fix:     "Check the path, mount the share, or create the directory (mkdir -p).",
	Why:     "Drawn from perm.path-missing when cause.mount-missing does not explain it.",
}

var specNoICMP = Spec{
	Code: "cause.no-ping-permission", Layer: LayerPerm, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "User may not ping",
	Meaning: "This user can open neither raw nor ICMP datagram sockets: ping fails for them, and l2diag measured reachability with TCP instead.",
	Causes:  []string{"net.ipv4.ping_group_range excludes the user's groups", "no CAP_NET_RAW"},
	Fix:     "sysctl -w net.ipv4.ping_group_range=\"0 2147483647\" (persist in /etc/sysctl.d/), or run l2diag as root.",
	Why:     "Drawn from perm.identity-no-icmp; low confidence as the cause of a user's complaint.",
}
