//go:build linux

package e2e

import (
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
	"golang.org/x/sys/unix"
)

// A healthy office network for the built-in default profile, with the
// public addresses the profile uses served inside the lab so nothing
// leaves the namespaces:
//
//	client 192.168.10.23 ── 192.168.10.1 router (NAT) 203.0.113.2 ── 203.0.113.1 internet
//	                                                      lo: 1.1.1.1, 9.9.9.9, 149.112.112.112 (unbound),
//	                                                          connectivity-check, NTP servers
//
// The internet namespace answers as the real services do: unbound with
// the real names (a CNAME chain included, AAAA records although the
// office has no IPv6, NXDOMAIN for names that do not exist), 204 for
// generate_204, "Microsoft Connect Test" for connecttest.txt, SNTP with
// the right time from every NTP server address, TCP 443 on every address.
const (
	officeClient = "192.168.10.23"
	officeGW     = "192.168.10.1"
	resolverA    = "9.9.9.9"
	resolverB    = "149.112.112.112"
	gstaticV4    = "142.251.37.3"
	msftV4       = "13.107.4.52"
)

// publicAddrs are the internet namespace's addresses: the default
// profile's TCP target, the resolvers and every A record below.
var publicAddrs = []string{"1.1.1.1", resolverA, resolverB, gstaticV4, msftV4,
	"185.125.190.57", "194.58.204.20", "95.216.144.226", "162.159.200.1", "162.159.200.123"}

// ntpAddrs answer SNTP: pool.ntp.org's and time.cloudflare.com's.
var ntpAddrs = []string{"185.125.190.57", "194.58.204.20", "95.216.144.226", "162.159.200.1", "162.159.200.123"}

// rootZone is the public DNS as the default profile sees it. unbound
// serves it as a local copy of the root zone (auth-zone for upstream), so
// it resolves like a real recursive resolver: CNAMEs are followed, a name
// that does not exist is NXDOMAIN, a missing type is NOERROR without data.
const rootZone = `. 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2024060100 1800 900 604800 86400
. 518400 IN NS a.root-servers.net.
a.root-servers.net. 518400 IN A 198.41.0.4
connectivitycheck.gstatic.com. 300 IN A ` + gstaticV4 + `
connectivitycheck.gstatic.com. 300 IN AAAA 2a00:1450:4001:82f::2003
www.msftconnecttest.com. 3600 IN CNAME v4ncsi.msedge.net.
v4ncsi.msedge.net. 300 IN A ` + msftV4 + `
pool.ntp.org. 150 IN A 185.125.190.57
pool.ntp.org. 150 IN A 194.58.204.20
pool.ntp.org. 150 IN A 95.216.144.226
time.cloudflare.com. 300 IN A 162.159.200.1
time.cloudflare.com. 300 IN A 162.159.200.123
time.cloudflare.com. 300 IN AAAA 2606:4700:f1::1
time.cloudflare.com. 300 IN AAAA 2606:4700:f1::123
pc-23.office.example. 3600 IN A ` + officeClient + `
`

// resolver starts unbound on addr resolving from rootZone, with the
// office client's PTR record.
func resolver(t *testing.T, ns *lab.NS, addr string) {
	t.Helper()
	dir := t.TempDir()
	zone := filepath.Join(dir, "root.zone")
	if err := os.WriteFile(zone, []byte(rootZone), 0o644); err != nil {
		t.Fatal(err)
	}
	lab.Unbound(t, ns, netip.MustParseAddrPort(addr+":53"),
		`local-data-ptr: "`+officeClient+` pc-23.office.example."`,
		"auth-zone:\n\tname: \".\"\n\tzonefile: \""+zone+"\"\n\tfor-downstream: no\n\tfor-upstream: yes\n\tfallback-enabled: no\n")
}

// office is the built lab.
type office struct {
	client, router, internet *lab.NS
}

// The dual-stack office routes IPv6 (no NAT) to the AAAA addresses.
var (
	officeClient6 = "2001:db8:10::23"
	officeGW6     = "2001:db8:10::1"
	public6       = []string{"2a00:1450:4001:82f::2003", "2606:4700:f1::1", "2606:4700:f1::123"}
	ntp6          = []string{"2606:4700:f1::1", "2606:4700:f1::123"}
)

func buildOffice(t *testing.T, dualStack bool) *office {
	t.Helper()
	lab.RequireTool(t, "unbound")
	l := lab.New(t)
	o := &office{client: l.Namespace("client"), router: l.Namespace("router"), internet: l.Namespace("inet")}
	lan, gwIf := l.Link(o.client, officeClient+"/24", o.router, officeGW+"/24")
	wan, inetIf := l.Link(o.router, "203.0.113.2/30", o.internet, "203.0.113.1/30")
	o.client.Route("default", "via", officeGW)
	o.router.Route("default", "via", "203.0.113.1")
	o.router.Forward()
	if dualStack {
		o.client.MustRun("ip", "addr", "add", officeClient6+"/64", "dev", lan, "nodad")
		o.router.MustRun("ip", "addr", "add", officeGW6+"/64", "dev", gwIf, "nodad")
		o.router.MustRun("ip", "addr", "add", "2001:db8:ffff::2/64", "dev", wan, "nodad")
		o.internet.MustRun("ip", "addr", "add", "2001:db8:ffff::1/64", "dev", inetIf, "nodad")
		o.client.Route("::/0", "via", officeGW6)
		o.router.Route("::/0", "via", "2001:db8:ffff::1")
		o.internet.Route("2001:db8:10::/64", "via", "2001:db8:ffff::2")
		for _, a := range public6 {
			o.internet.MustRun("ip", "addr", "add", a+"/128", "dev", "lo")
		}
		// A real office has been up for longer than the link-local
		// addresses' duplicate address detection (about 1 s after link
		// up); until it ends no neighbour solicitation goes out, and the
		// first IPv6 packets of the run would wait for it.
		for _, ns := range []*lab.NS{o.client, o.router, o.internet} {
			waitNoTentative(t, ns)
		}
	}
	// An office router hides the LAN behind its WAN address.
	o.router.Nft(`table ip nat {
	chain post { type nat hook postrouting priority srcnat; oifname "` + wan + `" masquerade; }
}`)
	for _, a := range publicAddrs {
		o.internet.MustRun("ip", "addr", "add", a+"/32", "dev", "lo")
	}
	resolver(t, o.internet, resolverA)
	resolver(t, o.internet, resolverB)
	o.client.SetResolvConf("nameserver " + resolverA + "\nnameserver " + resolverB + "\n")
	// As Debian's installer writes it: the machine's own name on 127.0.1.1.
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	o.client.SetHosts("127.0.0.1 localhost\n127.0.1.1 " + host + "\n::1 localhost ip6-localhost ip6-loopback\n")

	serveConnectivity(t, o.internet)
	serveTCP(t, o.internet, ":443")
	for _, a := range ntpAddrs {
		serveSNTP(t, o.internet, "udp4", a)
	}
	if dualStack {
		for _, a := range ntp6 {
			serveSNTP(t, o.internet, "udp6", a)
		}
	}
	return o
}

// waitNoTentative waits until no IPv6 address of ns is still in duplicate
// address detection.
func waitNoTentative(t *testing.T, ns *lab.NS) {
	t.Helper()
	end := time.Now().Add(10 * time.Second)
	for time.Now().Before(end) {
		if strings.TrimSpace(ns.MustRun("ip", "-6", "addr", "show", "tentative")) == "" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("IPv6 addresses in %s still tentative after 10 s:\n%s", ns.Name, ns.MustRun("ip", "-6", "addr"))
}

// serveConnectivity answers the captive-portal checks byte for byte as
// Google and Microsoft do; other paths are 404.
func serveConnectivity(t *testing.T, ns *lab.NS) {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		switch {
		case host == "connectivitycheck.gstatic.com" && r.URL.Path == "/generate_204":
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusNoContent)
		case host == "www.msftconnecttest.com" && r.URL.Path == "/connecttest.txt":
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Cache-Control", "max-age=30, must-revalidate")
			_, _ = io.WriteString(w, "Microsoft Connect Test")
		default:
			http.NotFound(w, r)
		}
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	l := ns.Listen("tcp", ":80")
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
}

// serveTCP accepts connections and holds them until the peer closes: a
// port that is open is all net-tcp asks.
func serveTCP(t *testing.T, ns *lab.NS, addr string) {
	t.Helper()
	l := ns.Listen("tcp", addr)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(30 * time.Second))
				_, _ = io.Copy(io.Discard, c)
			}()
		}
	}()
}

// serveSNTP is a synchronised stratum-2 SNTP server on ip:123 with this
// machine's clock.
func serveSNTP(t *testing.T, ns *lab.NS, network, ip string) {
	t.Helper()
	lab.ServeSNTP(ns, network, ip, 0)
}

// environmental are warnings that are true of the machine the test runs
// on, not of the lab network: host checks read the real kernel, disks and
// processes, which namespaces do not isolate.
var environmental = map[string]string{
	"host.cpu-busy":           "parallel tests keep the CPUs busy",
	"host.load-high":          "parallel tests load the machine",
	"host.uptime-long":        "the test machine's real uptime",
	"host.reboot-pending":     "the test machine's real update state",
	"host.memory-low":         "the test machine's real memory",
	"host.swap-heavy":         "the test machine's real memory",
	"host.disk-filling":       "the test machine's real disks",
	"host.zombies":            "other processes of the test machine",
	"host.process-memory-hog": "other processes of the test machine",
	// Allowed only when the kernel really says so (kernelUnsynced).
	"host.clock-unsynchronized": "the test machine's kernel clock is not disciplined by a time daemon",
}

// kernelUnsynced reads the kernel's clock state as host-clock does: a
// machine (or container) without a time daemon is truly unsynchronised.
func kernelUnsynced(t *testing.T) bool {
	var tx unix.Timex
	state, err := unix.Adjtimex(&tx)
	if err != nil {
		t.Logf("adjtimex: %v", err)
		return false
	}
	return state == unix.TIME_ERROR || tx.Status&unix.STA_UNSYNC != 0
}

// environmentalCauses are the conclusions drawn only from environmental
// findings.
var environmentalCauses = map[string]bool{
	"cause.cpu-overload": true, "cause.reboot-pending": true, "cause.memory-exhausted": true,
	"cause.zombie-processes": true, "cause.time-sync-broken": true,
}

// knownFalseAlarms are findings this healthy network still gets that a
// technician would call wrong, and that are not fixed yet. Keep it empty.
var knownFalseAlarms = map[string]string{}

// knownFalseCauses are the conclusions drawn from knownFalseAlarms.
var knownFalseCauses = map[string]bool{}

// TestDefaultProfileHealthyOffice runs `l2diag run` with the built-in
// profile in a healthy office network, as root and as an unprivileged
// user: nothing may be flagged but what is true of the test machine
// itself, no conclusion may be drawn but from those, no check may hit its
// deadline, and the run must end well inside the profile's 30 s budget.
func TestDefaultProfileHealthyOffice(t *testing.T) {
	for _, v := range []struct {
		name      string
		dualStack bool
	}{
		{"ipv4 only", false},
		{"dual stack", true},
	} {
		t.Run(v.name, func(t *testing.T) {
			o := buildOffice(t, v.dualStack)
			lab.Binary(t) // built here: a failed build must stop this test, not a subtest
			for _, tt := range []struct {
				name, user string
				// pingGroups opens net.ipv4.ping_group_range as systemd
				// does on desktops (ICMP datagram sockets); before it, the
				// kernel default "1 0" leaves the user the TCP fallback.
				pingGroups bool
			}{
				{"root", "", false},
				{"unprivileged", lab.TestUser, false},
				{"unprivileged with ping_group_range", lab.TestUser, true},
			} {
				t.Run(tt.name, func(t *testing.T) {
					env := []string{"HOME=/root", "USER=root"}
					if tt.user != "" {
						lab.RequireUser(t)
						env = []string{"HOME=/home/" + tt.user, "USER=" + tt.user, "LOGNAME=" + tt.user}
					}
					if tt.pingGroups {
						o.client.MustRun("sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647")
					}
					dir := lab.UserDir(t)
					start := time.Now()
					res := o.client.L2diagAsEnv(tt.user, env, "run", "--output", "json", "--bundle", filepath.Join(dir, "b.zip"))
					wall := time.Since(start)
					rep, err := report.Decode([]byte(res.Stdout))
					if err != nil {
						t.Fatalf("exit %d: %v\nstdout:\n%s\nstderr:\n%s", res.ExitCode, err, res.Stdout, res.Stderr)
					}
					t.Logf("run: %d ms (wall %s), exit %d, profile %q", rep.DurationMS, wall.Round(time.Millisecond), res.ExitCode, rep.Profile)
					checkHealthy(t, rep)
					if v.dualStack && !slices.ContainsFunc(rep.Results, func(r report.Result) bool {
						return r.Check == "dns-reverse" && r.Target == officeClient6
					}) {
						t.Errorf("no dns-reverse of %s: the IPv6 address was not seen", officeClient6)
					}
				})
			}
		})
	}
}

func checkHealthy(t *testing.T, rep *report.Report) {
	t.Helper()
	if rep.Profile != "default" {
		t.Errorf("profile %q ran, want the built-in default", rep.Profile)
	}
	// The budget is 30 s; a healthy network answers everything at once,
	// so the run is a few seconds (the 1 s samples of host and net).
	if rep.DurationMS > 15000 {
		t.Errorf("run took %d ms, want well inside the 30 s budget (< 15 s)", rep.DurationMS)
	}
	envOnly := true // every problem found is true of the machine or a known false alarm
	for _, r := range rep.Results {
		var codes []string
		for _, f := range r.Findings {
			codes = append(codes, f.Code+"="+string(f.Status))
		}
		t.Logf("%-16s %-32s %-7s %4d ms %s %v", r.Check, r.Target, r.Status, r.DurationMS, r.Summary, codes)
		if r.Status == report.StatusError {
			t.Errorf("%s %s could not run: %s", r.Check, r.Target, r.Error)
		}
		for _, f := range r.Findings {
			if strings.HasPrefix(f.Code, "check.") {
				t.Errorf("%s %s: %s: %s", r.Check, r.Target, f.Code, f.Message)
				continue
			}
			if f.Status != report.StatusWarn && f.Status != report.StatusFail && f.Status != report.StatusError {
				continue
			}
			if f.Code == "host.clock-unsynchronized" && !kernelUnsynced(t) {
				t.Errorf("%s says the clock is unsynchronised, the kernel says it is: %s", r.Check, f.Message)
				continue
			}
			if why, ok := environmental[f.Code]; ok && r.Category == "host" {
				t.Logf("  allowed (%s): %s", why, f.Message)
				continue
			}
			if why, ok := knownFalseAlarms[f.Code]; ok {
				t.Logf("  KNOWN FALSE ALARM (%s): %s", why, f.Message)
				continue
			}
			envOnly = false
			t.Errorf("false alarm on a healthy network: %s %s: %s %s: %s", r.Check, r.Target, f.Status, f.Code, f.Message)
		}
	}
	for _, c := range rep.Conclusions {
		t.Logf("conclusion %s (%s, %s): %s %v", c.Code, c.Status, c.Confidence, c.Headline, c.Evidence)
		if environmentalCauses[c.Code] && envOnly && evidenceOnly(c.Evidence, environmental) {
			continue
		}
		if knownFalseCauses[c.Code] && evidenceOnly(c.Evidence, knownFalseAlarms) {
			t.Logf("  KNOWN FALSE CONCLUSION: %s", c.Code)
			continue
		}
		t.Errorf("conclusion on a healthy network: %s: %s %v", c.Code, c.Headline, c.Evidence)
	}
	want := []string{"net-gateway", "net-ping", "net-tcp", "net-http", "dns-server", "dns-resolve", "dns-system",
		"dns-consistency", "dns-hijack", "dns-reverse"}
	for _, id := range want {
		if !slices.ContainsFunc(rep.Results, func(r report.Result) bool { return r.Check == id && r.Status == report.StatusOK }) {
			t.Errorf("no ok result of %s: the lab does not exercise it", id)
		}
	}
	// The clock was measured against the lab's NTP servers, and is right.
	i := slices.IndexFunc(rep.Results, func(r report.Result) bool { return r.Check == "host-clock" })
	if i < 0 {
		t.Fatal("no host-clock result")
	}
	if off, ok := rep.Results[i].Metrics["offset_seconds"]; !ok || off > 0.5 || off < -0.5 {
		t.Errorf("host-clock offset %v (measured %v), want within 0.5 s of the lab's NTP servers", off, ok)
	}
}

// evidenceOnly reports whether every evidence reference cites one of codes.
func evidenceOnly(evidence []string, codes map[string]string) bool {
	for _, e := range evidence {
		code, _, _ := strings.Cut(e, " ")
		if _, ok := codes[code]; !ok {
			return false
		}
	}
	return true
}
