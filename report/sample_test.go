package report

import "time"

// sampleReport is report/internal/sample.Report for the tests inside
// package report, which cannot import it; it goes when they have moved.
// It is a synthetic run with every kind of result and metric the
// renderers draw.
func sampleReport() *Report {
	rep := &Report{
		Tool:       Tool{Name: "l2diag", Version: "1.2.3"},
		Host:       Host{Hostname: "ws042.corp.example.com", OS: "linux", Arch: "amd64"},
		Profile:    "default",
		StartedAt:  time.Date(2025, 3, 4, 10, 15, 0, 0, time.UTC),
		DurationMS: 2345,
	}
	ping := Result{Check: "net-ping", Category: "net", Target: "10.20.30.1", Summary: "3/3 replies, 1.2ms", DurationMS: 40}
	ping.SetMetric("rtt_avg_ms", 1.2)
	ping.SetMetric("loss_pct", 0)
	ping2 := Result{Check: "net-ping", Category: "net", Target: "intranet.corp.example.com", Summary: "2/3 replies", DurationMS: 2000}
	ping2.SetMetric("rtt_avg_ms", 48.5)
	ping2.SetMetric("loss_pct", 33.3)
	ping2.AddFinding(Finding{Code: "net.loss", Status: StatusWarn, Message: "33% packet loss to intranet.corp.example.com", Hint: "check the Wi-Fi or the uplink"})
	http := Result{Check: "net-http", Category: "net", Target: "https://intranet.corp.example.com/", Summary: "200 in 412ms", DurationMS: 412}
	for k, v := range map[string]float64{"dns_ms": 12, "connect_ms": 30, "tls_ms": 80, "ttfb_ms": 250, "total_ms": 412} {
		http.SetMetric(k, v)
	}
	http.SetDetail("cert_issuer", "CN=Corp CA")
	dns := Result{Check: "dns-resolve", Category: "dns", Target: "ad.corp.example.com", Summary: "no answer from 10.20.0.53", DurationMS: 1500}
	dns.AddFinding(Finding{Code: "dns.timeout", Status: StatusFail, Message: "10.20.0.53 did not answer", Hint: "check the DNS server", Evidence: map[string]any{"server": "10.20.0.53"}})
	disk := Result{Check: "host-disk", Category: "host", Target: "/", Summary: "91% used", DurationMS: 3}
	disk.SetMetric("used_pct", 91)
	disk.AddFinding(Finding{Code: "host.disk_full", Status: StatusWarn, Message: "/ is 91% full", Hint: "free space: journalctl --vacuum-size=200M"})
	perm := Result{Check: "perm-path", Category: "perm", Target: "/home/alice/share", Status: StatusSkipped, Summary: "not checked: no path", Degraded: true}
	rep.Results = []Result{ping, ping2, http, dns, disk, perm}
	rep.Finish()
	rep.Conclusions = []Conclusion{{Code: "dns.server_down", Status: StatusFail, Headline: "The DNS server 10.20.0.53 does not answer", Confidence: "high", NextStep: "call the network team", Escalation: "network", Evidence: []string{"dns-resolve ad.corp.example.com"},
		KnownFixes: []KnownFix{
			{ID: "KB-DNS-007", Title: "VPN client leaves its DNS server behind", Where: "https://wiki.corp.example.com/kb/KB-DNS-007", Score: 9, Matched: []string{"cause dns.server_down", "evidence server=10.20.0.53"}},
			{ID: "KB-DNS-001", Title: "DNS server down: restart the resolver <service>", Where: "/srv/kb/dns/KB-DNS-001.md", Score: 4, Matched: []string{"cause dns.server_down"}},
		},
		SolvedTickets: []SolvedTicket{{System: "jira", Kind: "issue", Key: "SD-4711", Title: "DNS dead in branch 12", Resolution: "Restarted named on ns2", ResolvedAt: time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)}},
	}}
	return rep
}
