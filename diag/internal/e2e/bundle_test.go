// Package e2e runs the built l2diag binary end to end inside namespace
// labs: whole runs, their bundles and the commands that read them.
package e2e

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report/bundle"
)

// Fake secrets seeded into the environment and the command line; none may
// reach a bundle.
const (
	fakeToken   = "ATATT3xFakeE2eTokenValue0123456789abcdefXYZ"
	fakePass    = "e2eUrlPassw0rd"
	fakeEnvPass = "e2e-env-password-42"
)

// zipContains reports which of values occur (case-insensitively) in which
// files of the zip at path.
func zipContains(t *testing.T, path string, values ...string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var hits []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		low := strings.ToLower(string(data))
		for _, v := range values {
			if v != "" && strings.Contains(low, strings.ToLower(v)) {
				hits = append(hits, f.Name+": "+v)
			}
		}
	}
	return hits
}

// TestBundlesOfTwoRealRuns runs l2diag twice in an isolated namespace:
// between the runs the resolver changes and a TCP service stops. Both
// bundles verify, a flipped byte fails verification, `bundle diff` names
// the changed DNS server and the newly failing check, and no seeded
// secret reaches either bundle.
func TestBundlesOfTwoRealRuns(t *testing.T) {
	lab.RequireTool(t, "dnsmasq")
	l := lab.New(t)
	ns := l.Namespace("bundle")
	ns.SetResolvConf("nameserver 10.9.0.53\n")
	svc := ns.Start("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=5353", "--listen-address=127.0.0.1",
		"--bind-interfaces", "--no-resolv", "--no-hosts")
	ns.WaitTCP("127.0.0.1:5353", 10*time.Second)
	t.Setenv("L2DIAG_E2E_API_TOKEN", fakeToken)
	t.Setenv("E2E_DB_PASSWORD", fakeEnvPass)

	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.zip"), filepath.Join(dir, "b.zip")
	args := func(bundle string) []string {
		return []string{"run", "--only", "net,dns", "--tcp", "127.0.0.1:5353", "--http", "http://svc:" + fakePass + "@127.0.0.1:5353/",
			"--timeout", "20s", "--bundle", bundle}
	}
	resA := ns.L2diag(args(a)...)
	if resA.ExitCode == 64 || !strings.Contains(resA.Stderr, "bundle written to "+a) {
		t.Fatalf("run A: exit %d\nstderr:\n%s", resA.ExitCode, resA.Stderr)
	}
	svc.Stop()
	ns.SetResolvConf("nameserver 10.9.0.54\n")
	resB := ns.L2diag(args(b)...)
	if resB.ExitCode == 64 || !strings.Contains(resB.Stderr, "bundle written to "+b) {
		t.Fatalf("run B: exit %d\nstderr:\n%s", resB.ExitCode, resB.Stderr)
	}

	for _, p := range []string{a, b} {
		if v := ns.L2diag("bundle", "verify", p); v.ExitCode != 0 {
			t.Errorf("verify %s: exit %d\n%s%s", p, v.ExitCode, v.Stdout, v.Stderr)
		}
		if hits := zipContains(t, p, fakeToken, fakePass, fakeEnvPass); len(hits) > 0 {
			t.Errorf("secrets in %s: %v", p, hits)
		}
	}

	diff := ns.L2diag("bundle", "diff", a, b)
	if diff.ExitCode != 0 {
		t.Fatalf("diff: exit %d\n%s", diff.ExitCode, diff.Stderr)
	}
	for _, want := range []string{"dns_servers", "10.9.0.53", "10.9.0.54", "net-tcp 127.0.0.1:5353: ok → fail"} {
		if !strings.Contains(diff.Stdout, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff.Stdout)
		}
	}

	// Flip a byte in the middle of the log's compressed data.
	data, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(strings.NewReader(string(data)), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var off int64
	for _, f := range zr.File {
		if f.Name == "l2diag.log" {
			off, _ = f.DataOffset()
			off += int64(f.CompressedSize64 / 2)
		}
	}
	data[off] ^= 0x20
	broken := filepath.Join(dir, "broken.zip")
	if err := os.WriteFile(broken, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if v := ns.L2diag("bundle", "verify", broken); v.ExitCode == 0 {
		t.Errorf("verify of a flipped byte: exit 0\n%s", v.Stdout)
	}
}

// TestRedactedRun: with --redact, nothing that identifies this machine
// (hostname, username, addresses, MACs of the namespace) is in the
// bundle, and the mapping lies beside it.
func TestRedactedRun(t *testing.T) {
	l := lab.New(t)
	ns := l.Namespace("redact")
	peer := l.Namespace("peer")
	l.Link(ns, "10.77.5.10/24", peer, "10.77.5.1/24")
	ns.Route("default", "via", "10.77.5.1")
	ns.SetResolvConf("nameserver 10.77.5.1\nsearch corp.example.net\n")
	macOut := ns.MustRun("cat", "/sys/class/net/"+firstVeth(t, ns)+"/address")
	mac := strings.TrimSpace(macOut)
	host, _ := os.Hostname()

	dir := t.TempDir()
	zipPath := filepath.Join(dir, "r.zip")
	res := ns.L2diag("run", "--only", "net,dns", "--ping", "10.77.5.1", "--timeout", "20s", "--redact", "--bundle", zipPath)
	if res.ExitCode == 64 {
		t.Fatalf("exit 64\n%s", res.Stderr)
	}
	if !strings.Contains(res.Stderr, "redaction map written to") {
		t.Errorf("stderr does not name the redaction map:\n%s", res.Stderr)
	}
	real := []string{"10.77.5.10", "10.77.5.1", mac, "corp.example.net"}
	if len(host) >= 3 {
		real = append(real, host)
	}
	if hits := zipContains(t, zipPath, real...); len(hits) > 0 {
		t.Errorf("real identifiers in the redacted bundle: %v", hits)
	}
	if _, err := os.Stat(bundle.RedactionMapPath(zipPath)); err != nil {
		t.Errorf("no redaction map beside the bundle: %v", err)
	}
	if v := ns.L2diag("bundle", "verify", zipPath); v.ExitCode != 0 {
		t.Errorf("verify: exit %d\n%s", v.ExitCode, v.Stdout)
	}
}

func firstVeth(t *testing.T, ns *lab.NS) string {
	t.Helper()
	out := ns.MustRun("ls", "/sys/class/net")
	for _, n := range strings.Fields(out) {
		if n != "lo" {
			return n
		}
	}
	t.Fatal("no veth in the namespace")
	return ""
}

// TestUnwritableBundleDir: an unprivileged user pointing --bundle at a
// directory it cannot write gets exit 64 before anything runs.
func TestUnwritableBundleDir(t *testing.T) {
	user := lab.RequireUser(t)
	l := lab.New(t)
	ns := l.Namespace("ro")
	// Under /tmp, not t.TempDir(): its root-only parent would stop the
	// user at the stat, not at the write.
	dir, err := os.MkdirTemp("", "l2diag-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	res := ns.L2diagAs(user, "run", "--only", "perm", "--bundle", filepath.Join(dir, "x.zip"))
	if res.ExitCode != 64 || !strings.Contains(res.Stderr, "not writable") {
		t.Errorf("exit %d, stderr %q; want 64 and 'not writable'", res.ExitCode, res.Stderr)
	}
}
