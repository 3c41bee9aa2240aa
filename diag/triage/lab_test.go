package triage_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
	"github.com/miekg/dns"
)

// The end-to-end scenario matrix: a client behind a router, a server
// network with two DNS servers (dnsmasq) and a web service, one fault
// injected per scenario, the built l2diag run in the client namespace, and
// the top conclusion of its report.json checked. docs/triage.md lists the
// rows and their outcome.
//
//	client 10.1.0.2 ── 10.1.0.1 router 10.2.0.1 ── server 10.2.0.10 (web :8080)
//	                                                      10.2.0.53, 10.2.0.54 (DNS)
const (
	gwAddr   = "10.1.0.1"
	webAddr  = "10.2.0.10"
	dnsA     = "10.2.0.53"
	dnsB     = "10.2.0.54"
	webName  = "app.lab"
	webAddr6 = "fd02::10"
	webPort  = "8080"
	deadPort = "9090"
)

// net is the lab network of one scenario.
type labNet struct {
	l                      *lab.Lab
	client, router, server *lab.NS
	// the router's interfaces towards the client and the server, for
	// faults a scenario adds with tc
	routerClientIf, routerServerIf string
}

// fault configures what a scenario breaks.
type fault struct {
	noDNSA, noDNSB bool   // do not start that DNS server
	hijack         bool   // the DNS servers answer every name
	routerNft      string // ruleset loaded into the router
	hosts          string // client /etc/hosts addition
	linkLocal      bool   // the client got no DHCP lease
	wrongA         string // server A answers the web name with this address
	// uplink "down": the resolvers forward internet names to an upstream
	// the router has no route to, and public addresses get "network
	// unreachable" from it. "up": the lab plays the internet (the public
	// anchor and the connectivity URL answer from the server namespace).
	uplink string
	// ownA replaces server A by a server of the test's own (miekg/dns)
	// that answers the web name's A with ownA and, with failAAAA, SERVFAIL
	// for its AAAA: a record type failing beside a different A.
	ownA     string
	failAAAA bool
	// bigPage makes the web service answer with a page larger than one
	// packet, so a path that drops large packets stalls it.
	bigPage bool
	// search is the client's resolv.conf search line; extra are more
	// dnsmasq host records (NAME,ADDR) on both servers.
	search string
	extra  []string
	// v6 gives the client, router and server IPv6 addresses and routes
	// (fd01::/64, fd02::/64) and the web name an AAAA, fd02::10.
	v6 bool
	// slowDNS replaces both DNS servers by servers of the test's own that
	// answer right, after this long.
	slowDNS time.Duration
}

func buildNet(t *testing.T, f fault) *labNet {
	t.Helper()
	lab.RequireTool(t, "dnsmasq")
	n := &labNet{l: lab.New(t)}
	n.client, n.router, n.server = n.l.Namespace("client"), n.l.Namespace("router"), n.l.Namespace("server")
	var cliIf, srvIf string
	if f.linkLocal {
		cliIf, n.routerClientIf = n.l.Link(n.client, "169.254.77.2/16", n.router, gwAddr+"/24")
	} else {
		cliIf, n.routerClientIf = n.l.Link(n.client, "10.1.0.2/24", n.router, gwAddr+"/24")
		n.client.Route("default", "via", gwAddr)
	}
	n.routerServerIf, srvIf = n.l.Link(n.router, "10.2.0.1/24", n.server, webAddr+"/24")
	records := webName + "," + webAddr
	if f.v6 {
		for _, a := range []struct {
			ns        *lab.NS
			dev, cidr string
		}{{n.client, cliIf, "fd01::2/64"}, {n.router, n.routerClientIf, "fd01::1/64"}, {n.router, n.routerServerIf, "fd02::1/64"}, {n.server, srvIf, webAddr6 + "/64"}} {
			a.ns.MustRun("ip", "-6", "addr", "add", a.cidr, "dev", a.dev, "nodad")
		}
		n.client.MustRun("ip", "-6", "route", "add", "default", "via", "fd01::1")
		n.server.MustRun("ip", "-6", "route", "add", "default", "via", "fd02::1")
		records += "," + webAddr6
		// Until the link-local addresses leave DAD, neighbour discovery
		// fails and the first packets vanish: wait for the router to
		// reach both ends (its own packets, not forwarded ones a fault
		// may drop).
		for _, to := range []string{"fd01::2", webAddr6} {
			for i := 0; ; i++ {
				if _, err := n.router.Run("ping", "-6", "-c1", "-W1", to); err == nil {
					break
				} else if i == 5 {
					t.Fatalf("the router cannot reach %s over IPv6: %v", to, err)
				}
			}
		}
	}
	n.server.MustRun("ip", "addr", "add", dnsA+"/24", "dev", srvIf)
	n.server.MustRun("ip", "addr", "add", dnsB+"/24", "dev", srvIf)
	n.server.Route("default", "via", "10.2.0.1")
	n.router.Forward()
	if f.routerNft != "" {
		n.router.Nft(f.routerNft)
	}
	args := []string{"--host-record=" + records, "--local=/in-addr.arpa/", "--local=/ip6.arpa/"}
	for _, r := range f.extra {
		args = append(args, "--host-record="+r)
	}
	if f.hijack {
		args = append(args, "--address=/#/10.2.0.66")
	} else {
		args = append(args, "--local=/lab/")
	}
	switch f.uplink {
	case "down":
		args = append(args, "--server="+deadUpstream)
	case "up":
		args = append(args, "--host-record="+connName+","+webAddr, "--local=/gstatic.com/")
		n.server.MustRun("ip", "addr", "add", anchorAddr+"/32", "dev", srvIf)
		n.router.Route(anchorAddr+"/32", "via", webAddr)
		anchor := n.server.Listen("tcp", anchorAddr+":443")
		go func() {
			for {
				c, err := anchor.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
	}
	if f.slowDNS > 0 {
		ownServer(t, n.server, dnsA, webAddr, false, f.slowDNS)
		ownServer(t, n.server, dnsB, webAddr, false, f.slowDNS)
	} else if f.ownA != "" {
		ownServer(t, n.server, dnsA, f.ownA, f.failAAAA, 0)
	} else if !f.noDNSA {
		argsA := args
		if f.wrongA != "" {
			argsA = append([]string{"--host-record=" + webName + "," + f.wrongA}, args[1:]...)
		}
		lab.Dnsmasq(t, n.server, netip.MustParseAddrPort(dnsA+":53"), argsA...)
	}
	if !f.noDNSB && f.slowDNS == 0 {
		lab.Dnsmasq(t, n.server, netip.MustParseAddrPort(dnsB+":53"), args...)
	}
	resolv := "nameserver " + dnsA + "\nnameserver " + dnsB + "\n"
	if f.search != "" {
		resolv += "search " + f.search + "\n"
	}
	n.client.SetResolvConf(resolv)
	n.client.SetHosts("127.0.0.1 localhost\n::1 localhost\n" + f.hosts)
	ln := n.server.Listen("tcp", webAddr+":"+webPort)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/generate_204" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if f.bigPage {
			fmt.Fprintln(w, strings.Repeat("ok ", 20000))
			return
		}
		fmt.Fprintln(w, "ok")
	})}
	go func() { _ = srv.Serve(ln) }()
	if f.v6 {
		ln6 := n.server.Listen("tcp", "["+webAddr6+"]:"+webPort)
		go func() { _ = srv.Serve(ln6) }()
	}
	if f.uplink == "up" {
		ln80 := n.server.Listen("tcp", webAddr+":80")
		go func() { _ = srv.Serve(ln80) }()
	}
	t.Cleanup(func() { _ = srv.Close() })
	return n
}

// The internet as the uplink rows see it: the built-in profile's public
// anchor and connectivity URL (so they count as background probes), and an
// upstream resolver nobody routes to. All of it stays inside the lab's
// namespaces, which have no route out.
const (
	anchorAddr   = "1.1.1.1"
	connName     = "connectivitycheck.gstatic.com"
	deadUpstream = "203.0.113.1"
)

// uplinkProfile is labProfile plus the background probes.
var uplinkProfile = strings.Replace(strings.Replace(labProfile,
	`targets: ["`+webName+`:`+webPort+`"]`, `targets: ["`+webName+`:`+webPort+`", "`+anchorAddr+`:443"]`, 1),
	"connectivity: []", "connectivity:\n      - url: http://"+connName+"/generate_204\n        status: 204", 1)

// labProfile has only lab targets: nothing tries to leave the lab.
const labProfile = `name: triage-lab
net:
  ping:
    targets: [` + webAddr + `]
    count: 10
    interval: 50ms
    timeout: 1s
  tcp:
    targets: ["` + webName + `:` + webPort + `"]
    timeout: 2s
  http:
    targets: ["http://` + webName + `:` + webPort + `/"]
    connectivity: []
    timeout: 3s
  trace:
    timeout: 1s
    max_hops: 6
dns:
  names: [` + webName + `]
  query_timeout: 1s
  hijack_domain: lab
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "l2diag-triage-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs l2diag in ns and decodes its report.
func run(t *testing.T, ns *lab.NS, user string, args ...string) *report.Report {
	t.Helper()
	return runEnv(t, ns, user, nil, args...)
}

// runEnv is run with extra environment variables for the binary
// (SSL_CERT_FILE for a test CA).
func runEnv(t *testing.T, ns *lab.NS, user string, env []string, args ...string) *report.Report {
	t.Helper()
	// Every scenario also writes its bundle: a finding the secret re-scan
	// mistakes for a secret would block it (exit 73), and that must show
	// here, not on a user's machine. The bundle goes where the user (root
	// or not) may write.
	dir, err := os.MkdirTemp("", "l2diag-triage-bundle-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	full := append([]string{"run", "-o", "json", "--bundle", dir}, args...)
	var r lab.Result
	switch {
	case len(env) > 0:
		r = ns.L2diagAsEnv(user, env, full...)
	case user == "":
		r = ns.L2diag(full...)
	default:
		r = ns.L2diagAs(user, full...)
	}
	rep, err := report.Decode([]byte(r.Stdout))
	if err != nil {
		t.Fatalf("l2diag %s: exit %d, %v\nstdout:\n%s\nstderr:\n%s", strings.Join(full, " "), r.ExitCode, err, r.Stdout, r.Stderr)
	}
	if r.ExitCode > 3 {
		t.Errorf("exit %d (the bundle was not written?):\n%s", r.ExitCode, r.Stderr)
	}
	return rep
}

// describe prints a report's conclusions and problems for a failure message.
func describe(rep *report.Report) string {
	var b strings.Builder
	b.WriteString("conclusions:\n")
	for _, c := range rep.Conclusions {
		fmt.Fprintf(&b, "  %s [%s/%s/%s] %s\n    evidence: %s\n", c.Code, c.Status, c.Confidence, c.Escalation, c.Headline, strings.Join(c.Evidence, "; "))
	}
	b.WriteString("problems:\n")
	for _, r := range rep.Results {
		for _, f := range r.Findings {
			if f.Status.Problem() {
				fmt.Fprintf(&b, "  %s %s: %s (%s)\n", r.Check, r.Target, f.Code, f.Message)
			}
		}
		if r.Error != "" {
			fmt.Fprintf(&b, "  %s %s: error %s\n", r.Check, r.Target, r.Error)
		}
	}
	return b.String()
}

func wantTop(t *testing.T, rep *report.Report, code string) {
	t.Helper()
	if code == "" {
		if len(rep.Conclusions) != 0 {
			t.Fatalf("want no conclusion, got:\n%s", describe(rep))
		}
		return
	}
	if len(rep.Conclusions) == 0 || rep.Conclusions[0].Code != code {
		t.Fatalf("want top conclusion %s, got:\n%s", code, describe(rep))
	}
	t.Logf("top: %s: %s", code, rep.Conclusions[0].Headline)
}

// wantOnly is wantTop that also holds the rest of the lab to being
// healthy: no other conclusion is a problem (an ok explanation may
// stand); with code "", no check reports a problem either, so a failure
// triage overlooks cannot pass as healthy.
func wantOnly(t *testing.T, rep *report.Report, code string) {
	t.Helper()
	wantTop(t, rep, code)
	if code == "" {
		for _, r := range rep.Results {
			if r.Status.Problem() {
				t.Fatalf("want a healthy run, %s %s is %s:\n%s", r.Check, r.Target, r.Status, describe(rep))
			}
		}
		return
	}
	for _, c := range rep.Conclusions[1:] {
		if c.Status.Problem() {
			t.Fatalf("want %s alone, also got %s:\n%s", code, c.Code, describe(rep))
		}
	}
}

// TestLabNetworkScenarios is the network and DNS part of the matrix.
func TestLabNetworkScenarios(t *testing.T) {
	tests := []struct {
		name  string
		fault fault
		args  []string
		want  string
	}{
		{"healthy network", fault{}, nil, ""},
		{"DHCP failed: link-local only", fault{linkLocal: true}, nil, "cause.dhcp-failed"},
		{"gateway down", fault{routerNft: `table inet f {
  chain input_c { type filter hook input priority 0; policy drop; }
  chain forward_c { type filter hook forward priority 0; policy drop; }
}`}, nil, "cause.gateway-down"},
		{"one of two DNS servers dead", fault{noDNSB: true}, nil, "cause.dns-server-down"},
		{"all DNS servers dead while IPs are reachable", fault{noDNSA: true, noDNSB: true}, nil, "cause.dns-down"},
		{"NXDOMAIN hijacked", fault{hijack: true}, nil, "cause.dns-hijacked"},
		{"hosts-file override", fault{hosts: "10.2.0.99 " + webName + "\n"}, nil, "cause.hosts-override"},
		{"firewall drops one port", fault{routerNft: `table inet f {
  chain forward_c { type filter hook forward priority 0; tcp dport ` + webPort + ` drop; }
}`}, nil, "cause.port-filtered"},
		{"nothing listening", fault{}, []string{"--tcp", webAddr + ":" + deadPort}, "cause.nothing-listening"},
		{"wrong first DNS server", fault{wrongA: "10.2.0.99"}, nil, "cause.dns-inconsistent"},
		{"a failing AAAA hides a different A", fault{ownA: "10.2.0.99", failAAAA: true}, nil, "cause.dns-inconsistent"},
		{"a failing AAAA beside the same A: control", fault{ownA: webAddr}, nil, ""},
		{"uplink down behind an internal resolver", fault{uplink: "down"}, []string{"--profile-uplink"}, "cause.no-internet"},
		{"uplink up: healthy control", fault{uplink: "up"}, []string{"--profile-uplink"}, ""},
		// The user's question first: the port they named is refused while
		// the background probes find no internet; the answer about their
		// target leads, the uplink comes second.
		{"named-target fault beside a background failure", fault{uplink: "down"}, []string{"--profile-uplink", "--tcp", webAddr + ":" + deadPort}, "cause.nothing-listening"},
		{"named target beside working background probes: control", fault{uplink: "up"}, []string{"--profile-uplink", "--tcp", webAddr + ":" + webPort}, ""},
		{"packet loss", fault{routerNft: `table inet f {
  chain forward_c { type filter hook forward priority 0; icmp type echo-request numgen random mod 100 < 40 drop; }
}`}, nil, "cause.packet-loss"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := buildNet(t, tt.fault)
			prof, extra := labProfile, tt.args
			if slices.Contains(extra, "--profile-uplink") {
				prof, extra = uplinkProfile, slices.DeleteFunc(slices.Clone(extra), func(a string) bool { return a == "--profile-uplink" })
			}
			args := append([]string{"--only", "net,dns", "--profile", writeFile(t, "profile.yaml", prof), "--timeout", "40s"}, extra...)
			rep := run(t, n.client, "", args...)
			switch {
			case tt.want == "cause.nothing-listening" && tt.fault.uplink == "down":
				wantTop(t, rep, tt.want)
				if len(rep.Conclusions) != 2 || rep.Conclusions[1].Code != "cause.no-internet" {
					t.Errorf("want the uplink second:\n%s", describe(rep))
				}
			case tt.fault.uplink != "" || tt.fault.wrongA != "" || tt.fault.ownA != "":
				wantOnly(t, rep, tt.want)
			default:
				wantTop(t, rep, tt.want)
			}
		})
	}
}

// hostOnlyDisks skips every host check but host-disks: the others judge
// this machine (its uptime, load, NTP reachability), not the fault.
var hostOnlyDisks = []string{"--only", "host", "--skip", "host-system,host-cpu,host-memory,host-processes,host-clock,host-services"}

// mountTmpfs mounts a small tmpfs for a test, unmounted when it ends.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "l2diag-triage", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	return dir
}

// TestLabHostScenarios is the host and permission part of the matrix, run
// in an isolated namespace (no network at all).
func TestLabHostScenarios(t *testing.T) {
	t.Run("full disk", func(t *testing.T) {
		ns := lab.New(t).Namespace("disk")
		full, empty := mountTmpfs(t, "8m"), mountTmpfs(t, "8m")
		if out, err := exec.Command("dd", "if=/dev/zero", "of="+filepath.Join(full, "fill"), "bs=1M", "count=8").CombinedOutput(); err != nil && !strings.Contains(string(out), "No space") {
			t.Fatalf("fill %s: %v: %s", full, err, out)
		}
		prof := writeFile(t, "profile.yaml", "name: triage-disk\nhost:\n  disks:\n    mounts: ["+full+", "+empty+"]\n    writable: []\n")
		rep := run(t, ns, "", append(hostOnlyDisks, "--profile", prof)...)
		wantTop(t, rep, "cause.disk-full")
		if !strings.Contains(rep.Conclusions[0].Headline, full) || strings.Contains(rep.Conclusions[0].Headline, empty) {
			t.Errorf("headline %q must name %s and only it", rep.Conclusions[0].Headline, full)
		}
	})
	t.Run("healthy disks", func(t *testing.T) {
		ns := lab.New(t).Namespace("disk")
		empty := mountTmpfs(t, "8m")
		prof := writeFile(t, "profile.yaml", "name: triage-disk\nhost:\n  disks:\n    mounts: ["+empty+"]\n    writable: []\n")
		wantTop(t, run(t, ns, "", append(hostOnlyDisks, "--profile", prof)...), "")
	})
	permArgs := []string{"--only", "perm", "--skip", "perm-identity,perm-sudo,perm-temp"} // perm-temp judges the host's own temp space
	t.Run("path the user cannot write", func(t *testing.T) {
		user := lab.RequireUser(t)
		ns := lab.New(t).Namespace("perm")
		dir := filepath.Join(filepath.Dir(writeFile(t, "x", "")), "locked")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		rep := run(t, ns, user, append(permArgs, "--path", "w="+dir)...)
		wantTop(t, rep, "cause.path-denied")
		if c := rep.Conclusions[0]; !strings.Contains(c.Headline, "cannot write") || c.Escalation != "resolve-here" {
			t.Errorf("conclusion %+v: want 'cannot write' and resolve-here", c)
		}
	})
	t.Run("path the user can write", func(t *testing.T) {
		user := lab.RequireUser(t)
		ns := lab.New(t).Namespace("perm")
		dir := filepath.Join(filepath.Dir(writeFile(t, "x", "")), "open")
		if err := os.Mkdir(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		wantTop(t, run(t, ns, user, append(permArgs, "--path", "w="+dir)...), "")
	})
}

// TestLabLocalSocketFailure: the OS refuses every socket l2diag asks for
// (strace injects ENOBUFS into socket(2), as a broken Winsock catalog
// does on Windows). The run must end in errors and one conclusion saying
// so, never a verdict about the network; the same run without the
// injection is the healthy control.
func TestLabLocalSocketFailure(t *testing.T) {
	lab.RequireTool(t, "strace")
	for _, tt := range []struct {
		name   string
		inject bool
		want   string
	}{
		{"healthy control under strace", false, ""},
		{"every socket refused", true, "cause.local-socket-error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := buildNet(t, fault{})
			prefix := []string{"strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=socket"}
			if tt.inject {
				prefix = append(prefix, "-e", "inject=socket:error=ENOBUFS")
			}
			args := []string{"run", "-o", "json", "--only", "net,dns", "--profile", writeFile(t, "profile.yaml", labProfile), "--timeout", "40s"}
			r := n.client.L2diagUnder(prefix, args...)
			rep, err := report.Decode([]byte(r.Stdout))
			if err != nil {
				t.Fatalf("exit %d, %v\n%s", r.ExitCode, err, r.Stderr)
			}
			wantTop(t, rep, tt.want)
			for _, c := range rep.Conclusions {
				if c.Escalation == "network" || c.Escalation == "dns" {
					t.Errorf("a network verdict from a local failure: %s %s", c.Code, c.Headline)
				}
			}
		})
	}
}

// ownServer serves DNS on addr:53 in ns: the web name's A is a, its AAAA
// SERVFAIL when failAAAA (else empty), every other name NXDOMAIN; each
// answer after delay.
func ownServer(t *testing.T, ns *lab.NS, addr, a string, failAAAA bool, delay time.Duration) {
	t.Helper()
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		time.Sleep(delay)
		m := new(dns.Msg)
		m.SetReply(r)
		m.RecursionAvailable = true
		if len(r.Question) == 1 && strings.EqualFold(r.Question[0].Name, webName+".") {
			switch r.Question[0].Qtype {
			case dns.TypeA:
				rr, err := dns.NewRR(webName + ". 60 IN A " + a)
				if err == nil {
					m.Answer = append(m.Answer, rr)
				}
			case dns.TypeAAAA:
				if failAAAA {
					m.Rcode = dns.RcodeServerFailure
				}
			}
		} else {
			m.Rcode = dns.RcodeNameError
		}
		_ = w.WriteMsg(m)
	})
	udp := &dns.Server{PacketConn: ns.ListenPacket("udp", addr+":53"), Handler: h}
	tcp := &dns.Server{Listener: ns.Listen("tcp", addr+":53"), Handler: h}
	go func() { _ = udp.ActivateAndServe() }()
	go func() { _ = tcp.ActivateAndServe() }()
	t.Cleanup(func() { _ = udp.Shutdown(); _ = tcp.Shutdown() })
}
