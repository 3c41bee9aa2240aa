//go:build linux

package e2e

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report/fleet"
)

// The fleet lab: six "hosts", each a namespace with its own sshd, host
// name and /etc/resolv.conf, on two segments behind different routers,
// and a controller namespace that runs the Ansible role against them.
//
//	ctrl 10.0.1.1 ── 10.0.1.2 rA br 10.10.1.1/24 ── a1 .11, a2 .12, a3 .13   DNS 10.10.1.53: dead (dropped)
//	ctrl 10.0.2.1 ── 10.0.2.2 rB br 10.20.1.1/24 ── b1 .11, b2 .12, b3 .13   DNS 10.20.1.53: dnsmasq
//	ctrl lo 10.0.9.10: the application, TCP 8443 (rB filters it: the segment's second fault)
//
// b3 alone also has a full disk. The controller has no default route, so
// nothing leaves the lab.
func TestFleetAnsibleLab(t *testing.T) {
	lab.RequireTool(t, "ansible-playbook", "ssh", "/usr/sbin/sshd", "unshare", "ssh-keygen")
	user := lab.RequireUser(t)
	l := lab.New(t)
	bin := lab.Binary(t)

	ctrl := l.Namespace("ctrl")
	ctrl.MustRun("ip", "addr", "add", "10.0.9.10/32", "dev", "lo")
	app := ctrl.Listen("tcp", "10.0.9.10:8443")
	go func() {
		for {
			c, err := app.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()

	// The test user's sshd session reads the keys and runs in here: a
	// folder others may enter (t.TempDir's parent is private).
	work, err := os.MkdirTemp("", "l2diag-fleet-lab-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(work) })
	if err := os.Chmod(work, 0o755); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(work, "id_ed25519")
	mustExec(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(work, "authorized_keys"), string(pub), 0o644)
	mustExec(t, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(work, "hostkey"))
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		t.Fatal(err)
	}
	// Every host mounts a small tmpfs at the same path; b3's is full. The
	// profile checks only that mount, so the disk fault is b3's alone.
	disk := filepath.Join(work, "data")
	if err := os.Mkdir(disk, 0o755); err != nil {
		t.Fatal(err)
	}

	type segment struct {
		name, router, ctrlAddr, routerAddr, prefix string
	}
	segs := []segment{{"a", "rA", "10.0.1.1/30", "10.0.1.2/30", "10.10.1"}, {"b", "rB", "10.0.2.1/30", "10.0.2.2/30", "10.20.1"}}
	var inventory strings.Builder
	inventory.WriteString("[fleet]\n")
	for si, sg := range segs {
		r := l.Namespace(sg.router)
		l.Link(ctrl, sg.ctrlAddr, r, sg.routerAddr)
		r.Forward()
		r.Route("default", "via", strings.Split(sg.ctrlAddr, "/")[0])
		ctrl.Route(sg.prefix+".0/24", "via", strings.Split(sg.routerAddr, "/")[0])
		r.MustRun("ip", "link", "add", "br0", "type", "bridge")
		r.MustRun("ip", "addr", "add", sg.prefix+".1/24", "dev", "br0")
		r.MustRun("ip", "addr", "add", sg.prefix+".53/32", "dev", "br0")
		r.MustRun("ip", "link", "set", "br0", "up")
		dnsAddr := netip.MustParseAddrPort(sg.prefix + ".53:53")
		if sg.name == "a" {
			r.Nft("table inet fleet {\n chain inp {\n  type filter hook input priority 0;\n  ip daddr " + sg.prefix + ".53 drop\n }\n}\n")
		} else {
			lab.Dnsmasq(t, r, dnsAddr, "--no-resolv", "--local=/corp.test/", "--host-record=app.corp.test,10.0.9.10")
			r.Nft("table inet fleet {\n chain filt {\n  type filter hook forward priority 0;\n  ip daddr 10.0.9.10 tcp dport 8443 drop\n }\n}\n")
		}
		for i := 1; i <= 3; i++ {
			name := fmt.Sprintf("%s%d", sg.name, i)
			addr := fmt.Sprintf("%s.%d", sg.prefix, 10+i)
			h := l.Namespace(name)
			_, rIf := l.Link(h, addr+"/24", r, "")
			r.MustRun("ip", "link", "set", rIf, "master", "br0")
			h.Route("default", "via", sg.prefix+".1")
			h.SetResolvConf("nameserver " + sg.prefix + ".53\n")
			fill := "true"
			if name == "b3" {
				fill = "dd if=/dev/zero of=" + disk + "/fill bs=64k 2>/dev/null; true"
			}
			cfg := filepath.Join(work, "sshd-"+name)
			writeFile(t, cfg, strings.Join([]string{
				"ListenAddress " + addr, "Port 22", "HostKey " + filepath.Join(work, "hostkey"),
				"AuthorizedKeysFile " + filepath.Join(work, "authorized_keys"), "StrictModes no",
				"PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM yes",
				"PidFile none", "AllowUsers " + user, "",
			}, "\n"), 0o644)
			// A host name of its own (UTS namespace) and a PID namespace
			// with its own /proc, as in a container: the disk check reads
			// the mounts of PID 1, which is then this host's sshd. The
			// tmpfs lives in the mount namespace ip netns exec made.
			h.Start("unshare", "--uts", "--pid", "--fork", "--mount-proc", "sh", "-c", "hostname "+name+".corp.test && mount -t tmpfs -o size=4m,mode=0777 l2diag-fleet "+disk+
				" && "+fill+" && exec /usr/sbin/sshd -D -e -f "+cfg)
			ctrl.WaitTCP(addr+":22", 10*time.Second)
			fmt.Fprintf(&inventory, "%s ansible_host=%s\n", name, addr)
		}
		_ = si
	}

	binDir := filepath.Join(work, "dist")
	if err := os.Mkdir(binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, bin, filepath.Join(binDir, "l2diag-linux-"+runtime.GOARCH), 0o755)
	profile := filepath.Join(work, "fleet-lab.yaml")
	writeFile(t, profile, `name: fleet-lab
net:
  ping: {gateways: false, dns_servers: false}
  tcp: {targets: ["10.0.9.10:8443"]}
  http: {connectivity: []}
  trace: {enabled: false}
  mtu: {enabled: false}
dns:
  names: [app.corp.test]
  query_timeout: 1s
host:
  clock: {ntp_servers: []}
  disks: {mounts: [`+disk+`], writable: []}
`, 0o644)
	inv := filepath.Join(work, "inventory.ini")
	writeFile(t, inv, inventory.String(), 0o644)
	fetchDir := filepath.Join(work, "incidents")
	tmpParent := filepath.Join(work, "hosttmp")
	if err := os.Mkdir(tmpParent, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tmpParent, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}

	root := moduleRoot(t)
	cmd := exec.Command("ip", "netns", "exec", ctrl.Name, "ansible-playbook", "-i", inv,
		filepath.Join(root, "deploy", "ansible", "playbook.yml"),
		"-u", user, "--private-key", key,
		"-e", "l2diag_incident=INC-LAB", "-e", "l2diag_fetch_dir="+fetchDir,
		"-e", "l2diag_binary_dir="+binDir, "-e", "l2diag_tmp_parent="+tmpParent, "-e", "l2diag_profile="+profile,
		// The six hosts share one CPU: judging it (host-cpu) would make the
		// CI machine's load an outlier of whichever host sampled it.
		"-e", `{"l2diag_run_args": ["--timeout", "60s", "--skip", "host-cpu"]}`)
	cmd.Dir = filepath.Join(root, "deploy", "ansible")
	cmd.Env = append(os.Environ(), "ANSIBLE_HOST_KEY_CHECKING=False", "ANSIBLE_LOCAL_TEMP="+filepath.Join(work, "ansible-tmp"),
		"ANSIBLE_NOCOLOR=1",
		"ANSIBLE_SSH_ARGS=-o UserKnownHostsFile="+filepath.Join(work, "known_hosts")+" -o ControlMaster=auto -o ControlPersist=30s",
		"ANSIBLE_CONFIG="+filepath.Join(root, "deploy", "ansible", "ansible.cfg"))
	out, err := runWithTimeout(cmd, 5*time.Minute)
	if err != nil {
		t.Fatalf("ansible-playbook: %v\n%s", err, out)
	}
	bundles, _ := filepath.Glob(filepath.Join(fetchDir, "INC-LAB", "*.zip"))
	if len(bundles) != 6 {
		t.Fatalf("fetched %d bundles, want 6: %v\n%s", len(bundles), bundles, out)
	}
	// Nothing left on the hosts: the role's temporary folders are gone.
	if left, _ := os.ReadDir(tmpParent); len(left) > 0 {
		t.Errorf("the role left %d file(s) behind on the hosts: %v", len(left), left[0].Name())
	}

	res := exec.Command(bin, "fleet", "report", "-o", "json", filepath.Join(fetchDir, "INC-LAB"))
	data, err := res.Output()
	if code := res.ProcessState.ExitCode(); code != 2 {
		t.Fatalf("fleet report exit %d (%v), want 2\n%s", code, err, data)
	}
	var rep fleet.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("fleet report JSON: %v\n%s", err, data)
	}
	segA := []string{"a1.corp.test", "a2.corp.test", "a3.corp.test"}
	segB := []string{"b1.corp.test", "b2.corp.test", "b3.corp.test"}
	checkSegment := func(want []string, prefix string) {
		t.Helper()
		for _, c := range rep.Causes {
			if !slices.Equal(c.Hosts, want) {
				continue
			}
			if len(c.Shared) == 0 || c.Shared[0].Others != 0 || !strings.HasPrefix(c.Shared[0].Value, prefix) {
				t.Errorf("%s (%v): shared = %+v, want a %s.x value no other host has", c.Code, want, c.Shared, prefix)
			}
			if strings.Contains(c.Code, "dns") && c.Shared[0].Attribute != fleet.AttrDNSServer {
				t.Errorf("%s: first shared %s, want the DNS server", c.Code, c.Shared[0].Attribute)
			}
			return
		}
		t.Errorf("no cause names exactly the segment %v:\n%s", want, data)
	}
	checkSegment(segA, "10.10.1")
	checkSegment(segB, "10.20.1")
	own := false
	for _, o := range rep.Outliers {
		if o.Host == "b3.corp.test" && o.Kind == fleet.OutlierOwnCause && strings.Contains(o.Code, "disk") {
			own = true
		}
		if o.Kind == fleet.OutlierOwnCause && o.Host != "b3.corp.test" {
			t.Errorf("false outlier: %+v", o)
		}
	}
	if !own {
		t.Errorf("b3's full disk is not named as its own cause: %+v", rep.Outliers)
	}
	if t.Failed() {
		text, _ := exec.Command(bin, "fleet", "report", filepath.Join(fetchDir, "INC-LAB")).Output()
		t.Logf("fleet report:\n%s", text)
	}
	for _, c := range rep.Causes {
		for _, sh := range c.Shared {
			if !c.EveryHost && (sh.Attribute == fleet.AttrOS || sh.Attribute == fleet.AttrOSVersion || sh.Attribute == fleet.AttrToolVersion) {
				t.Errorf("%s: %s is shared by the healthy hosts too, listed as common: %+v", c.Code, sh.Attribute, sh)
			}
		}
	}
	if rep.Counts.Bundles != 6 || rep.Counts.Tampered+rep.Counts.Unreadable != 0 {
		t.Errorf("counts = %+v", rep.Counts)
	}
}

// TestAnsibleRoleChecks runs ansible-playbook --syntax-check and
// ansible-lint on the role, Windows tasks included (they are not run here).
func TestAnsibleRoleChecks(t *testing.T) {
	lab.RequireTool(t, "ansible-playbook", "ansible-lint")
	dir := filepath.Join(moduleRoot(t), "deploy", "ansible")
	for _, args := range [][]string{
		{"ansible-playbook", "--syntax-check", "-i", "localhost,", "playbook.yml"},
		{"ansible-lint", "--offline", "-p", "playbook.yml", "roles/l2diag"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "ANSIBLE_LOCAL_TEMP="+t.TempDir(), "HOME="+t.TempDir(), "ANSIBLE_NOCOLOR=1", "NO_COLOR=1")
		if out, err := runWithTimeout(cmd, 3*time.Minute); err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
