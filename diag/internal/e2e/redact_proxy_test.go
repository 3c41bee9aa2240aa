package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestRedactedRunHidesTheProxyAccount: a real redacted run as the
// unprivileged user, with a proxy account and password in https_proxy and
// the organisation's domain with a leading dot in no_proxy, as desktops
// are set up. The proxy reaches the report, raw/facts.json and stdout
// through discovery, not a planted check: neither the account, the
// password, the user nor the domain is in stdout, stderr or any file of
// the bundle. The account and the dotted domain once went out as they were.
func TestRedactedRunHidesTheProxyAccount(t *testing.T) {
	user := lab.RequireUser(t)
	l := lab.New(t)
	ns := l.Namespace("rproxy")
	peer := l.Namespace("peer")
	l.Link(ns, "10.77.6.10/24", peer, "10.77.6.1/24")
	ns.Route("default", "via", "10.77.6.1")
	const dom, acct, pass = "corp-e2eproxy.net", "e2e-proxy-acct", "e2eProxyPassw0rd"
	ns.SetResolvConf("nameserver 10.77.6.1\nsearch " + dom + "\n")
	dir := lab.UserDir(t)
	zipPath := filepath.Join(dir, "r.zip")
	env := []string{"https_proxy=http://" + acct + ":" + pass + "@proxy." + dom + ":3128",
		"no_proxy=localhost,10.77.6.1,." + dom, "USER=" + user, "HOME=/home/" + user}
	res := ns.L2diagAsEnv(user, env, "run", "--only", "net", "--tcp", "10.77.6.1:9", "--timeout", "20s",
		"--redact", "--bundle", zipPath, "--output", "json")
	if res.ExitCode == 64 {
		t.Fatalf("exit 64\n%s", res.Stderr)
	}
	if !strings.Contains(res.Stdout, ":***@") {
		t.Fatalf("the test is void: the proxy is not in the report:\n%s", res.Stdout)
	}
	leaks := []string{acct, pass, dom, user}
	for _, v := range leaks {
		if strings.Contains(strings.ToLower(res.Stdout+res.Stderr), strings.ToLower(v)) {
			t.Errorf("stdout or stderr carries %q", v)
		}
	}
	if hits := zipContains(t, zipPath, leaks...); len(hits) > 0 {
		t.Errorf("real identifiers in the redacted bundle: %v", hits)
	}
}
