package lab

import (
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestCIRunLeavesServicesAlone reads .ci/run: run on a developer's
// workstation it must not stop or kill services by name (their resolver,
// their proxy). Tests start their own instances instead.
func TestCIRunLeavesServicesAlone(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(self), "..", "..", "..", ".ci", "run")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	bad := regexp.MustCompile(`\b(pkill|killall|kill)\b|systemctl\s+(stop|kill|disable|mask)|service\s+\S+\s+stop|invoke-rc\.d\s+\S+\s+stop`)
	for i, line := range strings.Split(string(b), "\n") {
		code, _, _ := strings.Cut(line, "#")
		if m := bad.FindString(code); m != "" {
			t.Errorf(".ci/run:%d stops or kills a process by name (%q): %s", i+1, m, strings.TrimSpace(line))
		}
	}
}

// TestLabServerLeavesOthersRunning starts an unbound standing for the
// workstation's own resolver, then a test's unbound of the same name,
// stops the test's one and checks the first still answers: the lab
// neither needs other instances stopped nor stops them.
func TestLabServerLeavesOthersRunning(t *testing.T) {
	RequireTool(t, "unbound")
	lo := func() netip.AddrPort {
		return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(FreePort(t, "127.0.0.1")))
	}
	resident := Unbound(t, nil, lo(), "", "")
	t.Run("test instance", func(t *testing.T) {
		Unbound(t, nil, lo(), "", "")
	})
	if done, err := resident.Proc.Exited(); done {
		t.Fatalf("the resident unbound ended when the test's own instance stopped: %v\n%s", err, resident.Proc.Logs())
	}
	s := &DNSServer{Addr: resident.Addr, Proc: resident.Proc}
	waitDNS(t, nil, s, "resident unbound")
}
