package dnscheck

import (
	"net/netip"
	"testing"

	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/report"
)

func answerView(addr, rcode string, addrs ...string) serverView {
	o := Outcome{Server: netip.MustParseAddrPort(addr), Name: "app.example.com.", Type: "A", Rcode: rcode}
	for _, a := range addrs {
		o.Answer = append(o.Answer, wire.RR{Type: "A", Data: a})
	}
	return serverView{server: server{Addr: netip.MustParseAddrPort(addr)}, outcomes: []Outcome{o}}
}

// withAAAA adds an AAAA outcome of rcode (and addresses) to a view.
func withAAAA(v serverView, rcode string, addrs ...string) serverView {
	o := Outcome{Server: v.server.Addr, Name: "app.example.com.", Type: "AAAA", Rcode: rcode}
	for _, a := range addrs {
		o.Answer = append(o.Answer, wire.RR{Type: "AAAA", Data: a})
	}
	v.outcomes = append(v.outcomes, o)
	return v
}

func TestJudgeConsistency(t *testing.T) {
	tests := []struct {
		name     string
		views    []serverView
		wantCode string
		want     report.Status
	}{
		{"agree", []serverView{
			answerView("10.0.0.53:53", wire.NoError, "192.0.2.10"),
			answerView("10.0.0.54:53", wire.NoError, "192.0.2.10"),
		}, "", report.StatusOK},
		{"CDN: different public addresses", []serverView{
			answerView("10.0.0.53:53", wire.NoError, "8.8.4.4"),
			answerView("10.0.0.54:53", wire.NoError, "1.0.0.1"),
		}, "dns.answers-vary", report.StatusOK},
		{"split horizon: private beside public", []serverView{
			answerView("10.0.0.53:53", wire.NoError, "10.20.30.40"),
			answerView("10.0.0.54:53", wire.NoError, "1.0.0.1"),
		}, "dns.servers-disagree", report.StatusWarn},
		{"stale: NXDOMAIN beside data", []serverView{
			answerView("10.0.0.53:53", wire.NXDomain),
			answerView("10.0.0.54:53", wire.NoError, "1.0.0.1"),
		}, "dns.servers-disagree", report.StatusWarn},
		{"no record beside data", []serverView{
			answerView("10.0.0.53:53", wire.NoError),
			answerView("10.0.0.54:53", wire.NoError, "1.0.0.1"),
		}, "dns.servers-disagree", report.StatusWarn},
		{"a failed AAAA does not hide a different A", []serverView{
			withAAAA(answerView("10.0.0.53:53", wire.NoError, "10.2.0.99"), wire.ServFail),
			withAAAA(answerView("10.0.0.54:53", wire.NoError, "10.2.0.10"), wire.NoError),
		}, "dns.servers-disagree", report.StatusWarn},
		{"a failed AAAA beside the same A agrees", []serverView{
			withAAAA(answerView("10.0.0.53:53", wire.NoError, "10.2.0.10"), wire.Refused),
			withAAAA(answerView("10.0.0.54:53", wire.NoError, "10.2.0.10"), wire.NoError),
		}, "", report.StatusOK},
		{"nothing comparable: one answer per type", []serverView{
			withAAAA(answerView("10.0.0.53:53", wire.ServFail), wire.NoError, "2001:db8::1"),
			withAAAA(answerView("10.0.0.54:53", wire.NoError, "10.2.0.10"), wire.ServFail),
		}, "", report.StatusSkipped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judgeConsistency("app.example.com", tt.views)
			got.Normalize()
			if got.Status != tt.want {
				t.Errorf("status = %s, want %s (%+v)", got.Status, tt.want, got)
			}
			var code string
			for _, f := range got.Findings {
				code = f.Code
			}
			if code != tt.wantCode {
				t.Errorf("code = %q, want %q", code, tt.wantCode)
			}
		})
	}
}
