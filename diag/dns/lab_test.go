package dnscheck

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// dnsLab is a client namespace linked to a server namespace that runs:
// 10.53.0.1 unbound with the lab zone (and a PTR for the client that does
// not confirm), 10.53.0.3 a second unbound that disagrees, 10.53.0.4 an
// address nft drops, 10.53.0.5 an unbound that REFUSES.
type dnsLab struct {
	cli, srv *lab.NS
	good     *lab.DNSServer
}

func newDNSLab(t *testing.T) *dnsLab {
	t.Helper()
	l := lab.New(t)
	lab.RequireTool(t, "unbound")
	srv := l.Namespace("dnssrv")
	cli := l.Namespace("dnscli")
	_, srvIf := l.Link(cli, "10.53.0.2/24", srv, "10.53.0.1/24")
	for _, a := range []string{"10.53.0.3/24", "10.53.0.4/24", "10.53.0.5/24"} {
		srv.MustRun("ip", "addr", "add", a, "dev", srvIf)
	}
	srv.Nft(`table inet blackhole {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr 10.53.0.4 drop
	}
}`)
	ap := func(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
	good := lab.Unbound(t, srv, ap("10.53.0.1:53"), labZone()+`
local-data: "override.corp.l2lab. 300 IN A 10.53.0.20"
local-data: "client.corp.l2lab. 300 IN A 10.53.0.200"
local-data-ptr: "10.53.0.2 client.corp.l2lab"`, "")
	lab.Unbound(t, srv, ap("10.53.0.3:53"), `local-zone: "corp.l2lab." static
local-data: "www.corp.l2lab. 300 IN A 10.53.9.99"`, "")
	lab.Unbound(t, srv, ap("10.53.0.5:53"), "access-control: 10.53.0.0/24 refuse", "")
	return &dnsLab{cli: cli, srv: srv, good: good}
}

// runBinary runs `l2diag run --only dns` in the client namespace with a
// profile and returns the report.
func (d *dnsLab) runBinary(t *testing.T, profileYAML string, args ...string) *report.Report {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lab.yaml")
	if err := os.WriteFile(path, []byte(profileYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	full := append([]string{"run", "--only", "dns", "--output", "json", "--profile", path}, args...)
	r := d.cli.L2diag(full...)
	rep, err := report.Decode([]byte(r.Stdout))
	if err != nil {
		t.Fatalf("exit %d, no report: %v\nstdout:\n%s\nstderr:\n%s", r.ExitCode, err, r.Stdout, r.Stderr)
	}
	return rep
}

func findResult(rep *report.Report, check, target string) (report.Result, bool) {
	for _, r := range rep.Results {
		if r.Check == check && r.Target == target {
			return r, true
		}
	}
	return report.Result{}, false
}

func resultCodes(rep *report.Report) []string {
	var out []string
	for _, r := range rep.Results {
		out = append(out, fmt.Sprintf("%s[%s]=%s%v", r.Check, r.Target, r.Status, codes(r)))
	}
	return out
}

const labProfileYAML = `name: dns-lab
timeout: 20s
check_timeout: 5s
dns:
  names: [www.corp.l2lab, override.corp.l2lab]
  query_timeout: 1s
  retries: 1
  hijack_domain: corp.l2lab
`

func TestBinaryInNamespace(t *testing.T) {
	d := newDNSLab(t)
	d.cli.SetResolvConf("# written by the test\nnameserver 10.53.0.1\nnameserver 10.53.0.3\nnameserver 10.53.0.4\nsearch corp.l2lab\noptions timeout:1 attempts:1\nnameserver: 10.53.0.9\n")
	d.cli.SetHosts("127.0.0.1 localhost\n10.99.0.1 override.corp.l2lab\n")
	rep := d.runBinary(t, labProfileYAML, "--dns-server", "10.53.0.5")
	t.Logf("dns category took %d ms", rep.DurationMS)
	for _, r := range rep.Results {
		t.Logf("%s %s: %s: %s", r.Check, r.Target, r.Status, r.Summary)
		for _, f := range r.Findings {
			t.Logf("    %s %s: %s", f.Status, f.Code, f.Message)
		}
	}

	tests := []struct {
		check, target string
		want          string // a finding code the result must have; "" = none at all
		wantStatus    report.Status
	}{
		{"dns-config", "", "dns.config-malformed", report.StatusWarn},
		{"dns-server", "10.53.0.1", "", report.StatusOK},
		{"dns-server", "10.53.0.4", "dns.server-timeout", report.StatusFail},
		{"dns-server", "10.53.0.5", "dns.server-refused", report.StatusFail},
		// REFUSED from 10.53.0.5 fails it; the dropped server adds a warning.
		{"dns-resolve", "www.corp.l2lab", "dns.query-timeout", report.StatusFail},
		{"dns-consistency", "www.corp.l2lab", "dns.servers-disagree", report.StatusWarn},
		{"dns-system", "www.corp.l2lab", "", report.StatusOK},
		{"dns-system", "override.corp.l2lab", "dns.hosts-override", report.StatusWarn},
		{"dns-reverse", "10.53.0.2", "dns.ptr-mismatch", report.StatusWarn},
		{"dns-hijack", "10.53.0.1", "", report.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.check+" "+tt.target, func(t *testing.T) {
			r, ok := findResult(rep, tt.check, tt.target)
			if !ok {
				t.Fatalf("no result; have %v", resultCodes(rep))
			}
			c := codes(r)
			if tt.want == "" && len(c) > 0 || tt.want != "" && !slices.Contains(c, tt.want) {
				t.Errorf("codes = %v, want %q (%s)", c, tt.want, r.Summary)
			}
			if r.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s (%s)", r.Status, tt.wantStatus, r.Summary)
			}
		})
	}
	t.Run("bad input is a usage error before anything runs", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.yaml")
		if err := os.WriteFile(bad, []byte("name: bad\ndns:\n  types: [A, BOGUS]\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"--dns-name", "not a name"},
			{"--dns-server", "dns.example"},
			{"--profile", bad},
		} {
			full := append([]string{"run", "--only", "dns"}, args...)
			if r := d.cli.L2diag(full...); r.ExitCode != 64 {
				t.Errorf("%v: exit %d, want 64\n%s", args, r.ExitCode, r.Stderr)
			}
		}
	})
	t.Run("the config check read the namespace's resolv.conf", func(t *testing.T) {
		r, _ := findResult(rep, "dns-config", "")
		b, _ := json.Marshal(r.Details["config"])
		if !strings.Contains(string(b), "10.53.0.4:53") || !strings.Contains(string(b), "corp.l2lab") {
			t.Errorf("config details = %s", b)
		}
	})
}
