package netcheck_test

import (
	"net"
	"slices"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// acceptLoop accepts and closes connections until the listener closes.
func acceptLoop(l net.Listener) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
}

func TestTCPStatesInLab(t *testing.T) {
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	l.Link(c, "10.31.0.1/24", s, "10.31.0.2/24")
	cIf, _ := l.Link(c, "fd31::1/64", s, "fd31::2/64")
	_ = cIf
	acceptLoop(s.Listen("tcp", "10.31.0.2:8080"))
	acceptLoop(s.Listen("tcp", "[fd31::2]:8080"))
	acceptLoop(s.Listen("tcp", "10.31.0.2:8082"))
	s.Nft(`table inet f {
  chain input { type filter hook input priority 0; tcp dport 8082 drop; }
}`)
	c.SetHosts("127.0.0.1 localhost\n10.31.0.2 both.lab\nfd31::2 both.lab\n")

	rep := runNet(t, c, "", labProfile,
		"--tcp", "10.31.0.2:8080", "--tcp", "[fd31::2]:8080", "--tcp", "both.lab:8080",
		"--tcp", "10.31.0.2:8081", "--tcp", "10.31.0.2:8082", "--tcp", "10.31.0.99:80",
		"--tcp", "nosuch.invalid:80")
	tests := []struct {
		name, target string
		want         []string
		status       report.Status
	}{
		{"open v4", "10.31.0.2:8080", []string{"net.tcp-open"}, report.StatusOK},
		{"open v6", "[fd31::2]:8080", []string{"net.tcp-open"}, report.StatusOK},
		{"open on both families", "both.lab:8080", []string{"net.tcp-open", "net.tcp-open"}, report.StatusOK},
		{"refused", "10.31.0.2:8081", []string{"net.tcp-refused"}, report.StatusFail},
		{"filtered by nft", "10.31.0.2:8082", []string{"net.tcp-filtered"}, report.StatusFail},
		{"no such host on the subnet", "10.31.0.99:80", []string{"net.tcp-unreachable"}, report.StatusFail},
		{"name does not resolve", "nosuch.invalid:80", []string{"net.no-resolve"}, report.StatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := result(t, rep, "net-tcp", tt.target)
			if got := codes(r); !slices.Equal(got, tt.want) {
				t.Errorf("codes = %v, want %v (summary %q)", got, tt.want, r.Summary)
			}
			if r.Status != tt.status {
				t.Errorf("status = %s, want %s", r.Status, tt.status)
			}
		})
	}
	t.Run("both families reported separately", func(t *testing.T) {
		r := result(t, rep, "net-tcp", "both.lab:8080")
		addrs, _ := r.Details["addresses"].([]any)
		var fams []string
		for _, a := range addrs {
			fams = append(fams, a.(map[string]any)["family"].(string))
		}
		slices.Sort(fams)
		if want := []string{"ipv4", "ipv6"}; !slices.Equal(fams, want) {
			t.Errorf("families = %v, want %v", fams, want)
		}
		if _, ok := r.Metrics["connect_ms"]; !ok {
			t.Errorf("no connect_ms metric: %v", r.Metrics)
		}
	})
}
