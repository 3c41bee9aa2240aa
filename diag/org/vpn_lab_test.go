package orgcheck

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// vpnLab is a laptop namespace on a home LAN (default route via
// 192.168.77.1) with a real tun device, held open like a VPN client's,
// whose split tunnel carries 10.30.0.0/16 and the VPN's DNS servers'
// 10.8.0.0/24 only.
func vpnLab(t *testing.T) (cli *lab.NS, lanIf string) {
	t.Helper()
	l := lab.New(t)
	cli, home := l.Namespace("vpncli"), l.Namespace("home")
	lanIf, _ = l.Link(cli, "192.168.77.2/24", home, "192.168.77.1/24")
	cli.Route("default", "via", "192.168.77.1")
	cli.Tun("tun0")
	cli.MustRun("ip", "addr", "add", "10.99.0.2/24", "dev", "tun0")
	cli.MustRun("ip", "link", "set", "tun0", "up")
	cli.Route("10.30.0.0/16", "dev", "tun0")
	cli.Route("10.8.0.0/24", "dev", "tun0") // the VPN's DNS servers
	return cli, lanIf
}

// TestVPNIntranetRouteInNamespace runs the binary: intranet servers
// (an address and names from the hosts file) whose routes leave through
// the LAN are org.vpn-intranet-outside; the one inside the tunnel's
// prefix is not; triage names the split tunnel.
func TestVPNIntranetRouteInNamespace(t *testing.T) {
	cli, _ := vpnLab(t)
	cli.SetHosts("127.0.0.1 localhost\n10.20.0.6 wiki.corp.l2lab\n10.30.0.7 mail.corp.l2lab\n")
	cli.SetResolvConf("nameserver 10.30.0.53\n")
	prof := filepath.Join(t.TempDir(), "vpn.yaml")
	body := "name: vpn-lab\ntimeout: 20s\norg:\n  timeout: 800ms\n  intranet_hosts: [10.20.0.5, wiki.corp.l2lab, mail.corp.l2lab, nosuch.corp.l2lab]\n"
	if err := os.WriteFile(prof, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	r := cli.L2diag("run", "--only", "org", "--output", "json", "--no-bundle", "--profile", prof)
	rep, err := report.Decode([]byte(r.Stdout))
	if err != nil {
		t.Fatalf("exit %d, no report: %v\n%s\n%s", r.ExitCode, err, r.Stdout, r.Stderr)
	}
	vpn := result(t, rep, IDVPN)
	t.Logf("org-vpn: %s: %s %v", vpn.Status, vpn.Summary, vpn.Details["intranet_hosts"])
	var msg string
	for _, f := range vpn.Findings {
		if f.Code == "org.vpn-intranet-outside" {
			msg = f.Message
		}
	}
	for _, want := range []string{"10.20.0.5 via v", "wiki.corp.l2lab (10.20.0.6) via v"} {
		if !strings.Contains(msg, want) {
			t.Errorf("org.vpn-intranet-outside %q does not say %q (codes %v)", msg, want, codesOf(vpn))
		}
	}
	if strings.Contains(msg, "mail.corp.l2lab") || strings.Contains(msg, "nosuch") {
		t.Errorf("%q blames a host inside the tunnel or one that does not resolve", msg)
	}
	if !strings.Contains(fmt.Sprint(vpn.Details["intranet_hosts"]), "nosuch.corp.l2lab") {
		t.Errorf("the unresolvable host is not reported in the details: %v", vpn.Details["intranet_hosts"])
	}
	if cc := conclusionCodes(rep); !slices.Contains(cc, "cause.vpn-split-route-missing") {
		t.Errorf("conclusions %v lack cause.vpn-split-route-missing", cc)
	}
}

// TestVPNSplitDNSInNamespace runs org-vpn in-process inside the
// namespace, with the real tunnel and LAN links and per-link DNS state
// written as systemd-resolved and networkd write it (testdata; resolved
// itself cannot run here: it needs D-Bus and systemd as PID 1), under
// the links' real interface indexes.
func TestVPNSplitDNSInNamespace(t *testing.T) {
	cli, lanIf := vpnLab(t)
	tests := []struct {
		name   string
		tunnel string
		want   []string
	}{
		{"the VPN's DNS without a routing domain", "resolved-netif-vpn-nodomain", []string{"org.vpn-split-dns-missing"}},
		{"the VPN's DNS with ~corp.example", "resolved-netif-vpn-routing", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			d := resolvedDirs{Resolved: filepath.Join(dir, "resolve"), Networkd: filepath.Join(dir, "links")}
			var res report.Result
			err := cli.Do(func() error {
				tun, err := net.InterfaceByName("tun0")
				if err != nil {
					return err
				}
				lan, err := net.InterfaceByName(lanIf)
				if err != nil {
					return err
				}
				for _, f := range []struct{ dir, name, fixture string }{
					{d.Resolved, fmt.Sprint(tun.Index), tt.tunnel},
					{d.Networkd, fmt.Sprint(lan.Index), "networkd-link-eth0"},
				} {
					if err := os.MkdirAll(f.dir, 0o755); err != nil {
						return err
					}
					if err := os.WriteFile(filepath.Join(f.dir, f.name), []byte(readTestdata(t, f.fixture)), 0o644); err != nil {
						return err
					}
				}
				c := vpnCheck{tunnels: listTunnels, route: routeIface, routes: tunnelRoutes, lookup: lookupHost,
					perLink: func() ([]linkDNS, bool, error) { return readResolvedLinks(d, interfaceName) },
					joined:  func(context.Context) string { return "" }}
				env := testEnv("127.0.0.53:53", "10.8.0.1:53", "192.168.1.1:53")
				env.Profile.Org.Domain = "corp.example"
				res = c.run(context.Background(), env)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			res.Normalize()
			t.Logf("%s: %s", res.Status, res.Summary)
			for _, f := range res.Findings {
				t.Logf("  %s: %s", f.Code, f.Message)
			}
			if got := codesOf(res); !slices.Equal(got, tt.want) {
				t.Errorf("codes %v, want %v", got, tt.want)
			}
			if len(tt.want) > 0 && !strings.Contains(res.Findings[len(res.Findings)-1].Message, "corp.example goes to "+lanIf+" (192.168.1.1)") {
				t.Errorf("the finding does not name the LAN link %s and its server", lanIf)
			}
		})
	}
}
