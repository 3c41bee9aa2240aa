package permcheck

import (
	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// The finding codes of the permission checks. They are a contract with
// scripts and ticket automation: never rename one.
var (
	// identity

	FindingElevated = diag.FindingSpec{
		Code: "perm.identity-elevated", Status: report.StatusOK,
		Meaning: "l2diag runs as root or an elevated Administrator, so its path checks show what that account may do, not what the affected user may do.",
		Hint:    "To see the user's own access, run l2diag as that user, without sudo or \"Run as administrator\".",
	}
	FindingNoICMP = diag.FindingSpec{
		Code: "perm.identity-no-icmp", Status: report.StatusWarn,
		Meaning: "This user may neither open raw sockets (no CAP_NET_RAW) nor ICMP datagram sockets (net.ipv4.ping_group_range excludes all of its groups), so programs without their own privileges cannot ping.",
		Hint:    "Admit the user's groups: `sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"` (persist in /etc/sysctl.d/), or run l2diag as root.",
	}

	// path

	FindingPathDenied = diag.FindingSpec{
		Code: "perm.path-denied", Status: report.StatusFail,
		Meaning: "A component of the path refuses the requested access to this user: mode bits, group membership or a POSIX ACL entry (the evidence names the component, its owner, group, mode and the reason).",
		Hint:    "Grant the access on the component the finding names: `chmod`, `chgrp`, `setfacl -m u:USER:MODES PATH`, or add the user to the owning group (`usermod -aG GROUP USER`, then log in again).",
	}
	FindingPathMissing = diag.FindingSpec{
		Code: "perm.path-missing", Status: report.StatusFail,
		Meaning: "A component of the path does not exist (or is not a directory), so the path cannot be reached; the evidence names the first missing component.",
		Hint:    "Check the path for typos, whether the share or volume is mounted, and create the missing directory (`mkdir -p`) if it should exist.",
	}
	FindingPathReadOnly = diag.FindingSpec{
		Code: "perm.path-readonly", Status: report.StatusFail,
		Meaning: "Write access is refused because the file system (or this bind mount of it) is mounted read-only, whatever the mode bits say.",
		Hint:    "Remount read-write if that is intended (`mount -o remount,rw MOUNTPOINT`, or fix the fstab/automount options); a file system that went read-only on its own had errors: check `dmesg`.",
	}
	FindingPathImmutable = diag.FindingSpec{
		Code: "perm.path-immutable", Status: report.StatusFail,
		Meaning: "Write access is refused because the file has the immutable (or append-only) attribute; not even root may change it.",
		Hint:    "If the attribute is not deliberate, remove it as root: `chattr -i PATH` (`chattr -a` for append-only); `lsattr PATH` shows it.",
	}
	FindingPathMAC = diag.FindingSpec{
		Code: "perm.path-mac-denied", Status: report.StatusFail,
		Meaning: "Mode bits and ACLs allow the access but the kernel refuses it: a mandatory access control policy (SELinux or AppArmor) or another security module denies it.",
		Hint:    "Look for the denial: SELinux `ausearch -m avc -ts recent` (fix labels with `restorecon -Rv PATH`), AppArmor `journalctl -k | grep apparmor=\"DENIED\"`.",
	}
	FindingPathUnexplained = diag.FindingSpec{
		Code: "perm.path-denied-unexplained", Status: report.StatusFail,
		Meaning: "The kernel refuses the access but neither mode bits, ACLs, mount options nor attributes explain it (for example a network file system deciding on the server, or a security module l2diag cannot see).",
		Hint:    "Check the server side of network file systems (NFS/SMB export and share permissions) and the kernel log (`dmesg`, `journalctl -k`) for the denial.",
	}
	FindingPathWinDenied = diag.FindingSpec{
		Code: "perm.path-acl-denied", Status: report.StatusFail,
		Meaning: "The file's Windows ACL does not grant the current token the requested rights (evaluated with AccessCheck, so group membership, deny entries and integrity level count).",
		Hint:    "Grant the right on the component the finding names, e.g. `icacls PATH /grant USER:(M)` for modify or `(RX)` for read and execute, or add the user to a group the ACL allows; `icacls PATH` shows the entries.",
	}
)

// allFindings lists every code above, in documentation order.
var allFindings = []diag.FindingSpec{
	FindingElevated, FindingNoICMP,
	FindingPathDenied, FindingPathMissing, FindingPathReadOnly, FindingPathImmutable,
	FindingPathMAC, FindingPathUnexplained, FindingPathWinDenied,
}
