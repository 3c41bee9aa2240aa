package permcheck

import (
	"slices"
	"testing"
	"time"
)

const sudoListOutput = `Matching Defaults entries for bob on vm:
    env_reset, mail_badpass,
    secure_path=/usr/local/sbin\:/usr/local/bin\:/usr/sbin\:/usr/bin\:/sbin\:/bin,
    use_pty

User bob may run the following commands on vm:
    (root) NOPASSWD: /usr/bin/id
    (ALL : ALL) ALL
`

func TestParseSudoList(t *testing.T) {
	got := parseSudoList(sudoListOutput)
	want := []string{"(root) NOPASSWD: /usr/bin/id", "(ALL : ALL) ALL"}
	if !slices.Equal(got.rules, want) {
		t.Errorf("rules = %q, want %q", got.rules, want)
	}
	if !slices.Equal(got.nopasswd, want[:1]) {
		t.Errorf("nopasswd = %q, want %q", got.nopasswd, want[:1])
	}
}

func TestSudoResult(t *testing.T) {
	tests := []struct {
		name  string
		o     sudoOutcome
		codes []string
	}{
		{"nopasswd rule", sudoOutcome{stdout: sudoListOutput}, []string{"perm.sudo-nopasswd"}},
		{"rules with password only", sudoOutcome{stdout: "User bob may run the following commands on vm:\n    (ALL) ALL\n"}, []string{"perm.sudo-password"}},
		{"password required", sudoOutcome{exitCode: 1, stderr: "sudo: a password is required\n"}, []string{"perm.sudo-password"}},
		{"not allowed", sudoOutcome{exitCode: 1, stderr: "Sorry, user bob may not run sudo on vm.\n"}, []string{"perm.sudo-denied"}},
		{"unresolvable host", sudoOutcome{exitCode: 1, stderr: "sudo: unable to resolve host vm: Name or service not known\nsudo: a password is required\n"}, []string{"perm.sudo-unresolvable-host", "perm.sudo-password"}},
		{"timeout", sudoOutcome{exitCode: -1, timedOut: true, timeout: time.Second}, []string{"perm.sudo-timeout"}},
		{"nosuid", sudoOutcome{exitCode: 1, stderr: "sudo: effective uid is not 0, is /usr/bin/sudo on a file system with the 'nosuid' option set?\n"}, []string{"perm.sudo-broken"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := sudoResult(tt.o)
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Code)
			}
			if !slices.Equal(got, tt.codes) {
				t.Errorf("codes = %v, want %v (summary %q)", got, tt.codes, res.Summary)
			}
		})
	}
}
