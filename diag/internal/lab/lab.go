// Package lab builds real test networks for l2diag's tests: network
// namespaces joined by veth pairs, nft rules that drop, reject or lose
// packets, real processes started inside a namespace, and the built l2diag
// binary run there with the namespace's own /etc/resolv.conf and /etc/hosts.
// Everything is torn down by t.Cleanup, also when the test fails.
//
// Tests that use it need root, ip and nft; without them they skip with the
// reason. CI (.ci/run) runs as root with both installed.
package lab

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// cmdTimeout bounds every helper command so a wedged tool cannot hang a test.
const cmdTimeout = 30 * time.Second

// Require skips t unless the lab can run here: root, ip and nft present.
func Require(t testing.TB) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skipf("lab: network namespaces need Linux, this is %s", runtime.GOOS)
	}
	if os.Geteuid() != 0 {
		t.Skip("lab: needs root to create network namespaces (CI runs as root)")
	}
	for _, tool := range []string{"ip", "nft"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("lab: %s not installed (apt-get install iproute2 nftables)", tool)
		}
	}
}

// RequireTool skips t when a program the test needs is not installed.
func RequireTool(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("lab: %s not installed (.ci/run installs it)", tool)
		}
	}
}

// Lab is one test's set of namespaces.
type Lab struct {
	t      testing.TB
	prefix string
	n      int
}

// New returns a lab whose namespaces are removed when t ends.
func New(t testing.TB) *Lab {
	t.Helper()
	Require(t)
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return &Lab{t: t, prefix: "l2d" + hex.EncodeToString(b)}
}

// NS is a network namespace of the lab.
type NS struct {
	lab  *Lab
	Name string
}

// Namespace creates a namespace with loopback up. Its /etc/resolv.conf and
// /etc/hosts start empty-ish (see SetResolvConf, SetHosts) so nothing of the
// host's configuration leaks into a test.
func (l *Lab) Namespace(label string) *NS {
	l.t.Helper()
	l.n++
	name := fmt.Sprintf("%s-%d-%s", l.prefix, l.n, label)
	ns := &NS{lab: l, Name: name}
	mustRun(l.t, "ip", "netns", "add", name)
	l.t.Cleanup(func() {
		// Kill anything still running in it, then remove it and its /etc.
		if out, err := run("ip", "netns", "pids", name); err == nil {
			for _, pid := range strings.Fields(out) {
				_, _ = run("kill", "-9", pid)
			}
		}
		_, _ = run("ip", "netns", "del", name)
		_ = os.RemoveAll(filepath.Join("/etc/netns", name))
	})
	ns.MustRun("ip", "link", "set", "lo", "up")
	ns.SetResolvConf("")
	ns.SetHosts("127.0.0.1 localhost\n::1 localhost\n")
	return ns
}

// Link joins a and b with a veth pair; aAddr and bAddr are CIDR addresses
// ("10.9.0.1/24"), either may be empty. It returns the interface names.
func (l *Lab) Link(a *NS, aAddr string, b *NS, bAddr string) (aIf, bIf string) {
	l.t.Helper()
	l.n++
	aIf, bIf = fmt.Sprintf("v%da", l.n), fmt.Sprintf("v%db", l.n)
	// Create in a, move the peer to b: names only need to be unique per ns.
	a.MustRun("ip", "link", "add", aIf, "type", "veth", "peer", "name", bIf)
	a.MustRun("ip", "link", "set", bIf, "netns", b.Name)
	for _, x := range []struct {
		ns   *NS
		ifn  string
		addr string
	}{{a, aIf, aAddr}, {b, bIf, bAddr}} {
		if x.addr != "" {
			args := []string{"addr", "add", x.addr, "dev", x.ifn}
			if strings.Contains(x.addr, ":") {
				args = append(args, "nodad")
			}
			x.ns.MustRun(append([]string{"ip"}, args...)...)
		}
		x.ns.MustRun("ip", "link", "set", x.ifn, "up")
	}
	return aIf, bIf
}

// Run runs a command inside the namespace and returns its combined output.
func (ns *NS) Run(args ...string) (string, error) {
	return run(append([]string{"ip", "netns", "exec", ns.Name}, args...)...)
}

// MustRun is Run that fails the test on error.
func (ns *NS) MustRun(args ...string) string {
	ns.lab.t.Helper()
	out, err := ns.Run(args...)
	if err != nil {
		ns.lab.t.Fatalf("lab: in %s: %s: %v\n%s", ns.Name, strings.Join(args, " "), err, out)
	}
	return out
}

// Nft loads an nft ruleset (nft -f syntax) into the namespace.
func (ns *NS) Nft(ruleset string) {
	ns.lab.t.Helper()
	cmd := exec.Command("ip", "netns", "exec", ns.Name, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(ruleset)
	if out, err := cmd.CombinedOutput(); err != nil {
		ns.lab.t.Fatalf("lab: nft in %s: %v\n%s\nruleset:\n%s", ns.Name, err, out, ruleset)
	}
}

// Forward enables IPv4 and IPv6 forwarding in the namespace (a router).
func (ns *NS) Forward() {
	ns.MustRun("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
	ns.MustRun("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1")
}

// Route adds a route: Route("default", "via", "10.9.0.1").
func (ns *NS) Route(args ...string) {
	ns.MustRun(append([]string{"ip", "route", "add"}, args...)...)
}

func (ns *NS) etcFile(name, content string) {
	ns.lab.t.Helper()
	dir := filepath.Join("/etc/netns", ns.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		ns.lab.t.Fatalf("lab: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		ns.lab.t.Fatalf("lab: %v", err)
	}
}

// SetResolvConf sets the namespace's /etc/resolv.conf (ip netns exec binds
// /etc/netns/NAME/resolv.conf over /etc/resolv.conf).
func (ns *NS) SetResolvConf(content string) { ns.etcFile("resolv.conf", content) }

// SetHosts sets the namespace's /etc/hosts.
func (ns *NS) SetHosts(content string) { ns.etcFile("hosts", content) }

// Start starts a long-running process inside the namespace; it is killed
// when the test ends. Its output is kept for Logs.
func (ns *NS) Start(args ...string) *Proc {
	ns.lab.t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns.Name}, args...)...)
	p := &Proc{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout = &p.out
	cmd.Stderr = &p.out
	if err := cmd.Start(); err != nil {
		ns.lab.t.Fatalf("lab: start %s in %s: %v", strings.Join(args, " "), ns.Name, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	ns.lab.t.Cleanup(p.Stop)
	return p
}

// Proc is a process started in a namespace.
type Proc struct {
	cmd    *exec.Cmd
	out    syncBuffer
	errOut syncBuffer // stderr when kept apart from stdout (Wine.Start)
	done   chan struct{}
	err    error
}

// Signal sends sig to the process (ip netns exec execs in place, so it is
// the program's own PID).
func (p *Proc) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Wait waits up to timeout for the process to end and returns what it
// printed; ok is false (and the process still runs) when it did not end.
func (p *Proc) Wait(timeout time.Duration) (res Result, ok bool) {
	select {
	case <-p.done:
	case <-time.After(timeout):
		return Result{Stdout: p.out.String(), Stderr: p.errOut.String()}, false
	}
	res = Result{Stdout: p.out.String(), Stderr: p.errOut.String(), ExitCode: p.cmd.ProcessState.ExitCode()}
	return res, true
}

// Stop kills the process and waits for it.
func (p *Proc) Stop() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
	}
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
}

// Exited reports whether the process has ended, and its error.
func (p *Proc) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// Logs returns what the process printed so far.
func (p *Proc) Logs() string { return p.out.String() }

// WaitTCP waits until something accepts TCP connections on addr inside the
// namespace (for a server just started), failing the test after timeout.
func (ns *NS) WaitTCP(addr string, timeout time.Duration) {
	ns.lab.t.Helper()
	end := time.Now().Add(timeout)
	for time.Now().Before(end) {
		// bash's /dev/tcp avoids needing nc in the image.
		if _, err := ns.Run("timeout", "1", "bash", "-c", "exec 3<>/dev/tcp/"+strings.Replace(addr, ":", "/", 1)); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ns.lab.t.Fatalf("lab: nothing listens on %s in %s after %s", addr, ns.Name, timeout)
}

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// Binary builds cmd/l2diag once per test process and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := processTempDir("l2diag-bin-")
		if err != nil {
			buildErr = err
			return
		}
		// Others must be able to run it (unprivileged tests).
		_ = os.Chmod(dir, 0o755)
		buildPath = filepath.Join(dir, "l2diag")
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		// The strict build panics on a finding code a check's spec
		// does not declare (diag.Spec.Undeclared): every lab run of a
		// real fault checks the registration end to end.
		cmd := exec.Command("go", "build", "-tags", "l2diag_strict", "-o", buildPath, "./cmd/l2diag")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("lab: %v", buildErr)
	}
	return buildPath
}

// staleAfter is the age past which a build or prefix directory of an
// earlier test process is removed: no test process lives that long (CI's
// go test -timeout is 30m), and one that was killed never cleaned up.
const staleAfter = time.Hour

// processTempDir makes a temporary directory for what a test process
// builds once and shares among its tests (the binary, the Windows exe, the
// wine prefix template), which no test's Cleanup may remove. It first
// removes such directories of earlier processes older than staleAfter, so
// they do not fill the disk run after run; RemoveProcessDirs removes this
// process's own at its end (TestMain).
func processTempDir(prefix string) (string, error) {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), prefix+"*"))
	for _, d := range old {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() && time.Since(fi.ModTime()) > staleAfter {
			_ = os.RemoveAll(d)
		}
	}
	dir, err := os.MkdirTemp("", prefix)
	if err == nil {
		processDirs.Lock()
		processDirs.list = append(processDirs.list, dir)
		processDirs.Unlock()
	}
	return dir, err
}

var processDirs struct {
	sync.Mutex
	list []string
}

// Main runs the tests of a package that uses the lab and removes what the
// process built once (RemoveProcessDirs): call it as the package's
// TestMain, func TestMain(m *testing.M) { lab.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	RemoveProcessDirs()
	os.Exit(code)
}

// RemoveProcessDirs removes what this test process built once (binaries,
// the Windows exe, the wine prefix template). Call it from TestMain after
// m.Run: the prefix template alone is about 700 MB.
func RemoveProcessDirs() {
	processDirs.Lock()
	defer processDirs.Unlock()
	for _, d := range processDirs.list {
		_ = os.RemoveAll(d)
	}
	processDirs.list = nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("lab: go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// Result is what a run of the l2diag binary produced.
type Result struct {
	Stdout, Stderr string
	ExitCode       int
	// MaxRSSKiB is the process's peak resident set (rusage ru_maxrss;
	// 0 where the OS does not say). ip netns exec, setpriv and prlimit
	// exec the binary, so it is l2diag's own.
	MaxRSSKiB int64
	// CPU is the process's user plus system time: on a loaded machine a
	// steadier measure of its cost than the wall time.
	CPU time.Duration
}

// L2diag runs the built binary inside the namespace with args, as root.
func (ns *NS) L2diag(args ...string) Result {
	ns.lab.t.Helper()
	return ns.runBinary(nil, args)
}

// L2diagNofile runs the built binary inside the namespace, as root, under
// a hard and soft file-descriptor limit of n (prlimit), as on managed
// desktops and in containers that cap RLIMIT_NOFILE.
func (ns *NS) L2diagNofile(n int, args ...string) Result {
	ns.lab.t.Helper()
	RequireTool(ns.lab.t, "prlimit")
	return ns.runBinary([]string{"prlimit", fmt.Sprintf("--nofile=%d:%d", n, n), "--"}, args)
}

// L2diagAs runs the built binary inside the namespace as an unprivileged
// user (setpriv drops to the user's uid, gid and groups, and clears
// capabilities).
func (ns *NS) L2diagAs(user string, args ...string) Result {
	ns.lab.t.Helper()
	prefix := []string{"setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--inh-caps=-all", "--"}
	return ns.runBinary(prefix, args)
}

func (ns *NS) runBinary(prefix, args []string) Result {
	ns.lab.t.Helper()
	bin := Binary(ns.lab.t)
	full := append([]string{"netns", "exec", ns.Name}, prefix...)
	full = append(full, bin)
	full = append(full, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", full...)
	cmd.Dir = os.TempDir()
	return runResult(ns.lab.t, cmd, "run l2diag in "+ns.Name)
}

// runResult runs cmd and returns its output and exit code; a command that
// could not run at all (or was killed) fails the test.
func runResult(t testing.TB, cmd *exec.Cmd, what string) Result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	if cmd.ProcessState != nil {
		res.MaxRSSKiB = maxRSSKiB(cmd.ProcessState)
		res.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.ExitCode = ee.ExitCode()
	default:
		t.Fatalf("lab: %s: %v\nstdout:\n%s\nstderr:\n%s", what, err, res.Stdout, res.Stderr)
	}
	return res
}

func run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput()
	return string(out), err
}

func mustRun(t testing.TB, args ...string) string {
	t.Helper()
	out, err := run(args...)
	if err != nil {
		t.Fatalf("lab: %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestUser is the unprivileged account .ci/run creates for tests that must
// run as a real non-root user.
const TestUser = "l2diagtest"

// RequireUser skips t unless the unprivileged test user exists, and
// returns its name.
func RequireUser(t testing.TB) string {
	t.Helper()
	if _, err := run("id", TestUser); err != nil {
		t.Skipf("lab: user %s does not exist (.ci/run creates it: useradd -m %s)", TestUser, TestUser)
	}
	return TestUser
}
