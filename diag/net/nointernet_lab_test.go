package netcheck_test

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestDefaultProfileWithoutInternet runs the built-in profile's net checks
// in namespaces with no way out: it must say "no internet" plainly, and no
// check may run into its deadline.
func TestDefaultProfileWithoutInternet(t *testing.T) {
	tests := []struct {
		name  string
		setup func(l *lab.Lab) *lab.NS
	}{
		{"no route at all", func(l *lab.Lab) *lab.NS { return l.Namespace("c") }},
		{"gateway without upstream", func(l *lab.Lab) *lab.NS {
			c, r := l.Namespace("c"), l.Namespace("r")
			l.Link(c, "10.38.0.1/24", r, "10.38.0.2/24")
			c.Route("default", "via", "10.38.0.2")
			c.SetResolvConf("nameserver 10.38.0.2\n")
			return c
		}},
		{"upstream drops everything", func(l *lab.Lab) *lab.NS {
			c, r := l.Namespace("c"), l.Namespace("r")
			l.Link(c, "10.39.0.1/24", r, "10.39.0.2/24")
			c.Route("default", "via", "10.39.0.2")
			r.Route("default", "dev", "lo") // pretend there is a way on
			r.Forward()
			r.Nft(`table inet bh {
  chain forward_all { type filter hook forward priority 0; drop; }
  chain input_dns { type filter hook input priority 0; udp dport 53 drop; }
}`)
			c.SetResolvConf("nameserver 10.39.0.2\n")
			return c
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lab.New(t)
			c := tt.setup(l)
			r := c.L2diag("run", "--only", "net", "-o", "json")
			rep, err := report.Decode([]byte(r.Stdout))
			if err != nil {
				t.Fatalf("exit %d: %v\n%s\n%s", r.ExitCode, err, r.Stdout, r.Stderr)
			}
			t.Logf("run took %d ms", rep.DurationMS)
			noInternet := 0
			for _, res := range rep.Results {
				t.Logf("%s %s: %s %s", res.Check, res.Target, res.Status, res.Summary)
				for _, f := range res.Findings {
					if strings.HasPrefix(f.Code, "check.") {
						t.Errorf("%s %s: %s (%s)", res.Check, res.Target, f.Code, f.Message)
					}
					if f.Code == "net.no-internet" {
						noInternet++
					}
				}
			}
			if noInternet == 0 {
				t.Errorf("no net.no-internet finding")
			}
			for _, res := range rep.Results {
				if res.Status == report.StatusError {
					t.Errorf("%s %s could not run: %s", res.Check, res.Target, res.Error)
				}
			}
			if rep.Status != report.StatusFail {
				t.Errorf("status = %s, want fail", rep.Status)
			}
		})
	}
}
