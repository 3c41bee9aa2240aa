package orgcheck

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// orgLab is a client namespace linked to a "site" namespace standing in
// for an AD site (a Samba DC is not provisioned: see docs/org.md):
//
//	10.88.0.1   dnsmasq, the domain's DNS: SRV records of corp.l2lab naming dc1 and dc2
//	10.88.0.2   unbound that says NXDOMAIN for l2lab (a home or public resolver)
//	10.88.0.3   dnsmasq whose SRV records name only dc2
//	10.88.0.10  dc1: TCP 88, 389, 445 listen, 464 refused; SNTP 10 minutes ahead
//	10.88.0.11  dc2: every packet dropped
type orgLab struct {
	cli, site *lab.NS
}

const labDomain = "corp.l2lab"

func newOrgLab(t *testing.T) *orgLab {
	t.Helper()
	l := lab.New(t)
	lab.RequireTool(t, "dnsmasq", "unbound", "nft")
	site := l.Namespace("site")
	cli := l.Namespace("orgcli")
	_, siteIf := l.Link(cli, "10.88.0.100/24", site, "10.88.0.1/24")
	for _, a := range []string{"10.88.0.2/24", "10.88.0.3/24", "10.88.0.10/24", "10.88.0.11/24"} {
		site.MustRun("ip", "addr", "add", a, "dev", siteIf)
	}
	site.Nft(`table inet dcdown {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr 10.88.0.11 drop
	}
}`)
	ap := netip.MustParseAddrPort
	srv := func(dcs ...string) []string {
		var args []string
		for i, dc := range dcs {
			args = append(args,
				fmt.Sprintf("--srv-host=_ldap._tcp.dc._msdcs.%s,%s.%s,389,0,%d", labDomain, dc, labDomain, 100-i),
				fmt.Sprintf("--srv-host=_kerberos._tcp.%s,%s.%s,88,0,%d", labDomain, dc, labDomain, 100-i))
		}
		return append(args, "--host-record=dc1."+labDomain+",10.88.0.10", "--host-record=dc2."+labDomain+",10.88.0.11", "--local=/"+labDomain+"/")
	}
	lab.Dnsmasq(t, site, ap("10.88.0.1:53"), srv("dc1", "dc2")...)
	lab.Unbound(t, site, ap("10.88.0.2:53"), `local-zone: "l2lab." static`, "")
	lab.Dnsmasq(t, site, ap("10.88.0.3:53"), srv("dc2")...)
	for _, port := range []string{"88", "389", "445"} {
		ln := site.Listen("tcp", net.JoinHostPort("10.88.0.10", port))
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				_ = c.Close()
			}
		}()
	}
	lab.ServeSNTP(site, "udp4", "10.88.0.10", 10*time.Minute)
	return &orgLab{cli: cli, site: site}
}

const orgProfile = `name: org-lab
timeout: 20s
check_timeout: 8s
org:
  domain: %s
  timeout: 800ms
`

// run runs `l2diag run --only org` in the client namespace.
func (o *orgLab) run(t *testing.T, domain string, env ...string) *report.Report {
	t.Helper()
	return o.runAs(t, "", domain, env...)
}

// runAs runs it as user (root when empty); the profile is readable by all.
func (o *orgLab) runAs(t *testing.T, user, domain string, env ...string) *report.Report {
	t.Helper()
	dir := worldReadableDir(t)
	path := filepath.Join(dir, "org.yaml")
	if err := os.WriteFile(path, []byte(fmt.Sprintf(orgProfile, domain)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := o.cli.L2diagAsEnv(user, env, "run", "--only", "org", "--output", "json", "--no-bundle", "--profile", path)
	rep, err := report.Decode([]byte(r.Stdout))
	if err != nil {
		t.Fatalf("exit %d, no report: %v\nstdout:\n%s\nstderr:\n%s", r.ExitCode, err, r.Stdout, r.Stderr)
	}
	for _, res := range rep.Results {
		t.Logf("%s: %s: %s", res.Check, res.Status, res.Summary)
		for _, f := range res.Findings {
			t.Logf("    %s %s: %s", f.Status, f.Code, f.Message)
		}
	}
	for _, c := range rep.Conclusions {
		t.Logf("conclusion %s (%s): %s", c.Code, c.Status, c.Headline)
	}
	return rep
}

func result(t *testing.T, rep *report.Report, check string) report.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Check == check {
			return r
		}
	}
	t.Fatalf("no %s result", check)
	return report.Result{}
}

func codesOf(r report.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	return out
}

func conclusionCodes(rep *report.Report) []string {
	var out []string
	for _, c := range rep.Conclusions {
		out = append(out, c.Code)
	}
	return out
}

func TestDomainControllersInNamespace(t *testing.T) {
	o := newOrgLab(t)
	tests := []struct {
		name            string
		resolv          string
		status          report.Status
		want, wantNot   []string
		conclusion      string
		detailsContains string
	}{
		{"the domain's DNS beside a public resolver, one DC down, one port closed, the DC's clock 10 min ahead",
			"nameserver 10.88.0.1\nnameserver 10.88.0.2\n", report.StatusFail,
			// The stand-in DC listens on TCP 389 only: its LDAP ping is refused.
			[]string{"org.dc-srv-inconsistent", "org.dc-port-blocked", "org.dc-clock-skew", "org.dc-ldap-ping-silent"}, []string{"org.dc-not-found", "org.dc-unreachable"},
			"cause.dc-clock-skew", "10.88.0.11"},
		{"only a public resolver: the classic VPN-less failure",
			"nameserver 10.88.0.2\n", report.StatusFail,
			[]string{"org.dc-not-found"}, []string{"org.dc-srv-inconsistent", "org.dc-port-blocked"},
			"cause.dc-dns-not-used", ""},
		{"the only DC in DNS does not answer",
			"nameserver 10.88.0.3\n", report.StatusFail,
			[]string{"org.dc-unreachable"}, []string{"org.dc-not-found", "org.dc-srv-inconsistent", "org.dc-clock-skew"},
			"cause.dc-unreachable", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o.cli.SetResolvConf(tt.resolv)
			rep := o.run(t, labDomain)
			r := result(t, rep, IDDomain)
			got := codesOf(r)
			for _, c := range tt.want {
				if !slices.Contains(got, c) {
					t.Errorf("org-domain codes %v lack %s", got, c)
				}
			}
			for _, c := range tt.wantNot {
				if slices.Contains(got, c) {
					t.Errorf("org-domain codes %v have %s", got, c)
				}
			}
			if r.Status != tt.status {
				t.Errorf("org-domain status %s, want %s", r.Status, tt.status)
			}
			if cc := conclusionCodes(rep); !slices.Contains(cc, tt.conclusion) {
				t.Errorf("conclusions %v lack %s", cc, tt.conclusion)
			}
			if tt.detailsContains != "" && !strings.Contains(fmt.Sprint(r.Details), tt.detailsContains) {
				t.Errorf("details do not name %s: %v", tt.detailsContains, r.Details)
			}
		})
	}
}

func TestVPNTunnelInNamespace(t *testing.T) {
	o := newOrgLab(t)
	o.cli.Tun("tun0")
	o.cli.MustRun("ip", "addr", "add", "10.99.0.2/24", "dev", "tun0")
	o.cli.MustRun("ip", "link", "set", "tun0", "up")
	o.cli.Route("10.77.0.0/16", "dev", "tun0")
	o.cli.SetResolvConf("nameserver 10.88.0.1\n")

	t.Run("split tunnel carrying neither DNS nor the DCs", func(t *testing.T) {
		rep := o.run(t, labDomain)
		vpn := result(t, rep, IDVPN)
		if !slices.Contains(codesOf(vpn), "org.vpn-dns-outside") || vpn.Details["mode"] != "split" {
			t.Errorf("org-vpn: codes %v, mode %v; want org.vpn-dns-outside in a split tunnel", codesOf(vpn), vpn.Details["mode"])
		}
		if !strings.Contains(fmt.Sprint(vpn.Details["routes"]), "10.77.0.0/16") {
			t.Errorf("org-vpn routes %v lack 10.77.0.0/16", vpn.Details["routes"])
		}
		dom := result(t, rep, IDDomain)
		if !slices.Contains(codesOf(dom), "org.dc-outside-vpn") {
			t.Errorf("org-domain codes %v lack org.dc-outside-vpn", codesOf(dom))
		}
		cc := conclusionCodes(rep)
		for _, want := range []string{"cause.vpn-dns-not-used", "cause.vpn-split-route-missing"} {
			if !slices.Contains(cc, want) {
				t.Errorf("conclusions %v lack %s", cc, want)
			}
		}
	})
	t.Run("full tunnel carrying the DNS server", func(t *testing.T) {
		o.cli.Route("10.88.0.1/32", "dev", "tun0")
		o.cli.Route("0.0.0.0/1", "dev", "tun0")
		o.cli.Route("128.0.0.0/1", "dev", "tun0")
		rep := o.run(t, "")
		vpn := result(t, rep, IDVPN)
		if len(vpn.Findings) != 0 || vpn.Details["mode"] != "full" || vpn.Status != report.StatusOK {
			t.Errorf("org-vpn: %s, codes %v, mode %v; want ok, none, full", vpn.Status, codesOf(vpn), vpn.Details["mode"])
		}
	})
}

// TestSilentWithoutDomainOrVPN: a machine that is not joined and has no
// tunnel and no Wi-Fi gets three skipped org checks and nothing else.
func TestSilentWithoutDomainOrVPN(t *testing.T) {
	o := newOrgLab(t)
	o.cli.SetResolvConf("nameserver 10.88.0.1\n")
	rep := o.run(t, "", "KRB5CCNAME=FILE:"+filepath.Join(t.TempDir(), "no-cache"))
	for _, id := range []string{IDDomain, IDKerberos, IDVPN, IDWifi} {
		r := result(t, rep, id)
		if id == IDDomain && r.Details["joined"] == true {
			t.Logf("this machine itself is joined (%v): org-domain is not expected to be silent", r.Details["source"])
			continue
		}
		if r.Status != report.StatusSkipped || len(r.Findings) != 0 || r.Summary == "" {
			t.Errorf("%s: %s %v %q; want skipped with a reason and no findings", id, r.Status, codesOf(r), r.Summary)
		}
	}
	if len(rep.Conclusions) != 0 {
		t.Errorf("conclusions %v on a machine with nothing to say", conclusionCodes(rep))
	}
}

// worldReadableDir is a temporary directory another user can enter (the
// parents of t.TempDir are root's only).
func worldReadableDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "l2diag-org-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
