package profile

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNetDefaults(t *testing.T) {
	n := Default().Net
	if n.Ping.Count < 1 || n.Ping.Timeout.D() <= 0 || n.Ping.LossWarnPct != 2 || !slices.Equal(n.Ping.FallbackPorts, []int{443, 80, 22, 53}) {
		t.Errorf("ping defaults = %+v", n.Ping)
	}
	if n.HTTP.CertExpiryWarn.D() != 14*24*time.Hour || len(n.HTTP.Connectivity) == 0 || len(n.TCP.Targets) == 0 {
		t.Errorf("http/tcp defaults = %+v %+v", n.HTTP, n.TCP)
	}
	// Every net check of the default profile must end well within the
	// run's budget, also when everything blackholes.
	ping := time.Duration(n.Ping.Count-1)*n.Ping.Interval.D() + n.Ping.Timeout.D()
	worst := n.Proxy.Timeout.D() + max(ping, n.TCP.Timeout.D(), n.HTTP.Timeout.D()) + n.Trace.Timeout.D()
	if budget := Default().Timeout.D(); worst > budget/2 {
		t.Errorf("net checks may take %s, more than half the %s budget", worst, budget)
	}
}

func TestNetValidation(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantErr    string // substring; "" = valid
	}{
		{"valid", "net:\n  ping:\n    targets: [gw.example.com, 192.0.2.1]\n  tcp:\n    targets: ['[2001:db8::1]:443']\n", ""},
		{"host with a space", "net:\n  ping:\n    targets: [ok.example.com, 'bad host']\n", "lab.yaml:4: net.ping.targets: entry 2:"},
		{"host with an empty label", "net:\n  ping:\n    targets: ['a..b']\n", "net.ping.targets: entry 1:"},
		{"host too long", "net:\n  ping:\n    targets: [" + strings.Repeat("a.", 130) + "com]\n", "net.ping.targets: entry 1:"},
		{"port out of range", "net:\n  tcp:\n    targets: ['host.example.com:70000']\n", "net.tcp.targets: entry 1: \"host.example.com:70000\": port \"70000\" is not a number from 1 to 65535"},
		{"no port", "net:\n  tcp:\n    targets: [host.example.com]\n", "is not HOST:PORT"},
		{"unsupported scheme", "net:\n  http:\n    targets: ['ftp://files.example.com/']\n", "net.http.targets: entry 1: \"ftp://files.example.com/\": scheme \"ftp\" is not supported"},
		{"connectivity status", "net:\n  http:\n    connectivity:\n      - url: http://example.com/\n        status: 99\n", "net.http.connectivity: entry 1: status 99"},
		{"loss above 100%", "net:\n  ping:\n    loss_warn_pct: 150\n", "net.ping.loss_warn_pct: 150 is not a percentage"},
		{"negative loss", "net:\n  ping:\n    loss_warn_pct: -1\n", "net.ping.loss_warn_pct"},
		{"count zero", "net:\n  ping:\n    count: 0\n", "net.ping.count: 0 is out of range"},
		{"negative timeout", "net:\n  tcp:\n    timeout: -2s\n", "net.tcp.timeout: -2s is too small"},
		{"timeout without unit", "net:\n  ping:\n    timeout: 2\n", "is not a duration"},
		{"fallback port", "net:\n  ping:\n    fallback_ports: [443, 0]\n", "net.ping.fallback_ports: entry 2: port 0"},
		{"no fallback ports", "net:\n  ping:\n    fallback_ports: []\n", "net.ping.fallback_ports: empty"},
		{"negative cert warning", "net:\n  http:\n    cert_expiry_warn: -24h\n", "net.http.cert_expiry_warn: -24h0m0s is negative"},
		{"max hops", "net:\n  trace:\n    max_hops: 100\n", "net.trace.max_hops: 100 is out of range"},
		{"connectivity url", "net:\n  http:\n    connectivity:\n      - url: 'ftp://x.example.com/'\n        status: 204\n", "net.http.connectivity: entry 1: url: \"ftp://x.example.com/\": scheme \"ftp\" is not supported"},
		{"connectivity status range", "net:\n  http:\n    connectivity:\n      - url: http://example.com/\n        status: 600\n", "net.http.connectivity: entry 1: status 600 is not an HTTP status from 100 to 599"},
		{"max redirects", "net:\n  http:\n    max_redirects: 31\n", "net.http.max_redirects: 31 is out of range (use 0 to 30)"},
		{"trace probes", "net:\n  trace:\n    probes: 0\n", "net.trace.probes: 0 is out of range (use 1 to 5)"},
		{"ping interval", "net:\n  ping:\n    interval: 1ms\n", "net.ping.interval: 1ms is too small (use at least 10ms, e.g. 2s)"},
		{"rtt warning", "net:\n  ping:\n    rtt_warn: 0s\n", "net.ping.rtt_warn: 0s is too small (use at least 1ms, e.g. 2s)"},
		{"connect warning", "net:\n  tcp:\n    connect_warn: 0s\n", "net.tcp.connect_warn: 0s is too small"},
		{"http timeout", "net:\n  http:\n    timeout: 5ms\n", "net.http.timeout: 5ms is too small"},
		{"http slow", "net:\n  http:\n    slow_warn: 0s\n", "net.http.slow_warn: 0s is too small"},
		{"trace timeout", "net:\n  trace:\n    timeout: 5ms\n", "net.trace.timeout: 5ms is too small"},
		{"proxy timeout", "net:\n  proxy:\n    timeout: 5ms\n", "net.proxy.timeout: 5ms is too small"},
		{"mtu target", "net:\n  mtu:\n    targets: ['bad host']\n", "net.mtu.targets: entry 1:"},
		{"mtu timeout", "net:\n  mtu:\n    timeout: 5ms\n", "net.mtu.timeout: 5ms is too small"},
		{"negative interface sample", "net:\n  interfaces:\n    sample: -1s\n", "net.interfaces.sample: -1s is negative (use e.g. 1s, or 0 to read the counters once)"},
		{"ping is checked before trace", "net:\n  trace:\n    max_hops: 100\n  ping:\n    count: 0\n", "net.ping.count: 0 is out of range (use 1 to 100)"},
		{"unknown key", "net:\n  ping:\n    cuont: 3\n", "cuont"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLoad(t, tt.yaml, tt.wantErr)
		})
	}
}

func TestNetHostnames(t *testing.T) {
	n := Net{
		Ping:  NetPing{Targets: []string{"gw.example.com", "192.0.2.1", "gw.example.com"}},
		TCP:   NetTCP{Targets: []string{"db.example.com:5432", "[2001:db8::1]:443"}},
		HTTP:  NetHTTP{Targets: []string{"https://intranet.example.com/x"}, Connectivity: []Connectivity{{URL: "http://check.example.net/204", Status: 204}}},
		Trace: NetTrace{},
	}
	got := n.Hostnames()
	want := []string{"gw.example.com", "db.example.com", "intranet.example.com", "check.example.net"}
	if !slices.Equal(got, want) {
		t.Errorf("Hostnames() = %v, want %v", got, want)
	}
}
