package dnscheck

import (
	"fmt"
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

// manyNamesLab is a client and a healthy unbound at 10.53.0.1 that serves
// n names (A and AAAA each); the client's resolv.conf points at it. It
// returns the client and a profile asking for all n names.
func manyNamesLab(t testing.TB, n int) (*lab.NS, string) {
	l := lab.New(t)
	lab.RequireTool(t, "unbound")
	srv, cli := l.Namespace("dnssrv"), l.Namespace("dnscli")
	l.Link(cli, "10.53.0.2/24", srv, "10.53.0.1/24")
	var zone, names strings.Builder
	zone.WriteString("local-zone: \"corp.l2lab.\" static\n")
	for i := range n {
		name := fmt.Sprintf("host%04d.corp.l2lab", i)
		fmt.Fprintf(&zone, "local-data: \"%s. 300 IN A 10.60.%d.%d\"\n", name, i/250, i%250+1)
		fmt.Fprintf(&zone, "local-data: \"%s. 300 IN AAAA 2001:db8::%x\"\n", name, i+1)
		fmt.Fprintf(&names, "    - %s\n", name)
	}
	lab.Unbound(t, srv, netip.MustParseAddrPort("10.53.0.1:53"), zone.String(), "")
	cli.SetResolvConf("nameserver 10.53.0.1\noptions timeout:1 attempts:2\n")
	prof := filepath.Join(os.TempDir(), fmt.Sprintf("l2diag-names-%d-%s.yaml", n, cli.Name))
	// No public targets: their names would be resolved too.
	yaml := "name: many-names\ntimeout: 30s\nnet:\n  tcp:\n    targets: []\n  http:\n    connectivity: []\n" +
		"dns:\n  hijack_domain: corp.l2lab\n  names:\n" + names.String()
	if err := os.WriteFile(prof, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(prof) })
	return cli, prof
}

func decodeRun(t testing.TB, r lab.Result) *report.Report {
	t.Helper()
	rep, err := report.Decode([]byte(r.Stdout))
	if err != nil {
		t.Fatalf("exit %d, no report: %v\nstderr:\n%s", r.ExitCode, err, r.Stderr)
	}
	return rep
}

// TestManyNamesUnderLowNofile: 200 names on a healthy resolver under a hard
// limit on descriptors. Without sizing to the limit, queries failed with
// "socket: too many open files" and were reported as dns.query-timeout
// (on this 2-core lab from 128 descriptors down; 256 is the limit some
// managed desktops and containers set). Every name must resolve, every
// verdict be right.
func TestManyNamesUnderLowNofile(t *testing.T) {
	cli, prof := manyNamesLab(t, 200)
	for _, limit := range []int{256, 64} {
		t.Run(fmt.Sprintf("nofile=%d", limit), func(t *testing.T) {
			args := []string{"run", "--only", "dns", "-o", "json", "--no-bundle", "--profile", prof}
			rep := decodeRun(t, cli.L2diagNofile(limit, args...))
			if r, all := allLocalErrors(rep); all {
				// Every query refused by this machine is a run that could
				// not start its sockets, not a sizing bug (that fails some
				// names, not all): say what the OS said, run once more.
				t.Logf("every name failed locally; first: %s %s %q %+v; running again", r.Check, r.Target, r.Summary, r.Findings)
				rep = decodeRun(t, cli.L2diagNofile(limit, args...))
			}
			checked := 0
			for _, r := range rep.Results {
				if r.Check != "dns-resolve" && r.Check != "dns-system" {
					continue
				}
				checked++
				if r.Status != report.StatusOK {
					t.Errorf("%s %s: %s %v %q", r.Check, r.Target, r.Status, codes(r), r.Summary)
				}
			}
			if checked != 2*200 {
				t.Errorf("%d name results, want %d", checked, 2*200)
			}
		})
	}
}

// allLocalErrors reports whether every dns-resolve result of rep is
// dns.local-error, and returns the first.
func allLocalErrors(rep *report.Report) (report.Result, bool) {
	var first report.Result
	n := 0
	for _, r := range rep.Results {
		if r.Check != "dns-resolve" {
			continue
		}
		if !slices.Contains(codes(r), "dns.local-error") {
			return report.Result{}, false
		}
		if n == 0 {
			first = r
		}
		n++
	}
	return first, n > 0
}

// BenchmarkManyNamesBundle: a dns run over 1000 and 2000 names without and
// with its bundle, with the peak RSS of the
// l2diag process. Goals: with bundle <= 1.5x without; 2000 names with
// bundle <= 100 MiB.
//
//	go test -run '^$' -bench BenchmarkManyNamesBundle -benchtime 3x ./diag/dns/
func BenchmarkManyNamesBundle(b *testing.B) {
	for _, n := range []int{1000, 2000} {
		cli, prof := manyNamesLab(b, n)
		lab.Binary(b)
		for _, bundle := range []bool{false, true} {
			b.Run(fmt.Sprintf("names=%d/bundle=%v", n, bundle), func(b *testing.B) {
				args := []string{"run", "--only", "dns", "-o", "json", "--profile", prof}
				if bundle {
					args = append(args, "--bundle", filepath.Join(b.TempDir(), "b.zip"))
				} else {
					args = append(args, "--no-bundle")
				}
				var rss int64
				var cpu time.Duration
				for b.Loop() {
					r := cli.L2diag(args...)
					rep := decodeRun(b, r)
					if rep.Status.Problem() {
						b.Fatalf("status %s on a healthy resolver: %v", rep.Status, rep.Summary)
					}
					rss = max(rss, r.MaxRSSKiB)
					cpu += r.CPU
				}
				b.ReportMetric(float64(rss)/1024, "peak-RSS-MiB")
				b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			})
		}
	}
}
