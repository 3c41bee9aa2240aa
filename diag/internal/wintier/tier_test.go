//go:build linux

// Package wintier is the Windows test tier: it builds the GOOS=windows
// exe, runs it under wine inside a namespace of the test's own with the
// test's own servers and registry state, and asserts what it reports.
// Wine is not Windows: where wine lacks an API the expected result is a
// clear degraded or error result, never a false verdict (docs/windows.md
// lists wine's gaps).
package wintier

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
	"github.com/miekg/dns"
)

// The tier's network:
//
//	client 10.80.0.2 (wine) ── 10.80.0.1 server
//	                            lo: 10.80.1.53 DNS (answers), 10.80.1.54 DNS (REFUSED),
//	                                10.80.1.55 nothing listens (rejects), 10.80.1.56 dropped
const (
	clientIP   = "10.80.0.2"
	serverIP   = "10.80.0.1"
	dnsGood    = "10.80.1.53"
	dnsRefused = "10.80.1.54"
	rejecting  = "10.80.1.55"
	dropped    = "10.80.1.56"
	intraIP    = "10.80.0.80"
)

// tier is one test's Windows machine and its network.
type tier struct {
	lab            *lab.Lab
	client, server *lab.NS
	wine           *lab.Wine
	dir            string // files the exe reads (profiles), seen as Z:\...
}

// labProfile keeps runs inside the lab: no public targets, no NTP.
const labProfile = `name: wintier
timeout: 25s
net:
  tcp: {targets: []}
  http: {connectivity: []}
  ping: {count: 2, interval: 100ms, timeout: 1s}
  trace: {enabled: false}
  mtu: {enabled: false}
dns:
  query_timeout: 1s
  retries: 0
host:
  clock: {ntp_servers: []}
`

// tracedProfile is the lab profile with net-trace on.
var tracedProfile = strings.Replace(labProfile, "trace: {enabled: false}", "trace: {enabled: true, timeout: 2s}", 1)

// profile writes a profile for the exe and returns its path.
func (tr *tier) profile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(tr.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func newTier(t *testing.T) *tier {
	t.Helper()
	lab.RequireWine(t)
	// Each test has its own namespaces and prefix copy, and spends most of
	// its time waiting on wine and timeouts: they run side by side.
	t.Parallel()
	l := lab.New(t)
	tr := &tier{lab: l, client: l.Namespace("win"), server: l.Namespace("srv"), dir: t.TempDir()}
	l.Link(tr.client, clientIP+"/24", tr.server, serverIP+"/24")
	tr.client.Route("default", "via", serverIP)
	for _, a := range []string{dnsGood, dnsRefused, rejecting, dropped, intraIP} {
		tr.server.MustRun("ip", "addr", "add", a+"/32", "dev", "lo")
	}
	tr.server.Nft(`table inet lab {
	chain in { type filter hook input priority 0; ip daddr ` + dropped + ` drop; }
}`)
	tr.client.SetResolvConf("nameserver " + dnsGood + "\nsearch corp.example\n")
	serveDNS(t, tr.server, dnsGood, answer)
	serveDNS(t, tr.server, dnsRefused, func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetRcode(r, dns.RcodeRefused)
		_ = w.WriteMsg(m)
	})
	tr.wine = tr.client.NewWine()
	tr.profile(t, "wintier.yaml", labProfile)
	return tr
}

// zone is what the good server knows; other names are NXDOMAIN.
var zone = map[string]string{
	"intra.example.":               intraIP,
	"fileserver.corp.example.":     intraIP,
	"server.example.":              serverIP,
	"2.0.80.10.in-addr.arpa.":      "pc-2.corp.example.",
	"pc-2.corp.example.":           clientIP,
	"l2diag-lab.corp.example.":     dnsGood,
	"proxy.corp.example.":          serverIP,
	"wpad.corp.example.":           serverIP,
	"intranet.corp.example.":       intraIP,
	"www.outside.example.":         dropped,
	"connectivity.outside.example": dropped,
}

func answer(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.RecursionAvailable = true
	q := r.Question[0]
	v, ok := zone[strings.ToLower(q.Name)]
	if !ok {
		m.SetRcode(r, dns.RcodeNameError)
		_ = w.WriteMsg(m)
		return
	}
	switch {
	case q.Qtype == dns.TypeA && net.ParseIP(v) != nil:
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 300}, A: net.ParseIP(v)})
	case q.Qtype == dns.TypePTR && net.ParseIP(v) == nil:
		m.Answer = append(m.Answer, &dns.PTR{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypePTR, Class: dns.ClassINET, Ttl: 300}, Ptr: v})
	}
	_ = w.WriteMsg(m)
}

// serveDNS serves h on ip:53 over UDP and TCP inside ns.
func serveDNS(t *testing.T, ns *lab.NS, ip string, h dns.HandlerFunc) {
	t.Helper()
	pc := ns.ListenPacket("udp", ip+":53")
	ln := ns.Listen("tcp", ip+":53")
	for _, s := range []*dns.Server{{PacketConn: pc, Handler: h}, {Listener: ln, Handler: h}} {
		go func() { _ = s.ActivateAndServe() }()
		t.Cleanup(func() { _ = s.Shutdown() })
	}
}

// run runs exe with args and the lab profile, JSON output, and decodes the
// report. It fails the test when the output is not a report.
func (tr *tier) run(t *testing.T, exe string, args ...string) (*report.Report, lab.Result) {
	t.Helper()
	full := []string{"run", "--profile", filepath.Join(tr.dir, "wintier.yaml"), "-o", "json"}
	if !slices.Contains(args, "--bundle") {
		full = append(full, "--no-bundle")
	}
	full = append(full, args...)
	res := tr.wine.L2diag(exe, full...)
	if keep := os.Getenv("WINTIER_KEEP"); keep != "" {
		// For debugging the tier: keep every report.
		_ = os.WriteFile(filepath.Join(keep, strings.ReplaceAll(t.Name(), "/", "_")+".json"), []byte(res.Stdout+res.Stderr), 0o644)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(res.Stdout), &rep); err != nil {
		t.Fatalf("l2diag.exe %s: exit %d, no JSON report (%v)\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), res.ExitCode, err, res.Stdout, res.Stderr)
	}
	return &rep, res
}

// results returns the results of check (for target, when not empty).
func results(rep *report.Report, check, target string) []report.Result {
	var out []report.Result
	for _, r := range rep.Results {
		if r.Check == check && (target == "" || r.Target == target) {
			out = append(out, r)
		}
	}
	return out
}

// one returns the single result of check for target, failing otherwise.
func one(t *testing.T, rep *report.Report, check, target string) report.Result {
	t.Helper()
	rs := results(rep, check, target)
	if len(rs) != 1 {
		var got []string
		for _, r := range rep.Results {
			got = append(got, r.Check+" "+r.Target)
		}
		t.Fatalf("%d results for %s %q, want 1; the report has: %s", len(rs), check, target, strings.Join(got, ", "))
	}
	return rs[0]
}

func codes(r report.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	return out
}

func causes(rep *report.Report) []string {
	var out []string
	for _, c := range rep.Conclusions {
		out = append(out, c.Code)
	}
	return out
}

func hasCode(r report.Result, code string) bool { return slices.Contains(codes(r), code) }

func dump(r report.Result) string {
	b, _ := json.MarshalIndent(r, "", " ")
	return string(b)
}
