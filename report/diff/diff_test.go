package diff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/internal/sample"
)

func TestDiffReports(t *testing.T) {
	a := sample.Report()
	b := sample.Report()
	// B: the DNS check recovered, the disk check now fails, a new
	// result, RTT tripled, a small jitter, the issuer changed.
	b.Results[3] = report.Result{Check: "dns-resolve", Category: "dns", Target: "ad.corp.example.com", Summary: "resolved"}
	b.Results[4].Findings = []report.Finding{{Code: "host.disk_full", Status: report.StatusFail, Message: "/ is 99% full"}}
	b.Results[4].Status = report.StatusFail
	b.Results[1].Metrics["rtt_avg_ms"] = 150
	b.Results[0].Metrics["rtt_avg_ms"] = 1.9
	b.Results[2].SetDetail("cert_issuer", "CN=Evil Proxy CA")
	b.Results = append(b.Results, report.Result{Check: "net-tcp", Category: "net", Target: "db:5432", Status: report.StatusFail, Summary: "refused",
		Findings: []report.Finding{{Code: "net.refused", Status: report.StatusFail, Message: "connection refused"}}})
	b.Finish()
	fa := map[string]any{"dns_servers": []any{"10.20.0.53:53"}, "proxy": ""}
	fb := map[string]any{"dns_servers": []any{"10.20.0.54:53"}, "proxy": ""}
	d := Reports(a, b, fa, fb, Options{})

	var status []string
	for _, c := range d.StatusChanges {
		status = append(status, c.Result+" "+string(c.From)+">"+string(c.To))
	}
	if got, want := strings.Join(status, ", "), "dns-resolve ad.corp.example.com fail>ok, host-disk / warn>fail"; got != want {
		t.Errorf("status changes = %q, want %q", got, want)
	}
	if len(d.NewResults) != 1 || d.NewResults[0].Result != "net-tcp db:5432" {
		t.Errorf("new results = %+v", d.NewResults)
	}
	if len(d.NewFindings) != 1 || d.NewFindings[0].Code != "net.refused" {
		t.Errorf("new findings = %+v, want net.refused", d.NewFindings)
	}
	if len(d.VanishedFindings) != 1 || d.VanishedFindings[0].Code != "dns.timeout" {
		t.Errorf("vanished findings = %+v, want dns.timeout", d.VanishedFindings)
	}
	if len(d.Metrics) != 1 || d.Metrics[0].Metric != "rtt_avg_ms" || d.Metrics[0].To != 150 {
		t.Errorf("metrics = %+v, want only the tripled RTT", d.Metrics)
	}
	var cfg []string
	for _, c := range d.Config {
		cfg = append(cfg, c.Key+": "+c.From+" > "+c.To)
	}
	want := []string{`dns_servers: ["10.20.0.53:53"] > ["10.20.0.54:53"]`, `net-http https://intranet.corp.example.com/: cert_issuer: "CN=Corp CA" > "CN=Evil Proxy CA"`}
	if strings.Join(cfg, "\n") != strings.Join(want, "\n") {
		t.Errorf("config changes:\n%s\nwant:\n%s", strings.Join(cfg, "\n"), strings.Join(want, "\n"))
	}
	var buf bytes.Buffer
	if err := RenderText(&buf, d); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Status changes", "fail → ok", "Configuration changes", "10.20.0.54:53", "rtt_avg_ms: 48.5 ms → 150 ms"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("diff text lacks %q:\n%s", s, buf.String())
		}
	}
	if same := Reports(a, a, fa, fa, Options{}); !same.Empty() {
		t.Errorf("diff of a report with itself = %+v, want empty", same)
	}
}

func TestMetricMoved(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to float64
		want     bool
	}{
		{"rtt_avg_ms", 1, 3, false},
		{"rtt_avg_ms", 40, 100, true},
		{"rtt_avg_ms", 100, 120, false},
		{"loss_pct", 0, 4, false},
		{"loss_pct", 0, 33, true},
		// The host checks spell the unit out; the floor holds for them too.
		{"system_percent", 1.5, 0.5, false},
		{"used_percent", 40, 42, false},
		{"used_percent", 40, 46, true}, // percentages move in points, not by rel
		{"count", 10, 20, true},
		{"count", 0, 1, true},
		{"count", 10, 12, false},
	} {
		if got := metricMoved(tc.name, tc.from, tc.to, DefaultRelThreshold); got != tc.want {
			t.Errorf("metricMoved(%s, %v, %v) = %v, want %v", tc.name, tc.from, tc.to, got, tc.want)
		}
	}
}
