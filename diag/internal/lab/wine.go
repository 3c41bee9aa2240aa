//go:build linux

package lab

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The Windows tier runs the GOOS=windows build of l2diag under Debian's
// wine 8.0 inside a namespace of the test's own. Two things wine lacks are
// supplied here (docs/windows.md, "The Windows test tier"):
//
//   - bcryptprimitives.dll: Go >= 1.24 loads it from system32 at start and
//     calls ProcessPrng; wine 8.0 has none, so every exe dies at once. A
//     6 KiB shim (wineshim/, built with mingw) goes into the prefix.
//   - SIO_UDP_NETRESET: Go's net package sets it on every UDP socket and
//     fails the dial when wine answers WSAEOPNOTSUPP. WineExe(t, true)
//     builds a second, test-only exe with a build overlay that ignores
//     exactly that error; the shipped exe stays unpatched and its UDP
//     failure must read as this machine's error.

const (
	// wineBootTimeout bounds wineboot -i, which takes about 20 s on an idle
	// machine and much longer on a loaded CI runner.
	wineBootTimeout = 5 * time.Minute
	// wineRunTimeout bounds one program run under wine (l2diag's own
	// budget is far smaller; this only guards against a wedged wine).
	wineRunTimeout = 3 * time.Minute
)

// wine64 finds Debian's 64-bit loader: wine64 on PATH (older packages) or
// /usr/lib/wine/wine64 (bookworm's wine64 package).
func wine64() string {
	if p, err := exec.LookPath("wine64"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/lib/wine/wine64"); err == nil {
		return "/usr/lib/wine/wine64"
	}
	return ""
}

func wineserver() string {
	for _, p := range []string{"/usr/lib/wine/wineserver64", "/usr/lib/wine/wineserver"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("wineserver")
	return p
}

// RequireWine skips t unless the Windows tier can run here: the lab (root,
// ip, nft), wine64 and the mingw compiler for the shim.
func RequireWine(t testing.TB) {
	t.Helper()
	Require(t)
	if wine64() == "" || wineserver() == "" {
		t.Skip("lab: wine64 not installed (apt-get install wine wine64; .ci/run installs it)")
	}
	if _, err := exec.LookPath("x86_64-w64-mingw32-gcc"); err != nil {
		t.Skip("lab: x86_64-w64-mingw32-gcc not installed (apt-get install gcc-mingw-w64-x86-64) to build the bcryptprimitives.dll shim")
	}
}

type onceResult struct {
	once sync.Once
	path string
	err  error
}

var (
	exeBuild    [2]onceResult // [0] shipped, [1] with the UDP overlay
	templateDir onceResult
)

// WineExe builds the Windows amd64 exe once per test process and returns
// its path. udpFix builds the test-only variant whose UDP sockets work
// under wine; without it the exe is exactly what ships.
func WineExe(t testing.TB, udpFix bool) string {
	t.Helper()
	i := 0
	if udpFix {
		i = 1
	}
	b := &exeBuild[i]
	b.once.Do(func() { b.path, b.err = buildWindowsExe(udpFix) })
	if b.err != nil {
		t.Fatalf("lab: %v", b.err)
	}
	return b.path
}

func buildWindowsExe(udpFix bool) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir, err := processTempDir("l2diag-winexe-")
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "l2diag.exe")
	args := []string{"build", "-o", out}
	if udpFix {
		overlay, err := udpOverlay(dir)
		if err != nil {
			return "", err
		}
		args = append(args, "-overlay", overlay)
	}
	cmd := exec.Command("go", append(args, "./cmd/l2diag")...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build (windows/amd64): %v\n%s", err, b)
	}
	return out, nil
}

// udpOverlay writes a go build -overlay that lets net's UDP sockets open
// under wine 8.0 (see the package comment of this file). It fails when
// the Go source no longer matches, so a toolchain change is noticed.
func udpOverlay(dir string) (string, error) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "src", "net", "fd_windows.go")
	b, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	const old = "err = syscall.WSAIoctl(fd.pfd.Sysfd, windows.SIO_UDP_NETRESET, (*byte)(unsafe.Pointer(&flag)), size, nil, 0, &ret, nil, 0)\n\t\tif err != nil {"
	const repl = "err = syscall.WSAIoctl(fd.pfd.Sysfd, windows.SIO_UDP_NETRESET, (*byte)(unsafe.Pointer(&flag)), size, nil, 0, &ret, nil, 0)\n\t\tif err != nil && err != syscall.Errno(10045) { // test build: wine 8.0 lacks SIO_UDP_NETRESET"
	if !bytes.Contains(b, []byte(old)) {
		return "", fmt.Errorf("%s no longer sets SIO_UDP_NETRESET as the overlay expects; update lab/wine.go", src)
	}
	patched := filepath.Join(dir, "fd_windows.go")
	if err := os.WriteFile(patched, bytes.Replace(b, []byte(old), []byte(repl), 1), 0o644); err != nil {
		return "", err
	}
	j, _ := json.Marshal(map[string]map[string]string{"Replace": {src: patched}})
	overlay := filepath.Join(dir, "overlay.json")
	return overlay, os.WriteFile(overlay, j, 0o644)
}

// wineEnv is the environment of every wine command for prefix.
func wineEnv(prefix string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		// The host's display and proxy settings must not reach the prefix.
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "DISPLAY", "WAYLAND_DISPLAY", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "WINEPREFIX", "WINEDEBUG", "WINEARCH", "WINEDLLOVERRIDES":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "WINEPREFIX="+prefix, "WINEARCH=win64", "WINEDEBUG=-all",
		"WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d")
}

// winePrefixTemplate makes one booted Windows 10 prefix with the shim per
// test process; each test gets a cheap copy (WinePrefix). wineboot runs
// outside any namespace: the template's wineserver ends before a test
// starts its own inside the test's namespace.
func winePrefixTemplate() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	dir, err := processTempDir("l2diag-wineprefix-")
	if err != nil {
		return "", err
	}
	prefix := filepath.Join(dir, "template")
	env := wineEnv(prefix)
	ctx, cancel := context.WithTimeout(context.Background(), wineBootTimeout)
	defer cancel()
	steps := [][]string{
		{wine64(), "wineboot", "-i"},
		{wine64(), "winecfg", "-v", "win10"},
		{wineserver(), "-w"},
	}
	for _, s := range steps {
		cmd := exec.CommandContext(ctx, s[0], s[1:]...)
		cmd.Env = env
		if b, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%s: %v\n%s", strings.Join(s, " "), err, b)
		}
	}
	shim := filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	src := filepath.Join(root, "diag", "internal", "lab", "wineshim")
	cmd := exec.CommandContext(ctx, "x86_64-w64-mingw32-gcc", "-O2", "-Wall", "-shared", "-nostdlib", "-Wl,--entry,DllMain",
		"-o", shim, filepath.Join(src, "bcryptprimitives.c"), filepath.Join(src, "bcryptprimitives.def"), "-ladvapi32")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build bcryptprimitives.dll: %v\n%s", err, b)
	}
	return prefix, nil
}

// Wine is a wine prefix bound to one namespace: its wineserver, which owns
// every socket of the Windows programs, runs there, so all of the
// prefix's commands must run there too.
type Wine struct {
	NS     *NS
	Prefix string
	// NoRawSockets runs every command of the prefix without CAP_NET_RAW,
	// as Windows runs a user who is no administrator: no raw sockets.
	// Set it before the first command (wineserver, which opens the
	// sockets, keeps the privileges it started with).
	NoRawSockets bool
	t            testing.TB
}

// command is the ip netns exec command line that runs args under wine.
func (w *Wine) command(args []string) []string {
	full := []string{"netns", "exec", w.NS.Name}
	if w.NoRawSockets {
		full = append(full, "setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw", "--")
	}
	return append(append(full, wine64()), args...)
}

// NewWine gives the test its own copy of the prefix template, used inside
// ns only. Its wineserver is stopped and the copy removed when t ends.
func (ns *NS) NewWine() *Wine {
	t := ns.lab.t
	t.Helper()
	RequireWine(t)
	templateDir.once.Do(func() { templateDir.path, templateDir.err = winePrefixTemplate() })
	if templateDir.err != nil {
		t.Fatalf("lab: wine prefix: %v", templateDir.err)
	}
	dir := tempDir(t, "l2diag-wine-")
	prefix := filepath.Join(dir, "prefix")
	// Hard links make the 700 MB copy instant; the registry hives are
	// copied for real because this test changes them.
	if out, err := run("cp", "-a", "--link", templateDir.path, prefix); err != nil {
		t.Fatalf("lab: copy the wine prefix: %v\n%s", err, out)
	}
	for _, hive := range []string{"system.reg", "user.reg", "userdef.reg"} {
		p := filepath.Join(prefix, hive)
		b, err := os.ReadFile(filepath.Join(templateDir.path, hive))
		if err != nil {
			t.Fatalf("lab: %v", err)
		}
		_ = os.Remove(p)
		writeFile(t, p, string(b))
	}
	w := &Wine{NS: ns, Prefix: prefix, t: t}
	t.Cleanup(func() {
		cmd := exec.Command(wineserver(), "-k")
		cmd.Env = wineEnv(prefix)
		_ = cmd.Run()
	})
	return w
}

// Run runs a program under wine in the namespace (args[0] is a Windows
// program name such as "reg" or a path to an exe), with extra environment
// variables, in dir (empty: a temp dir).
func (w *Wine) Run(env []string, dir string, args ...string) Result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wineRunTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", w.command(args)...)
	cmd.Env = append(wineEnv(w.Prefix), env...)
	cmd.Dir = dir
	if dir == "" {
		cmd.Dir = os.TempDir()
	}
	return runResult(w.t, cmd, "wine "+strings.Join(args, " ")+" in "+w.NS.Name)
}

// Start starts a program under wine in the namespace, as Run does, and
// returns at once; stdout and stderr are kept apart. It is killed when the
// test ends.
func (w *Wine) Start(args ...string) *Proc {
	w.t.Helper()
	cmd := exec.Command("ip", w.command(args)...)
	cmd.Env = wineEnv(w.Prefix)
	cmd.Dir = os.TempDir()
	p := &Proc{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.out, &p.errOut
	if err := cmd.Start(); err != nil {
		w.t.Fatalf("lab: start wine %s in %s: %v", strings.Join(args, " "), w.NS.Name, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	w.t.Cleanup(p.Stop)
	return p
}

// Reg runs `reg add KEY /v NAME /t TYPE /d DATA /f` style commands:
// args follow reg.exe's syntax after "reg". It fails the test on error.
func (w *Wine) Reg(args ...string) {
	w.t.Helper()
	res := w.Run(nil, "", append([]string{"reg"}, args...)...)
	if res.ExitCode != 0 {
		w.t.Fatalf("lab: wine reg %s: exit %d\n%s%s", strings.Join(args, " "), res.ExitCode, res.Stdout, res.Stderr)
	}
}

// TrustRoot adds cert to the machine's trusted root store
// (HKLM\Software\Microsoft\SystemCertificates\Root, where a GPO or
// `certutil -addstore Root` puts a company CA; wine has no certutil). Go
// on Windows verifies through CryptoAPI, which builds chains from it.
// The key is the certificate's SHA-1 thumbprint and the Blob value a
// serialized certificate: one property header (CERT_CERT_PROP_ID = 32,
// 1, length) followed by the DER, as crypt32's registry store reads it.
func (w *Wine) TrustRoot(cert *x509.Certificate) {
	w.t.Helper()
	sum := sha1.Sum(cert.Raw)
	blob := binary.LittleEndian.AppendUint32(nil, 32)
	blob = binary.LittleEndian.AppendUint32(blob, 1)
	blob = binary.LittleEndian.AppendUint32(blob, uint32(len(cert.Raw)))
	blob = append(blob, cert.Raw...)
	key := `HKLM\Software\Microsoft\SystemCertificates\Root\Certificates\` + strings.ToUpper(hex.EncodeToString(sum[:]))
	w.Reg("add", key, "/v", "Blob", "/t", "REG_BINARY", "/d", hex.EncodeToString(blob), "/f")
}

// L2diag runs exe (from WineExe) under wine with args.
func (w *Wine) L2diag(exe string, args ...string) Result {
	w.t.Helper()
	return w.Run(nil, "", append([]string{exe}, args...)...)
}
