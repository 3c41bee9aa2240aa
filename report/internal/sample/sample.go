// Package sample holds the synthetic reports the tests of report's
// packages share: one run with every kind of result the renderers draw, and
// a large healthy run for the diff and bundle benchmarks.
package sample

import (
	"fmt"
	"math/rand"
	"time"

	"github.com/l2diag/l2diag/report"
)

// ExitCode returns a pointer to n, as Artifact.ExitCode wants it.
func ExitCode(n int) *int { return &n }

// Report is a synthetic run with every kind of result and metric the
// renderers draw.
func Report() *report.Report {
	rep := &report.Report{
		Tool:       report.Tool{Name: "l2diag", Version: "1.2.3"},
		Host:       report.Host{Hostname: "ws042.corp.example.com", OS: "linux", Arch: "amd64"},
		Profile:    "default",
		StartedAt:  time.Date(2025, 3, 4, 10, 15, 0, 0, time.UTC),
		DurationMS: 2345,
	}
	ping := report.Result{Check: "net-ping", Category: "net", Target: "10.20.30.1", Summary: "3/3 replies, 1.2ms", DurationMS: 40}
	ping.SetMetric("rtt_avg_ms", 1.2)
	ping.SetMetric("loss_pct", 0)
	ping2 := report.Result{Check: "net-ping", Category: "net", Target: "intranet.corp.example.com", Summary: "2/3 replies", DurationMS: 2000}
	ping2.SetMetric("rtt_avg_ms", 48.5)
	ping2.SetMetric("loss_pct", 33.3)
	ping2.AddFinding(report.Finding{Code: "net.loss", Status: report.StatusWarn, Message: "33% packet loss to intranet.corp.example.com", Hint: "check the Wi-Fi or the uplink"})
	http := report.Result{Check: "net-http", Category: "net", Target: "https://intranet.corp.example.com/", Summary: "200 in 412ms", DurationMS: 412}
	for k, v := range map[string]float64{"dns_ms": 12, "connect_ms": 30, "tls_ms": 80, "ttfb_ms": 250, "total_ms": 412} {
		http.SetMetric(k, v)
	}
	http.SetDetail("cert_issuer", "CN=Corp CA")
	dns := report.Result{Check: "dns-resolve", Category: "dns", Target: "ad.corp.example.com", Summary: "no answer from 10.20.0.53", DurationMS: 1500}
	dns.AddFinding(report.Finding{Code: "dns.timeout", Status: report.StatusFail, Message: "10.20.0.53 did not answer", Hint: "check the DNS server", Evidence: map[string]any{"server": "10.20.0.53"}})
	disk := report.Result{Check: "host-disk", Category: "host", Target: "/", Summary: "91% used", DurationMS: 3}
	disk.SetMetric("used_pct", 91)
	disk.AddFinding(report.Finding{Code: "host.disk_full", Status: report.StatusWarn, Message: "/ is 91% full", Hint: "free space: journalctl --vacuum-size=200M"})
	perm := report.Result{Check: "perm-path", Category: "perm", Target: "/home/alice/share", Status: report.StatusSkipped, Summary: "not checked: no path", Degraded: true}
	rep.Results = []report.Result{ping, ping2, http, dns, disk, perm}
	rep.Finish()
	rep.Conclusions = []report.Conclusion{{Code: "dns.server_down", Status: report.StatusFail, Headline: "The DNS server 10.20.0.53 does not answer", Confidence: "high", NextStep: "call the network team", Escalation: "network", Evidence: []string{"dns-resolve ad.corp.example.com"},
		KnownFixes: []report.KnownFix{
			{ID: "KB-DNS-007", Title: "VPN client leaves its DNS server behind", Where: "https://wiki.corp.example.com/kb/KB-DNS-007", Score: 9, Matched: []string{"cause dns.server_down", "evidence server=10.20.0.53"}},
			{ID: "KB-DNS-001", Title: "DNS server down: restart the resolver <service>", Where: "/srv/kb/dns/KB-DNS-001.md", Score: 4, Matched: []string{"cause dns.server_down"}},
		},
		SolvedTickets: []report.SolvedTicket{{System: "jira", Kind: "issue", Key: "SD-4711", Title: "DNS dead in branch 12", Resolution: "Restarted named on ns2", ResolvedAt: time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)}},
	}}
	return rep
}

// Run is a report with the facts a bundle carries beside it.
type Run struct {
	Report *report.Report
	Facts  map[string]any
}

// LargeRun is what a run over n DNS names writes: one result per name
// with answers, metrics and details, and the DNS engine's query table as a
// fact (4.5 MB of JSON at 2000 names). jitter varies the measured values
// the way two runs of the same healthy machine do.
func LargeRun(n int, seed int64) Run {
	rng := rand.New(rand.NewSource(seed))
	rep := &report.Report{
		Tool:      report.Tool{Name: "l2diag", Version: "test"},
		Host:      report.Host{Hostname: "ws042", OS: "linux", Arch: "amd64"},
		StartedAt: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC),
	}
	queries := make([]map[string]any, 0, n)
	for i := range n {
		name := fmt.Sprintf("host%04d.corp.example.com", i)
		r := report.Result{Check: "dns-resolve", Category: "dns", Target: name, Status: report.StatusOK,
			Summary: fmt.Sprintf("%s resolves to 10.20.%d.%d", name, i/250, i%250+1)}
		r.SetMetric("rtt_ms", 1+rng.Float64()*3)
		r.SetMetric("rtt_ms_max", 1+rng.Float64()*5)
		r.SetMetric("answers", 1)
		r.SetDetail("servers", []string{"10.0.0.53:53", "10.0.0.54:53"})
		r.SetDetail("answers", []string{fmt.Sprintf("10.20.%d.%d", i/250, i%250+1)})
		rep.Results = append(rep.Results, r)
		for _, srv := range []string{"10.0.0.53:53", "10.0.0.54:53"} {
			for _, typ := range []string{"A", "AAAA"} {
				q := map[string]any{"server": srv, "name": name, "type": typ, "transport": "udp", "rcode": "NOERROR",
					"rtt_ms": 1 + rng.Float64()*3, "elapsed_ms": 1 + rng.Float64()*4, "tries": 1 + rng.Intn(2)}
				if typ == "A" {
					q["answer"] = []map[string]any{{"name": name + ".", "type": "A", "ttl": rng.Intn(300), "data": fmt.Sprintf("10.20.%d.%d", i/250, i%250+1)}}
				}
				queries = append(queries, q)
			}
		}
	}
	rep.Finish()
	facts := map[string]any{
		"dns_servers": []string{"10.0.0.53:53", "10.0.0.54:53"},
		"dns_queries": map[string]any{"queries": queries},
	}
	return Run{Report: rep, Facts: facts}
}

// Fake secrets: realistic shapes, never real credentials.
const (
	FakeJiraToken = "ATATT3xFfGF0T4kePr1vAtEt0kEnF0rT3st1ngOnly0123456789abcdef"
	FakeJWT       = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0ZXN0dXNlciIsIm5hbWUiOiJUZXN0In0.c2lnbmF0dXJlZmFrZXNpZ25hdHVyZQ"
	FakeURLPass   = "hunter2proxyPW"
	FakeEnvSecret = "envSecretValue-9f8e7d"
	FakeDBPass    = "s3cr3t-db-pass"
	FakeKeyBody   = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDfakefakefake"
	FakeGitHub    = "ghp_0123456789abcdefghijABCDEFGHIJ012345"
	FakeBearer    = "opaqueBearerValue12345"
)

// AllFakeSecrets are the fake secrets and one more API-key value.
var AllFakeSecrets = []string{FakeJiraToken, FakeJWT, FakeURLPass, FakeEnvSecret, FakeDBPass, FakeKeyBody, FakeGitHub, FakeBearer, "fakeApiKeyValue77"}
