package dnscheck

import (
	"context"
	"fmt"
	"net/netip"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/diag/internal/lab"
)

// BenchmarkCategoryBlackholed runs every probe-phase dns check for 10
// names against a working unbound and a server that never answers, with
// the default query_timeout (2s) and retries (1): the whole category
// should take about 2 × 2s, however many names and checks.
//
//	go test -run '^$' -bench CategoryBlackholed -benchtime 3x ./diag/dns/
func BenchmarkCategoryBlackholed(b *testing.B) {
	good := lab.Unbound(b, nil, loopback(b), labZone(), "")
	silent := blackhole(b)
	names := []string{"www.corp.l2lab", "v4only.corp.l2lab", "txtonly.corp.l2lab", "missing.corp.l2lab", "big.corp.l2lab"}
	for i := range 5 {
		names = append(names, fmt.Sprintf("n%d.corp.l2lab", i))
	}
	p := testProfile(names...)
	p.DNS.QueryTimeout = 2 * 1e9
	p.DNS.HijackDomain = "corp.l2lab"
	b.ResetTimer()
	for b.Loop() {
		facts := serverFacts(good.Addr, silent)
		diag.SetFact(facts, diag.FactSearchDomains, []string{"corp.l2lab"})
		start := time.Now()
		got := runPlanned(b, p, facts, &diag.Targets{DNSNames: []string{"www", "nothere"}},
			serverSpec, resolveSpec, consistencySpec, hijackSpec, searchSpec)
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/category")
		b.ReportMetric(float64(len(got)), "checks")
	}
}

// BenchmarkCategoryRunnerConcurrency4 is the same through diag.Runner
// with only 4 checks at a time: the engine starts every planned query when
// the first check runs, so the queued checks find their answers ready.
//
//	go test -run '^$' -bench CategoryRunner -benchtime 3x ./diag/dns/
func BenchmarkCategoryRunnerConcurrency4(b *testing.B) {
	good := lab.Unbound(b, nil, loopback(b), labZone(), "")
	silent := blackhole(b)
	var names []string
	for i := range 10 {
		names = append(names, fmt.Sprintf("n%d.corp.l2lab", i))
	}
	p := testProfile(names...)
	p.DNS.QueryTimeout = 2 * 1e9
	p.Concurrency = 4
	specs := []diag.Spec{serverSpec, resolveSpec, consistencySpec, hijackSpec}
	for b.Loop() {
		r := &diag.Runner{Specs: specs, Profile: p, Targets: &diag.Targets{DNSServers: []netip.AddrPort{good.Addr, silent}}}
		out := r.Run(context.Background())
		b.ReportMetric(float64(out.Duration.Milliseconds()), "ms/category")
		b.ReportMetric(float64(len(out.Results)), "checks")
	}
}

// BenchmarkQuery compares one A query through l2diag's wire layer with
// the same question asked by dig (a new process per question, as a
// technician runs it) against the same local unbound.
//
//	go test -run '^$' -bench Query -benchtime 2s ./diag/dns/
func BenchmarkQuery(b *testing.B) {
	good := lab.Unbound(b, nil, loopback(b), labZone(), "")
	b.Run("l2diag", func(b *testing.B) {
		for b.Loop() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			r, err := wire.Exchange(ctx, wire.Query{Server: good.Addr, Name: "www.corp.l2lab", Type: wire.TypeA, Via: wire.UDP, RD: true})
			cancel()
			if err != nil || r.Rcode != wire.NoError {
				b.Fatalf("query: %v %v", r, err)
			}
		}
	})
	b.Run("dig", func(b *testing.B) {
		if _, err := exec.LookPath("dig"); err != nil {
			b.Skip("dig not installed")
		}
		for b.Loop() {
			out, err := exec.Command("dig", "-p", strconv.Itoa(int(good.Addr.Port())), "@"+good.Addr.Addr().String(), "+short", "+time=2", "+tries=1", "www.corp.l2lab", "A").Output()
			if err != nil || len(out) == 0 {
				b.Fatalf("dig: %v %s", err, out)
			}
		}
	})
}
