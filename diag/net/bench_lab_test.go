package netcheck_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// BenchmarkNetBlackhole runs the whole net category against five TCP and
// five ping targets whose traffic a router drops: checks run concurrently
// and traces in parallel, so a run costs about one probe timeout plus one
// trace timeout, not their sum over the targets.
//
//	go test -run '^$' -bench BenchmarkNetBlackhole -benchtime 3x ./diag/net/
func BenchmarkNetBlackhole(b *testing.B) {
	l := lab.New(b)
	c, r := l.Namespace("c"), l.Namespace("r")
	l.Link(c, "10.40.0.1/24", r, "10.40.0.2/24")
	c.Route("default", "via", "10.40.0.2")
	r.Route("10.40.9.0/24", "dev", "lo")
	r.Forward()
	r.Nft(`table inet bh {
  chain forward_all { type filter hook forward priority 0; ip daddr 10.40.9.0/24 drop; }
}`)
	args := []string{}
	for i := 1; i <= 5; i++ {
		args = append(args, "--tcp", fmt.Sprintf("10.40.9.%d:443", i), "--ping", fmt.Sprintf("10.40.9.%d", i))
	}
	lab.Binary(b)
	var runMS, n float64
	for b.Loop() {
		rep := runNet(b, c, "", labProfile, args...)
		traces := 0
		for _, res := range rep.Results {
			if res.Check == "net-trace" {
				traces++
			}
			for _, f := range res.Findings {
				if strings.HasPrefix(f.Code, "check.") {
					b.Fatalf("%s %s: %s", res.Check, res.Target, f.Code)
				}
			}
		}
		if traces != 5 {
			b.Fatalf("%d traces, want 5", traces)
		}
		runMS += float64(rep.DurationMS)
		n++
	}
	b.ReportMetric(runMS/n, "run-ms")
}

// BenchmarkTrace30Hops traces through a real chain of 30 routers whose
// last link drops, so every probe past hop 29 is lost: the trace costs one
// trace timeout (2 s by default) because all TTLs are probed at once.
//
//	go test -run '^$' -bench BenchmarkTrace30Hops -benchtime 3x ./diag/net/
func BenchmarkTrace30Hops(b *testing.B) {
	const hops = 30
	l := lab.New(b)
	ns := make([]*lab.NS, hops+1)
	for i := range ns {
		ns[i] = l.Namespace(fmt.Sprintf("h%d", i))
	}
	for i := 0; i < hops; i++ {
		l.Link(ns[i], fmt.Sprintf("10.42.%d.1/24", i), ns[i+1], fmt.Sprintf("10.42.%d.2/24", i))
	}
	for i := 0; i < hops; i++ {
		ns[i].Route("default", "via", fmt.Sprintf("10.42.%d.2", i))
		if i > 0 {
			ns[i].Forward()
		}
		if i > 1 {
			ns[i].Route("10.42.0.0/24", "via", fmt.Sprintf("10.42.%d.1", i-1))
		}
	}
	ns[hops].Route("10.42.0.0/24", "via", fmt.Sprintf("10.42.%d.1", hops-1))
	ns[hops].Nft(`table inet lastlink {
  chain input { type filter hook input priority 0; ip saddr 10.42.0.0/24 drop; }
}`)
	dst := fmt.Sprintf("10.42.%d.2", hops-1)
	prof := labProfile + `  ping:
    gateways: false
    count: 1
    timeout: 500ms
  interfaces:
    sample: 0s
`
	lab.Binary(b)
	var traceMS, runMS, n float64
	for b.Loop() {
		start := time.Now()
		rep := runNet(b, ns[0], "", prof, "--ping", dst)
		tr := result(b, rep, "net-trace", dst)
		if tr.Metrics["last_hop_ttl"] != hops-1 {
			b.Fatalf("last hop ttl = %v, want %d: %s", tr.Metrics["last_hop_ttl"], hops-1, tr.Summary)
		}
		traceMS += float64(tr.DurationMS)
		runMS += float64(time.Since(start).Milliseconds())
		n++
	}
	b.ReportMetric(traceMS/n, "trace-ms")
	b.ReportMetric(runMS/n, "run-ms")
}
