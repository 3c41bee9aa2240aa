//go:build linux

package permcheck_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// fakeKey looks like a private key to ssh's loader; it is not one.
const fakeKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5LCBqdXN0IGEgdGVzdA==\n-----END OPENSSH PRIVATE KEY-----\n"

func chownTo(t *testing.T, name, path string) {
	t.Helper()
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Lchown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
}

// openDir makes a 0755 directory for files the test user must reach.
func openDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "l2diag-perm-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(d) })
	return d
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func TestKeys(t *testing.T) {
	l := lab.New(t)
	name := lab.RequireUser(t)
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	ns := l.Namespace("keys")
	base := openDir(t)
	// The keys live in the user's real home, as the issue demands; the
	// check reads ssh_dir from the profile so the test's files stay apart
	// from anything else in ~/.ssh.
	sshDir := filepath.Join(u.HomeDir, ".ssh-l2diag-test")
	if err := os.Mkdir(sshDir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(sshDir) })
	chownTo(t, name, sshDir)
	cred := filepath.Join(base, "netrc")
	writeFile(t, cred, "machine example.com login x password y\n", 0o644)
	chownTo(t, name, cred)
	prof := filepath.Join(base, "keys.yaml")
	writeFile(t, prof, "name: keys-test\nperm:\n  ssh_dir: ~/.ssh-l2diag-test\n  credential_files: ["+cred+", "+base+"/absent]\n", 0o644)

	key := filepath.Join(sshDir, "id_ed25519")
	auth := filepath.Join(sshDir, "authorized_keys")
	tests := []struct {
		name     string
		keyMode  os.FileMode
		authMode os.FileMode
		credMode os.FileMode
		want     []string
		wantPath string
	}{
		{"key 0644 flagged", 0o644, 0o600, 0o600, []string{"perm.key-exposed"}, key},
		{"key 0600 clean", 0o600, 0o600, 0o600, nil, ""},
		{"key 0640 flagged", 0o640, 0o600, 0o600, []string{"perm.key-exposed"}, key},
		{"authorized_keys group-writable", 0o600, 0o664, 0o600, []string{"perm.ssh-strictmodes"}, auth},
		{"credential world-readable", 0o600, 0o600, 0o644, []string{"perm.credential-exposed"}, cred},
		{"credential group-readable only", 0o600, 0o600, 0o640, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFile(t, key, fakeKey, tt.keyMode)
			chownTo(t, name, key)
			writeFile(t, auth, "", tt.authMode)
			chownTo(t, name, auth)
			if err := os.Chmod(cred, tt.credMode); err != nil {
				t.Fatal(err)
			}
			rep := runReport(t, ns, name, "--profile", prof)
			var r report.Result
			for _, x := range rep.Results {
				if x.Check == "perm-keys" {
					r = x
				}
			}
			got := codes(r)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("codes = %v, want %v\n%+v", got, tt.want, r)
			}
			if len(tt.want) > 0 {
				f := r.Findings[0]
				if f.Evidence["path"] != tt.wantPath {
					t.Errorf("evidence path = %v, want %s", f.Evidence["path"], tt.wantPath)
				}
				if !strings.Contains(f.Hint, tt.wantPath) {
					t.Errorf("hint %q does not name %s", f.Hint, tt.wantPath)
				}
			}
			if raw, _ := json.Marshal(rep); strings.Contains(string(raw), "bm90IGEga2V5") || strings.Contains(string(raw), "password y") {
				t.Error("key or credential content leaked into the report")
			}
			// OpenSSH agrees: ssh-keygen, run as the user, refuses exactly
			// the keys we flag (it checks the mode before parsing).
			if _, err := exec.LookPath("ssh-keygen"); err == nil {
				out, _ := exec.Command("runuser", "-u", name, "--", "ssh-keygen", "-y", "-P", "", "-f", key).CombinedOutput()
				refused := strings.Contains(string(out), "UNPROTECTED PRIVATE KEY FILE")
				flagged := slices.Contains(got, "perm.key-exposed")
				if refused != flagged {
					t.Errorf("ssh-keygen refuses the key: %v, l2diag flags it: %v\n%s", refused, flagged, out)
				}
			}
		})
	}
	// The findings must survive the bundle's secret scrubber: names like
	// "private_keys" or "credential_files" would make it refuse the bundle.
	t.Run("bundle accepts the findings", func(t *testing.T) {
		writeFile(t, key, fakeKey, 0o644)
		chownTo(t, name, key)
		writeFile(t, auth, "", 0o664)
		chownTo(t, name, auth)
		if err := os.Chmod(cred, 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(base, "bundles")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		chownTo(t, name, out)
		res := ns.L2diagAs(name, "run", "--only", "perm", "--output", "json", "--profile", prof, "--bundle", filepath.Join(out, "b.zip"))
		if res.ExitCode == 64 {
			t.Fatalf("exit 64: %s", res.Stderr)
		}
		if _, err := os.Stat(filepath.Join(out, "b.zip")); err != nil {
			t.Fatalf("no bundle: %v\n%s", err, res.Stderr)
		}
	})
}

func TestTemp(t *testing.T) {
	l := lab.New(t)
	name := lab.RequireUser(t)
	lab.RequireTool(t, "mount")
	ns := l.Namespace("temp")
	base := openDir(t)
	const sticky = os.ModeSticky | 0o777
	mk := func(n string, mode os.FileMode) string {
		p := filepath.Join(base, n)
		if err := os.Mkdir(p, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := mk("good", sticky)
	nosticky := mk("nosticky", 0o777)
	closed := mk("closed", 0o755)
	rosrc := mk("rosrc", sticky)
	ro := mk("ro", sticky)
	sh(t, "mount", "--bind", rosrc, ro)
	t.Cleanup(func() { _ = exec.Command("umount", ro).Run() })
	sh(t, "mount", "-o", "remount,bind,ro", ro)
	relaxed := filepath.Join(base, "relaxed.yaml")
	writeFile(t, relaxed, "name: t\nperm:\n  temp:\n    min_free_mb: 0\n    min_free_percent: 0\n", 0o644)
	strict := filepath.Join(base, "strict.yaml")
	writeFile(t, strict, "name: t\nperm:\n  temp:\n    min_free_mb: 0\n    min_free_percent: 100\n", 0o644)

	tests := []struct {
		name, dir, profile string
		want               []string
		reason, hint       string
	}{
		{"writable with sticky bit", good, relaxed, nil, "", ""},
		{"no sticky bit", nosticky, relaxed, []string{"perm.temp-no-sticky"}, "", "chmod +t " + nosticky},
		{"not writable", closed, relaxed, []string{"perm.temp-not-writable"}, "other-mode", "chmod o+w " + closed},
		{"read-only mount", ro, relaxed, []string{"perm.temp-not-writable"}, "read-only-mount", "remount"},
		{"missing", filepath.Join(base, "absent"), relaxed, []string{"perm.temp-missing"}, "", ""},
		{"low space", good, strict, []string{"perm.temp-low-space"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ns.L2diagAsEnv(name, []string{"TMPDIR=" + tt.dir}, "run", "--only", "perm", "--no-bundle", "--output", "json", "--profile", tt.profile)
			rep, err := report.Decode([]byte(res.Stdout))
			if err != nil {
				t.Fatalf("exit %d: %v\n%s\n%s", res.ExitCode, err, res.Stdout, res.Stderr)
			}
			var r report.Result
			for _, x := range rep.Results {
				if x.Check == "perm-temp" {
					r = x
				}
			}
			if r.Target != tt.dir {
				t.Fatalf("target = %q, want %q", r.Target, tt.dir)
			}
			got := codes(r)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("codes = %v, want %v\n%+v", got, tt.want, r)
			}
			if tt.reason != "" && r.Findings[0].Evidence["reason"] != tt.reason {
				t.Errorf("reason = %v, want %s (%s)", r.Findings[0].Evidence["reason"], tt.reason, r.Findings[0].Message)
			}
			if tt.hint != "" && !strings.Contains(r.Findings[0].Hint, tt.hint) {
				t.Errorf("hint %q lacks %q", r.Findings[0].Hint, tt.hint)
			}
			// The kernel agrees on writability.
			writable := exec.Command("runuser", "-u", name, "--", "test", "-w", tt.dir).Run() == nil
			if wantW := !strings.Contains(strings.Join(got, ","), "not-writable") && !strings.Contains(strings.Join(got, ","), "missing"); writable != wantW {
				t.Errorf("kernel says writable=%v, l2diag says %v", writable, wantW)
			}
		})
	}
}
