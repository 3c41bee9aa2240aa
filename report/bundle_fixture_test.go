package report

import (
	"fmt"
	"math/rand"
	"time"
)

// largeRunInput is what a run over n DNS names writes: one result per name
// with answers, metrics and details, and the DNS engine's query table as a
// fact (4.5 MB of JSON at 2000 names). jitter varies the measured values
// the way two runs of the same healthy machine do.
func largeRunInput(n int, seed int64) *BundleInput {
	rng := rand.New(rand.NewSource(seed))
	rep := &Report{
		Tool:      Tool{Name: "l2diag", Version: "test"},
		Host:      Host{Hostname: "ws042", OS: "linux", Arch: "amd64"},
		StartedAt: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC),
	}
	queries := make([]map[string]any, 0, n)
	for i := range n {
		name := fmt.Sprintf("host%04d.corp.example.com", i)
		r := Result{Check: "dns-resolve", Category: "dns", Target: name, Status: StatusOK,
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
	return &BundleInput{Report: rep, Facts: facts, Log: []byte("log\n")}
}
