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
		Meaning: "This user cannot ping: it may neither open raw sockets (no CAP_NET_RAW) nor ICMP datagram sockets (net.ipv4.ping_group_range excludes all of its groups), and the system's ping program has no privilege of its own (neither the cap_net_raw file capability nor setuid root). Not reported when ping carries that privilege, as distributions ship it.",
		Hint:    "Restore ping's privilege (`setcap cap_net_raw+p $(command -v ping)`), or admit the user's groups: `sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"` (persist in /etc/sysctl.d/).",
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
	FindingPathStalled = diag.FindingSpec{
		Code: "perm.path-stalled", Status: report.StatusFail,
		Meaning: "Looking up a component of the path did not return before the check's deadline: the file system there hangs, typically a hard NFS or SMB mount whose server is unreachable (the evidence names the component).",
		Hint:    "Check the server and the network path to it (`mount | grep COMPONENT`, `dmesg` for \"server not responding\"); as root, `umount -f -l MOUNTPOINT` releases a dead mount.",
	}
	FindingPathWinDenied = diag.FindingSpec{
		Code: "perm.path-acl-denied", Status: report.StatusFail,
		Meaning: "The file's Windows ACL does not grant the current token the requested rights (evaluated with AccessCheck, so group membership, deny entries and integrity level count).",
		Hint:    "Grant the right on the component the finding names, e.g. `icacls PATH /grant USER:(M)` for modify or `(RX)` for read and execute, or add the user to a group the ACL allows; `icacls PATH` shows the entries.",
	}
)

// sudo, keys and temp findings.
var (
	FindingSudoNoPasswd = diag.FindingSpec{
		Code: "perm.sudo-nopasswd", Status: report.StatusOK,
		Meaning: "The user may run commands with sudo without a password; the evidence lists the rules `sudo -n -l` shows.",
		Hint:    "Nothing to fix if intended; the listed rules are what `sudo` allows without a prompt.",
	}
	FindingSudoPassword = diag.FindingSpec{
		Code: "perm.sudo-password", Status: report.StatusOK,
		Meaning: "sudo wants the user's password before it says anything, which it does both for users with password rules and for users without any rule; l2diag never prompts. Membership in an admin group (sudo, wheel, admin) is given as a clue.",
		Hint:    "The user runs `sudo -l` and types the password: it lists the rules, or says \"Sorry, user ... may not run sudo\". If a password-less rule is expected, check /etc/sudoers.d/ as root with `visudo -c` and `sudo -l -U USER`.",
	}
	FindingSudoDenied = diag.FindingSpec{
		Code: "perm.sudo-denied", Status: report.StatusOK,
		Meaning: "The user may not use sudo on this host (not in sudoers, no matching rule).",
		Hint:    "If the user needs it: add a rule in /etc/sudoers.d/ with `visudo -f /etc/sudoers.d/NAME`, or add the user to the admin group (`usermod -aG sudo USER` on Debian/Ubuntu, `wheel` on RHEL/macOS); effective at the next login.",
	}
	FindingSudoSlow = diag.FindingSpec{
		Code: "perm.sudo-timeout", Status: report.StatusWarn,
		Meaning: "`sudo -n -l` did not answer within the time allowed (perm.sudo.timeout); sudo itself is slow here, usually a sudoers lookup in LDAP/SSSD or an unresolvable host name.",
		Hint:    "Time `sudo -n -l` by hand; check SSSD/LDAP reachability (`sssctl domain-status`), that the host's name resolves (/etc/hosts), and `Defaults !fqdn`.",
	}
	FindingSudoHostname = diag.FindingSpec{
		Code: "perm.sudo-unresolvable-host", Status: report.StatusWarn,
		Meaning: "sudo cannot resolve this machine's own host name, which makes every sudo call slow (a DNS timeout) and can break host-specific rules.",
		Hint:    "Add the host name to /etc/hosts (`127.0.1.1 HOSTNAME`), or fix its DNS record.",
	}
	FindingSudoBroken = diag.FindingSpec{
		Code: "perm.sudo-broken", Status: report.StatusWarn,
		Meaning: "sudo is installed but fails for a reason other than the user's rules (a broken sudoers file, wrong ownership of sudo or its files, nosuid mount); its message is in the evidence.",
		Hint:    "As root: `visudo -c` checks the sudoers files; `ls -l $(command -v sudo)` must show root-owned and setuid (-rwsr-xr-x).",
	}

	FindingKeyExposed = diag.FindingSpec{
		Code: "perm.key-exposed", Status: report.StatusFail,
		Meaning: "A private SSH key is readable or writable by group or others; OpenSSH refuses to use it (\"UNPROTECTED PRIVATE KEY FILE\") and other users may copy it.",
		Hint:    "`chmod 600 KEY`; if other users could read it, treat the key as leaked: replace it and remove the old public key from every authorized_keys.",
	}
	FindingKeyUnreadable = diag.FindingSpec{
		Code: "perm.key-unreadable", Status: report.StatusWarn,
		Meaning: "A private key file in the SSH directory cannot be read by its user, so ssh cannot use it.",
		Hint:    "Give it back to the user: `chown USER KEY && chmod 600 KEY`.",
	}
	FindingSSHStrictModes = diag.FindingSpec{
		Code: "perm.ssh-strictmodes", Status: report.StatusFail,
		Meaning: "The home directory, the SSH directory or authorized_keys is writable by group or others, or owned by another user; sshd (StrictModes, the default) then ignores authorized_keys and key logins fail.",
		Hint:    "`chmod go-w ~ && chmod 700 ~/.ssh && chmod 600 ~/.ssh/authorized_keys`, each owned by the user.",
	}
	FindingCredentialExposed = diag.FindingSpec{
		Code: "perm.credential-exposed", Status: report.StatusFail,
		Meaning: "A credential file the profile lists (perm.credential_files) is readable by every user of the machine.",
		Hint:    "`chmod 600 FILE`, and rotate the secrets in it if other users could have read them.",
	}

	FindingTempMissing = diag.FindingSpec{
		Code: "perm.temp-missing", Status: report.StatusFail,
		Meaning: "The temp directory (TMPDIR, TMP/TEMP on Windows, else the system default) does not exist or is not a directory; programs that create temporary files fail.",
		Hint:    "Create it or point TMPDIR/TMP at an existing directory; the system one is `mkdir -m 1777 /tmp`.",
	}
	FindingTempNotWritable = diag.FindingSpec{
		Code: "perm.temp-not-writable", Status: report.StatusFail,
		Meaning: "The user cannot create a file in the temp directory (permissions, read-only or full file system); the evidence says which.",
		Hint:    "The system temp directory needs mode 1777 (`chmod 1777 /tmp`); a read-only or full file system needs remounting or space.",
	}
	FindingTempNoSticky = diag.FindingSpec{
		Code: "perm.temp-no-sticky", Status: report.StatusWarn,
		Meaning: "The temp directory is writable by everyone but lacks the sticky bit, so any user may delete or replace other users' temporary files.",
		Hint:    "`chmod +t DIR` (the usual mode is 1777).",
	}
	FindingTempLowSpace = diag.FindingSpec{
		Code: "perm.temp-low-space", Status: report.StatusWarn,
		Meaning: "The temp directory's file system has less free space (or free inodes) for this user than perm.temp.min_free_mb / min_free_percent.",
		Hint:    "Free space in the temp directory (old files in /tmp, /var/tmp) or on its file system; `du -xsh /tmp/* | sort -h` shows the largest.",
	}
)
