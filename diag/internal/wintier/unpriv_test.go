//go:build linux

package wintier

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestWithoutRawSockets: a Windows user who is no administrator may not
// open raw sockets (wine without CAP_NET_RAW behaves alike). Here the
// ICMP helper API fails too (wine's, without CAP_NET_RAW, needs a Linux
// ping socket, which the namespace's default ping_group_range forbids):
// ping falls back to timed TCP connects and says so; the trace says it
// could not run, never where a path stops.
func TestWithoutRawSockets(t *testing.T) {
	tr := newTier(t)
	tr.wine.NoRawSockets = true
	prof := tr.profile(t, "trace.yaml", tracedProfile)
	rep, _ := tr.run(t, lab.WineExe(t, true), "--profile", prof, "--only", "net", "--skip", "net-interfaces,net-gateway,net-proxy",
		"--ping", serverIP, "--tcp", dropped+":80")
	ping := one(t, rep, "net-ping", serverIP)
	if ping.Details["method"] != "tcp-connect" || !ping.Degraded || !hasCode(ping, "net.ping-unprivileged") || ping.Status != "ok" {
		t.Errorf("net-ping %s: method %v, degraded %v, codes %v, status %s; want an answer by timed TCP connects, marked unprivileged\n%s",
			serverIP, ping.Details["method"], ping.Degraded, codes(ping), ping.Status, dump(ping))
	}
	trace := one(t, rep, "net-trace", dropped)
	if trace.Status != "skipped" || !trace.Degraded || len(trace.Findings) != 1 || !hasCode(trace, "net.trace-unprivileged") {
		t.Errorf("net-trace %s: status %s, degraded %v, codes %v; want only net.trace-unprivileged, skipped\n%s",
			dropped, trace.Status, trace.Degraded, codes(trace), dump(trace))
	}

	// The watch probes the gateway the same way and says so.
	if m, degraded := watchGatewayMethod(t, tr, prof); !degraded || !strings.HasPrefix(m, "tcp") {
		t.Errorf("watch: the gateway is probed by %q (degraded %v), want the TCP fallback", m, degraded)
	}
}

// watchGatewayMethod runs a short watch and returns how it probed the
// gateway (serverIP) and whether that was degraded.
func watchGatewayMethod(t *testing.T, tr *tier, prof string) (string, bool) {
	t.Helper()
	bundle := filepath.Join(tr.dir, "watch.zip")
	res := tr.wine.L2diag(lab.WineExe(t, true), "watch", "--profile", prof, "-o", "json", "--for", "3s", "--bundle", bundle)
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, `"type":"end"`) {
		t.Fatalf("watch: exit %d, want 0 (the gateway answers)\n%s\n%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	var targets []struct {
		Name, Method string
		Degraded     bool
	}
	if err := json.Unmarshal([]byte(zipFiles(t, bundle)["raw/watch/targets.json"]), &targets); err != nil {
		t.Fatalf("raw/watch/targets.json: %v", err)
	}
	for _, tg := range targets {
		if tg.Name == "gateway "+serverIP {
			return tg.Method, tg.Degraded
		}
	}
	t.Fatalf("watch: no gateway target in %+v", targets)
	return "", false
}

// TestUnprivilegedICMPHelper: a user who is no administrator pings as
// ping.exe does, through the ICMP helper API (wine implements it with a
// Linux ping socket, which the namespace's ping_group_range allows): the
// answering host is measured by ICMP, not degraded, and the dropped one
// does not answer. Wine's ping sockets never receive the routers' "time
// exceeded", so the trace says it could not run and why, and draws no
// verdict about the path (as root, TestTrace, it works). Pings run at the
// default rate (100/s): a clean link shows no loss, one losing 30 % of
// the echo requests (nft, at random) is net.ping-loss.
func TestUnprivilegedICMPHelper(t *testing.T) {
	tr := newTier(t)
	tr.wine.NoRawSockets = true
	tr.client.MustRun("sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647")
	farIP, farDead := tr.farNet()
	const lossy = "10.80.1.57"
	tr.server.MustRun("ip", "addr", "add", lossy+"/32", "dev", "lo")
	tr.server.Nft(`table inet lossy {
	chain in { type filter hook input priority 0; ip daddr ` + lossy + ` icmp type echo-request numgen random mod 100 < 30 drop; }
}`)
	prof := tr.profile(t, "trace.yaml", strings.Replace(tracedProfile, "ping: {count: 2, interval: 100ms, timeout: 1s}", "ping: {count: 100, interval: 10ms, timeout: 1s}", 1))
	rep, _ := tr.run(t, lab.WineExe(t, true), "--profile", prof, "--only", "net", "--skip", "net-interfaces,net-gateway,net-proxy",
		"--ping", serverIP, "--ping", dropped, "--ping", lossy, "--tcp", farIP+":80", "--tcp", farDead+":80")
	ping := one(t, rep, "net-ping", serverIP)
	if ping.Details["method"] != "icmp-helper" || ping.Degraded || len(ping.Findings) != 0 || ping.Status != "ok" || ping.Metrics["received"] < 1 {
		t.Errorf("net-ping %s: method %v, degraded %v, codes %v, status %s, received %v; want echo replies through the ICMP helper, no finding\n%s",
			serverIP, ping.Details["method"], ping.Degraded, codes(ping), ping.Status, ping.Metrics["received"], dump(ping))
	}
	silent := one(t, rep, "net-ping", dropped)
	if silent.Details["method"] != "icmp-helper" || !hasCode(silent, "net.ping-no-answer") || silent.Metrics["received"] != 0 {
		t.Errorf("net-ping %s: method %v, codes %v, received %v; want net.ping-no-answer through the ICMP helper\n%s",
			dropped, silent.Details["method"], codes(silent), silent.Metrics["received"], dump(silent))
	}
	lost := one(t, rep, "net-ping", lossy)
	if lost.Details["method"] != "icmp-helper" || !hasCode(lost, "net.ping-loss") {
		t.Errorf("net-ping %s: method %v, codes %v; want net.ping-loss through the ICMP helper\n%s", lossy, lost.Details["method"], codes(lost), dump(lost))
	}
	// The watch probes the gateway the same way, not degraded.
	if m, degraded := watchGatewayMethod(t, tr, prof); degraded || m != "icmp-helper" {
		t.Errorf("watch: the gateway is probed by %q (degraded %v), want icmp-helper", m, degraded)
	}
	for _, target := range []string{farIP, farDead} {
		r := one(t, rep, "net-trace", target)
		if r.Status != "skipped" || !r.Degraded || len(r.Findings) != 1 || !hasCode(r, "net.trace-unprivileged") ||
			!strings.Contains(r.Summary, "wine") || !strings.Contains(r.Summary, "time exceeded") {
			t.Errorf("net-trace %s: status %s, degraded %v, codes %v, summary %q; want only net.trace-unprivileged naming wine's ping-socket gap\n%s",
				target, r.Status, r.Degraded, codes(r), r.Summary, dump(r))
		}
	}
}
