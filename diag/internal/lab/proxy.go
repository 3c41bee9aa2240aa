package lab

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// Tinyproxy starts Debian's tinyproxy in ns on addr:port, allowing clients
// from 10.0.0.0/8 and CONNECT to any port; with auth it demands Basic
// credentials labuser:labpass (answers 407 without). Its log is printed
// when the test fails.
func Tinyproxy(t testing.TB, ns *NS, addr string, port int, auth bool) *Proc {
	t.Helper()
	RequireTool(t, "tinyproxy")
	conf := fmt.Sprintf("Port %d\nListen %s\nTimeout 10\nAllow 10.0.0.0/8\nLogLevel Info\nMaxClients 10\n", port, addr)
	if auth {
		conf += "BasicAuth labuser labpass\n"
	}
	f := filepath.Join(tempDir(t, "l2diag-tinyproxy-"), "tinyproxy.conf")
	writeFile(t, f, conf)
	p := ns.Start("tinyproxy", "-d", "-c", f)
	ns.WaitTCP(fmt.Sprintf("%s:%d", addr, port), 5*time.Second)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("tinyproxy:\n%s", p.Logs())
		}
	})
	return p
}
