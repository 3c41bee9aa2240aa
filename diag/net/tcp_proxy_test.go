package netcheck

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/report"
)

// closedLoopbackPort returns a loopback port nothing listens on (connects
// are refused at once).
func closedLoopbackPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// On a network whose way out is a proxy, the profile's direct probe
// failing is no fault; the same target named with --tcp is judged as is.
func TestTCPBehindProxy(t *testing.T) {
	hp := target.HostPort{Host: "127.0.0.1", Port: closedLoopbackPort(t)}
	tests := []struct {
		name  string
		proxy string
		cli   bool
		want  report.Status
		words string
	}{
		{"profile target, no proxy", "", false, report.StatusFail, "refused"},
		{"profile target behind a proxy", "http://proxy.corp:3128", false, report.StatusOK, "as expected with a proxy configured"},
		{"--tcp target behind a proxy", "http://proxy.corp:3128", true, report.StatusFail, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := profile.Default()
			p.Net.TCP.Targets = []string{hp.String()}
			facts := diag.NewFacts()
			if tt.proxy != "" {
				diag.SetFact(facts, diag.FactProxy, tt.proxy)
			}
			targets := &diag.Targets{}
			if tt.cli {
				targets.TCP = []target.HostPort{hp}
			}
			spec := tcpSpec
			checks := spec.Plan(&diag.PlanInput{Profile: p, Targets: targets, Facts: facts})
			if len(checks) != 1 {
				t.Fatalf("planned %d checks, want 1", len(checks))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			res := checks[0].Run(ctx, &diag.Env{Profile: p, Facts: facts, Evidence: &diag.Evidence{}})
			res.Normalize()
			if res.Status != tt.want || !strings.Contains(strings.ToLower(res.Summary+findingText(res)), tt.words) {
				t.Errorf("%s %q %v, want %s mentioning %q", res.Status, res.Summary, res.Findings, tt.want, tt.words)
			}
			if tt.want == report.StatusOK && !strings.Contains(res.Summary, strconv.Itoa(hp.Port)) {
				t.Errorf("summary %q lost what was seen", res.Summary)
			}
		})
	}
}

func findingText(r report.Result) string {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(" " + f.Code + " " + f.Message)
	}
	return b.String()
}
