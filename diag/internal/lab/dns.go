package lab

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// DNSServer is a real DNS server (unbound, dnsmasq, named) started for a test.
type DNSServer struct {
	Addr netip.AddrPort
	// Dir is its working directory (config, keys, zone files, pid file).
	Dir  string
	Proc *Proc
}

// FreePort returns a port that is free for both UDP and TCP on ip of the
// host's loopback, for servers of in-process tests.
func FreePort(t testing.TB, ip string) int {
	t.Helper()
	for range 50 {
		l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			t.Fatalf("lab: free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", net.JoinHostPort(ip, strconv.Itoa(port)))
		l.Close()
		if err == nil {
			u.Close()
			return port
		}
	}
	t.Fatalf("lab: no port free for UDP and TCP on %s", ip)
	return 0
}

// start runs a server in ns, or on the host when ns is nil.
func start(t testing.TB, ns *NS, args ...string) *Proc {
	t.Helper()
	if ns != nil {
		return ns.Start(args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	p := &Proc{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout = &p.out
	cmd.Stderr = &p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("lab: start %s: %v", strings.Join(args, " "), err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(p.Stop)
	return p
}

// waitDNS waits until the server accepts TCP on addr (servers open UDP
// and TCP together), failing with the server's log if it exits or stalls.
func waitDNS(t testing.TB, ns *NS, s *DNSServer, what string) {
	t.Helper()
	end := time.Now().Add(15 * time.Second)
	for time.Now().Before(end) {
		if done, err := s.Proc.Exited(); done {
			t.Fatalf("lab: %s on %s exited: %v\n%s", what, s.Addr, err, s.Proc.Logs())
		}
		var err error
		if ns != nil {
			_, err = ns.Run("timeout", "1", "bash", "-c", fmt.Sprintf("exec 3<>/dev/tcp/%s/%d", s.Addr.Addr(), s.Addr.Port()))
		} else {
			var c net.Conn
			c, err = net.DialTimeout("tcp", s.Addr.String(), time.Second)
			if err == nil {
				c.Close()
			}
		}
		if err == nil {
			return
		}
		time.Sleep(30 * time.Millisecond)
	}
	t.Fatalf("lab: %s on %s does not listen after 15s\n%s", what, s.Addr, s.Proc.Logs())
}

func tempDir(t testing.TB, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatalf("lab: %v", err)
	}
}

// Unbound starts unbound listening on addr (in ns, or on the host's
// loopback when ns is nil). server is added to its server: clause
// (local-zone, local-data, access-control, trust-anchor...), extra after
// it (stub-zone: clauses). It runs in the foreground, without chroot,
// privilege drop, syslog or remote control, with its files in a temp dir.
func Unbound(t testing.TB, ns *NS, addr netip.AddrPort, server, extra string) *DNSServer {
	t.Helper()
	RequireTool(t, "unbound")
	dir := tempDir(t, "l2diag-unbound-")
	conf := fmt.Sprintf(`server:
	interface: %s@%d
	port: %d
	do-daemonize: no
	chroot: ""
	username: ""
	use-syslog: no
	logfile: ""
	directory: "%s"
	pidfile: "%s/unbound.pid"
	verbosity: 1
	do-ip6: %s
	do-not-query-localhost: no
	access-control: 0.0.0.0/0 allow
	access-control: ::/0 allow
	qname-minimisation: no
	num-threads: 1
%s
remote-control:
	control-enable: no
%s
`, addr.Addr(), addr.Port(), addr.Port(), dir, dir, yesNo(addr.Addr().Is6()), indent(server), extra)
	path := filepath.Join(dir, "unbound.conf")
	writeFile(t, path, conf)
	s := &DNSServer{Addr: addr, Dir: dir}
	s.Proc = start(t, ns, "unbound", "-d", "-c", path)
	waitDNS(t, ns, s, "unbound")
	return s
}

// Dnsmasq starts dnsmasq on addr with args added (e.g.
// "--address=/#/192.0.2.66" to answer every name), reading no resolv.conf
// or hosts file, its pid file in a temp dir.
func Dnsmasq(t testing.TB, ns *NS, addr netip.AddrPort, args ...string) *DNSServer {
	t.Helper()
	RequireTool(t, "dnsmasq")
	dir := tempDir(t, "l2diag-dnsmasq-")
	full := []string{"dnsmasq", "-k", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
		"--listen-address=" + addr.Addr().String(), "--port=" + strconv.Itoa(int(addr.Port())),
		"--pid-file=" + filepath.Join(dir, "dnsmasq.pid"), "--user=root", "--group=root", "--log-facility=-"}
	full = append(full, args...)
	s := &DNSServer{Addr: addr, Dir: dir}
	s.Proc = start(t, ns, full...)
	waitDNS(t, ns, s, "dnsmasq")
	return s
}

// Named starts BIND's named on addr serving the zones of zonesConf (named.conf
// zone clauses whose files are relative to Dir; write them with WriteZone
// first via NamedDir). Recursion is off: it is an authoritative server.
func Named(t testing.TB, ns *NS, addr netip.AddrPort, dir, zonesConf string) *DNSServer {
	t.Helper()
	RequireTool(t, "named")
	listen := "listen-on"
	if addr.Addr().Is6() {
		listen = "listen-on-v6"
	}
	conf := fmt.Sprintf(`options {
	directory "%s";
	pid-file "%s/named.pid";
	session-keyfile "%s/session.key";
	%s port %d { %s; };
	recursion no;
	dnssec-validation no;
	allow-query { any; };
};
%s
`, dir, dir, dir, listen, addr.Port(), addr.Addr(), zonesConf)
	path := filepath.Join(dir, "named.conf")
	writeFile(t, path, conf)
	s := &DNSServer{Addr: addr, Dir: dir}
	s.Proc = start(t, ns, "named", "-g", "-c", path, "-n", "1")
	waitDNS(t, ns, s, "named")
	return s
}

// NamedDir returns a temporary directory for named's config and zones.
func NamedDir(t testing.TB) string { return tempDir(t, "l2diag-named-") }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		b.WriteString("\t" + strings.TrimSpace(l) + "\n")
	}
	return b.String()
}
