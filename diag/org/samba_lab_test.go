package orgcheck

import (
	"fmt"
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
)

// TestSambaDCInNamespace runs a real Samba AD DC (samba-tool domain
// provision, then samba in the foreground) in a site namespace at
// 10.88.1.10, with its internal DNS serving the domain's SRV records, and
// unbound at 10.88.1.2 as the public resolver that does not know them.
// Samba does not serve NTP itself (it signs for ntpd), so an SNTP server
// 7 minutes ahead stands in for the DC's time service on the same address.
func TestSambaDCInNamespace(t *testing.T) {
	// Made before the lab so that it is removed after the lab has stopped
	// samba (cleanups run last-in first-out): a running samba writes its
	// client logs into it again.
	dir, err := os.MkdirTemp("", "l2diag-samba-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	l := lab.New(t)
	lab.RequireTool(t, "samba-tool", "samba", "unbound")
	site := l.Namespace("addc")
	cli := l.Namespace("member")
	_, siteIf := l.Link(cli, "10.88.1.100/24", site, "10.88.1.10/24")
	site.MustRun("ip", "addr", "add", "10.88.1.2/24", "dev", siteIf)

	start := time.Now()
	prov := exec.Command("samba-tool", "domain", "provision", "--realm=CORP.L2LAB", "--domain=CORP", "--server-role=dc",
		"--dns-backend=SAMBA_INTERNAL", "--adminpass=L2lab-Passw0rd!", "--targetdir="+dir, "--host-name=dc1", "--host-ip=10.88.1.10",
		"--option=interfaces=10.88.1.10", "--option=bind interfaces only=yes", "--option=log file="+filepath.Join(dir, "log.%m"),
		"--option=dns forwarder=10.88.1.2")
	if out, err := prov.CombinedOutput(); err != nil {
		t.Skipf("samba-tool domain provision failed (a Samba without samba-ad-provision?): %v\n%s", err, lastLines(string(out), 5))
	}
	provisioned := time.Since(start)
	site.Start("samba", "-i", "-M", "single", "-s", filepath.Join(dir, "etc", "smb.conf"))
	site.WaitTCP("10.88.1.10:389", 60*time.Second)
	site.WaitTCP("10.88.1.10:445", 30*time.Second)
	t.Logf("Samba DC: provisioned in %s, serving LDAP and SMB %s later", provisioned.Round(100*time.Millisecond), (time.Since(start) - provisioned).Round(100*time.Millisecond))
	lab.Unbound(t, site, netip.MustParseAddrPort("10.88.1.2:53"), `local-zone: "l2lab." static`, "")
	lab.ServeSNTP(site, "udp4", "10.88.1.10", 7*time.Minute)

	o := &orgLab{cli: cli, site: site}
	t.Run("the DC's DNS beside a public resolver, clock 7 minutes off", func(t *testing.T) {
		cli.SetResolvConf("nameserver 10.88.1.10\nnameserver 10.88.1.2\n")
		rep := o.run(t, labDomain)
		r := result(t, rep, IDDomain)
		got := codesOf(r)
		for _, want := range []string{"org.dc-srv-inconsistent", "org.dc-clock-skew"} {
			if !slices.Contains(got, want) {
				t.Errorf("org-domain codes %v lack %s", got, want)
			}
		}
		for _, not := range []string{"org.dc-port-blocked", "org.dc-unreachable", "org.dc-not-found"} {
			if slices.Contains(got, not) {
				t.Errorf("org-domain codes %v have %s: Samba serves 88, 389, 445 and 464\n%v", got, not, r.Details["dcs"])
			}
		}
		if !strings.Contains(fmt.Sprint(r.Details["dcs"]), "dc1.corp.l2lab") || !strings.Contains(fmt.Sprint(r.Details["dcs"]), "10.88.1.10") {
			t.Errorf("details.dcs %v do not name dc1.corp.l2lab at 10.88.1.10", r.Details["dcs"])
		}
		cc := conclusionCodes(rep)
		for _, want := range []string{"cause.dc-clock-skew", "cause.dc-dns-not-used"} {
			if !slices.Contains(cc, want) {
				t.Errorf("conclusions %v lack %s", cc, want)
			}
		}
	})
	t.Run("only the DC's DNS: found and reached", func(t *testing.T) {
		cli.SetResolvConf("nameserver 10.88.1.10\n")
		rep := o.run(t, labDomain)
		r := result(t, rep, IDDomain)
		if got := codesOf(r); !slices.Equal(got, []string{"org.dc-clock-skew"}) || r.Status != report.StatusFail {
			t.Errorf("org-domain: %s %v; want fail with org.dc-clock-skew alone", r.Status, got)
		}
		// The LDAP ping: Samba puts a client of a one-site forest in that
		// site, and says it is the closest DC, a KDC and writable.
		ping := fmt.Sprint(r.Details["ldap_ping"])
		t.Logf("LDAP ping: %s", ping)
		for _, want := range []string{"dc1.corp.l2lab", "Default-First-Site-Name", "kdc", "closest", "writable", "corp.l2lab"} {
			if !strings.Contains(ping, want) {
				t.Errorf("details.ldap_ping %s lacks %q", ping, want)
			}
		}
		if r.Details["client_site"] != "Default-First-Site-Name" || r.Details["site_dc"] != "dc1.corp.l2lab" {
			t.Errorf("client_site %v, site_dc %v; want Default-First-Site-Name, dc1.corp.l2lab", r.Details["client_site"], r.Details["site_dc"])
		}
	})
	smbConf := filepath.Join(dir, "etc", "smb.conf")
	sambaTool := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("samba-tool", append(args, "-s", smbConf)...).CombinedOutput(); err != nil {
			t.Fatalf("samba-tool %v: %v\n%s", args, err, out)
		}
	}
	t.Run("a second site, the client's subnet in none: no client site", func(t *testing.T) {
		sambaTool("sites", "create", "Branch")
		cli.SetResolvConf("nameserver 10.88.1.10\n")
		rep := o.run(t, labDomain)
		r := result(t, rep, IDDomain)
		if got := codesOf(r); !slices.Contains(got, "org.dc-no-client-site") || slices.Contains(got, "org.dc-not-in-site") {
			t.Errorf("org-domain codes %v; want org.dc-no-client-site (two sites, no subnet)\n%v", got, r.Details["ldap_ping"])
		}
		if !slices.Contains(conclusionCodes(rep), "cause.ad-site-not-covered") {
			t.Errorf("conclusions %v lack cause.ad-site-not-covered", conclusionCodes(rep))
		}
	})
	t.Run("the client's subnet in a site without a DC", func(t *testing.T) {
		sambaTool("sites", "subnet", "create", "10.88.1.0/24", "Branch")
		rep := o.run(t, labDomain)
		r := result(t, rep, IDDomain)
		if got := codesOf(r); !slices.Contains(got, "org.dc-not-in-site") || slices.Contains(got, "org.dc-no-client-site") {
			t.Errorf("org-domain codes %v; want org.dc-not-in-site (client in Branch, the DC in Default-First-Site-Name)\n%v", got, r.Details["ldap_ping"])
		}
		if r.Details["client_site"] != "Branch" {
			t.Errorf("client_site %v, want Branch", r.Details["client_site"])
		}
		if !slices.Contains(conclusionCodes(rep), "cause.ad-site-not-covered") {
			t.Errorf("conclusions %v lack cause.ad-site-not-covered", conclusionCodes(rep))
		}
		sambaTool("sites", "subnet", "remove", "10.88.1.0/24")
		sambaTool("sites", "remove", "Branch")
	})
	t.Run("the machine account: in sync, password changed on the DC, deleted, keytab not readable", func(t *testing.T) {
		lab.RequireTool(t, "klist", "setpriv")
		cli.SetResolvConf("nameserver 10.88.1.10\n")
		// What a join does: the computer object, a password the machine
		// sets, its keys in the host keytab.
		sambaTool("computer", "create", "MEMBER1")
		sambaTool("user", "setpassword", "MEMBER1$", "--newpassword=Joined-Secret-1!")
		kt := filepath.Join(worldReadableDir(t), "krb5.keytab")
		sambaTool("domain", "exportkeytab", kt, "--principal=MEMBER1$")
		if out, err := exec.Command("klist", "-ke", kt).CombinedOutput(); err != nil || !strings.Contains(string(out), "MEMBER1$@CORP.L2LAB") {
			t.Fatalf("klist -ke %s: %v\n%s", kt, err, out)
		}
		if err := os.Chmod(kt, 0o600); err != nil {
			t.Fatal(err)
		}
		env := "KRB5_KTNAME=FILE:" + kt
		machine := func(rep *report.Report) report.Result {
			t.Helper()
			r := result(t, rep, IDMachineAccount)
			t.Logf("details %v", r.Details)
			return r
		}
		r := machine(o.run(t, labDomain, env))
		if r.Status != report.StatusOK || len(r.Findings) != 0 || r.Details["account"] != "MEMBER1$@CORP.L2LAB" || r.Details["dc"] != "10.88.1.10" {
			t.Errorf("fresh keytab: %s %v %q account %v dc %v; want ok, MEMBER1$@CORP.L2LAB accepted by 10.88.1.10", r.Status, codesOf(r), r.Summary, r.Details["account"], r.Details["dc"])
		}
		sambaTool("user", "setpassword", "MEMBER1$", "--newpassword=Rejoined-Elsewhere-1!")
		rep := o.run(t, labDomain, env)
		r = machine(rep)
		if !slices.Equal(codesOf(r), []string{"org.machine-secret-stale"}) || r.Status != report.StatusFail {
			t.Errorf("after the DC changed the password: %s %v %q; want fail with org.machine-secret-stale", r.Status, codesOf(r), r.Summary)
		}
		if !slices.Contains(conclusionCodes(rep), "cause.machine-trust-broken") {
			t.Errorf("conclusions %v lack cause.machine-trust-broken", conclusionCodes(rep))
		}
		// The keytab as a member keeps it (root only): unprivileged, the
		// check says so and draws no verdict.
		r = result(t, o.runAs(t, "l2diagtest", labDomain, env), IDMachineAccount)
		if r.Status != report.StatusSkipped || len(r.Findings) != 0 || !strings.Contains(r.Summary, "Needs root") {
			t.Errorf("unprivileged: %s %v %q; want skipped, needs root, no finding", r.Status, codesOf(r), r.Summary)
		}
		sambaTool("computer", "delete", "MEMBER1")
		r = machine(o.run(t, labDomain, env))
		if !slices.Equal(codesOf(r), []string{"org.machine-account-missing"}) {
			t.Errorf("after the computer was deleted: %s %v %q; want org.machine-account-missing", r.Status, codesOf(r), r.Summary)
		}
	})
	t.Run("the user's ticket cache from a real kinit: valid, then expired", func(t *testing.T) {
		lab.RequireTool(t, "kinit")
		conf := filepath.Join(dir, "krb5-client.conf")
		if err := os.WriteFile(conf, []byte("[libdefaults]\n\tdefault_realm = CORP.L2LAB\n\tdns_lookup_kdc = false\n[realms]\n\tCORP.L2LAB = {\n\t\tkdc = 10.88.1.10\n\t}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		kinit := func(cache string, args ...string) {
			t.Helper()
			cmd := exec.Command("ip", append([]string{"netns", "exec", cli.Name, "env", "KRB5_CONFIG=" + conf, "KRB5CCNAME=FILE:" + cache, "kinit"}, append(args, "administrator@CORP.L2LAB")...)...)
			cmd.Stdin = strings.NewReader("L2lab-Passw0rd!\n")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("kinit: %v\n%s", err, out)
			}
		}
		valid := filepath.Join(dir, "cc-valid")
		kinit(valid)
		r := result(t, o.run(t, labDomain, "KRB5CCNAME=FILE:"+valid), IDKerberos)
		if r.Status != report.StatusOK || r.Details["principal"] != "administrator@CORP.L2LAB" || r.Metrics["tgt_seconds_left"] < 3600 {
			t.Errorf("org-kerberos on a fresh ticket: %s %q principal %v, %v s left; want ok, administrator@CORP.L2LAB, hours left", r.Status, r.Summary, r.Details["principal"], r.Metrics["tgt_seconds_left"])
		}
		short := filepath.Join(dir, "cc-short")
		kinit(short, "-l", "2s")
		time.Sleep(3 * time.Second)
		rep := o.run(t, labDomain, "KRB5CCNAME=FILE:"+short)
		r = result(t, rep, IDKerberos)
		if !slices.Contains(codesOf(r), "org.kerberos-tgt-expired") {
			t.Errorf("org-kerberos on an expired ticket: %s %v %q; want org.kerberos-tgt-expired", r.Status, codesOf(r), r.Summary)
		}
		if !slices.Contains(conclusionCodes(rep), "cause.kerberos-ticket-expired") {
			t.Errorf("conclusions %v lack cause.kerberos-ticket-expired", conclusionCodes(rep))
		}
	})
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
