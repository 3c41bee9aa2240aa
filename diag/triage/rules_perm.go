package triage

import "github.com/l2diag/l2diag/report"

// Permissions beyond paths: secrets, SSH, sudo and the temp directory.

var specSecretExposed = Spec{
	Code: "cause.secret-exposed", Layer: LayerPerm, Status: report.StatusFail, Escalation: Security,
	Title:   "Private key or credentials readable by others",
	Meaning: "A private SSH key or a credential file can be read by other users: OpenSSH refuses such a key, and the secret must be considered leaked.",
	Causes:  []string{"a copy or unpack that lost the file modes", "a umask of 022 when the file was created", "a shared home directory"},
	Fix:     "chmod 600 the file now; tell the security team so the key or secret is replaced, since others could have copied it.",
	Why:     "Drawn from perm.key-exposed and perm.credential-exposed; the owner is security because the secret must be rotated, not just protected.",
}

var specSSHLogin = Spec{
	Code: "cause.ssh-key-login-broken", Layer: LayerPerm, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "SSH key login refused by modes",
	Meaning: "sshd ignores authorized_keys (StrictModes) or ssh cannot read the private key, so key logins fail and fall back to a password.",
	Causes:  []string{"a home or ~/.ssh directory writable by the group", "files owned by another user after a copy as root"},
	Fix:     "chmod go-w ~; chmod 700 ~/.ssh; chmod 600 ~/.ssh/authorized_keys and the keys, all owned by the user.",
	Why:     "Drawn from perm.ssh-strictmodes (fail) and perm.key-unreadable (warn).",
}

var specTemp = Spec{
	Code: "cause.temp-unusable", Layer: LayerPerm, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Temp directory unusable",
	Meaning: "The temp directory is missing, not writable, unsafe (no sticky bit) or nearly full: installers, browsers and office programs fail in odd ways.",
	Causes:  []string{"TMPDIR/TMP pointing at a removed directory", "wrong mode on /tmp after a restore", "a full file system"},
	Fix:     "Follow the finding's hint: mkdir -m 1777 /tmp, chmod 1777 /tmp, or free space there.",
	Why:     "Drawn from perm.temp-missing, perm.temp-not-writable (fail), perm.temp-no-sticky and perm.temp-low-space (warn); cause.disk-full explains low space on the same file system.",
}

var specSudo = Spec{
	Code: "cause.sudo-broken", Layer: LayerPerm, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "sudo slow or broken",
	Meaning: "sudo hangs or fails for reasons other than the user's rules: an unresolvable host name, an LDAP/SSSD lookup, a broken sudoers file.",
	Causes:  []string{"the machine's own host name does not resolve", "LDAP/SSSD unreachable", "a syntax error in /etc/sudoers.d"},
	Fix:     "Add the host name to /etc/hosts, check SSSD (sssctl domain-status), and run visudo -c as root.",
	Why:     "Drawn from perm.sudo-timeout, perm.sudo-unresolvable-host and perm.sudo-broken.",
}
