//go:build linux

package wintier

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestTCPStates: winsock's errors read as the same states as on Linux:
// open, refused (nothing listens), filtered (dropped).
func TestTCPStates(t *testing.T) {
	tr := newTier(t)
	rep, _ := tr.run(t, lab.WineExe(t, true), "--only", "net", "--skip", "net-ping,net-interfaces,net-gateway,net-proxy",
		"--tcp", dnsGood+":53", "--tcp", rejecting+":80", "--tcp", dropped+":80")
	for _, tt := range []struct{ target, code string }{
		{dnsGood + ":53", "net.tcp-open"},
		{rejecting + ":80", "net.tcp-refused"},
		{dropped + ":80", "net.tcp-filtered"},
	} {
		r := one(t, rep, "net-tcp", tt.target)
		if !hasCode(r, tt.code) {
			t.Errorf("net-tcp %s: codes %v, want %s\n%s", tt.target, codes(r), tt.code, dump(r))
		}
	}
}

// TestTrace: net-trace through wine's raw ICMP sockets finds the real
// path: a target that drops TCP but answers ping is reached in two hops
// (routing works); for one that drops everything the path stops after
// the router, which is named (the network: farNet).
func TestTrace(t *testing.T) {
	tr := newTier(t)
	farIP, farDead := tr.farNet()
	prof := tr.profile(t, "trace.yaml", tracedProfile)
	rep, _ := tr.run(t, lab.WineExe(t, true), "--profile", prof, "--only", "net", "--skip", "net-ping,net-interfaces,net-gateway,net-proxy",
		"--tcp", farIP+":80", "--tcp", farDead+":80")
	for _, tt := range []struct{ target, code, path string }{
		{farIP, "net.trace-reached", serverIP + " > " + farIP},
		{farDead, "net.trace-stops", serverIP},
	} {
		r := one(t, rep, "net-trace", tt.target)
		if !hasCode(r, tt.code) || r.Details["method"] != "icmp-echo" {
			t.Errorf("net-trace %s: codes %v, method %v, want %s by icmp-echo\n%s", tt.target, codes(r), r.Details["method"], tt.code, dump(r))
			continue
		}
		if got := r.Findings[0].Evidence["path"]; got == nil || !strings.HasPrefix(got.(string), tt.path) {
			t.Errorf("net-trace %s: path %v, want it to start %q", tt.target, got, tt.path)
		}
	}
}

// farNet adds a network behind the server, which routes to it, and
// returns its host (which drops TCP port 80) and an address of that host
// which drops everything:
//
//	client 10.80.0.2 ── 10.80.0.1 server (router) 10.80.2.1 ── 10.80.2.2 far (lo: 10.80.2.9, drops all)
func (tr *tier) farNet() (farIP, farDead string) {
	farIP, farDead = "10.80.2.2", "10.80.2.9"
	far := tr.lab.Namespace("far")
	tr.lab.Link(tr.server, "10.80.2.1/24", far, farIP+"/24")
	tr.server.Forward()
	tr.server.Route(farDead+"/32", "via", farIP)
	far.Route("default", "via", "10.80.2.1")
	far.MustRun("ip", "addr", "add", farDead+"/32", "dev", "lo")
	far.Nft(`table inet lab {
	chain in { type filter hook input priority 0; tcp dport 80 drop; ip daddr ` + farDead + ` drop; }
}`)
	return farIP, farDead
}
