package dnscheck

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/dns/internal/wire"
	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/report"
)

// outsideZone is a public view of corp.l2lab, as a resolver outside the
// VPN would answer: the intranet name on a public address.
const outsideZone = `local-zone: "corp.l2lab." static
local-data: "www.corp.l2lab. 300 IN A 203.0.113.10"
local-data: "public.corp.l2lab. 300 IN A 203.0.113.7"
`

func expectProfile(entries ...profile.DNSName) *profile.Profile {
	p := testProfile()
	p.DNS.Names = entries
	return p
}

func TestExpectAgainstUnbound(t *testing.T) {
	inside := lab.Unbound(t, nil, loopback(t), labZone()+`local-data: "public.corp.l2lab. 300 IN A 203.0.113.7"
`, "")
	outside := lab.Unbound(t, nil, loopback(t), outsideZone, "")

	tests := []struct {
		name    string
		entry   profile.DNSName
		servers []netip.AddrPort // the machine's
		extra   []netip.AddrPort // --dns-server
		cli     map[string]target.Expectation
		// want is, per server, the status of its dns.unexpected-answer
		// finding; a server not named has none.
		want       map[netip.AddrPort]report.Status
		wantStatus report.Status
		// wantInMsg must all be in the finding's message.
		wantInMsg []string
	}{
		{name: "answer as expected", entry: profile.DNSName{Name: "www.corp.l2lab", Expect: []string{"10.53.0.10"}},
			servers: []netip.AddrPort{inside.Addr}, wantStatus: report.StatusOK},
		{name: "expected by prefix", entry: profile.DNSName{Name: "www.corp.l2lab", Expect: []string{"10.53.0.0/24"}},
			servers: []netip.AddrPort{inside.Addr}, wantStatus: report.StatusOK},
		{name: "another address", entry: profile.DNSName{Name: "www.corp.l2lab", Expect: []string{"10.20.0.5"}},
			servers: []netip.AddrPort{inside.Addr}, want: map[netip.AddrPort]report.Status{inside.Addr: report.StatusFail},
			wantStatus: report.StatusFail, wantInMsg: []string{"10.53.0.10", "2001:db8::10", "expected 10.20.0.5"}},
		{name: "private expected, public answer", entry: profile.DNSName{Name: "public.corp.l2lab", ExpectPrivate: true},
			servers: []netip.AddrPort{inside.Addr}, want: map[netip.AddrPort]report.Status{inside.Addr: report.StatusFail},
			wantStatus: report.StatusFail, wantInMsg: []string{"203.0.113.7", "private address"}},
		{name: "private expected, private answer", entry: profile.DNSName{Name: "www.corp.l2lab", ExpectPrivate: true},
			servers: []netip.AddrPort{inside.Addr}, wantStatus: report.StatusOK},
		{name: "split horizon: the outside server in use", entry: profile.DNSName{Name: "www.corp.l2lab", Expect: []string{"10.53.0.10"}},
			servers: []netip.AddrPort{inside.Addr, outside.Addr}, want: map[netip.AddrPort]report.Status{outside.Addr: report.StatusFail},
			wantStatus: report.StatusFail, wantInMsg: []string{"203.0.113.10", "expected 10.53.0.10", serverName(inside.Addr) + " gives the expected answer"}},
		{name: "an extra server answering otherwise only warns", entry: profile.DNSName{Name: "www.corp.l2lab", Expect: []string{"10.53.0.10"}},
			servers: []netip.AddrPort{inside.Addr}, extra: []netip.AddrPort{outside.Addr},
			want:       map[netip.AddrPort]report.Status{outside.Addr: report.StatusWarn},
			wantStatus: report.StatusWarn, wantInMsg: []string{"does not use", "--dns-server"}},
		{name: "--dns-name NAME=IP overrides the profile", entry: profile.DNSName{Name: "www.corp.l2lab", Expect: []string{"10.53.0.10"}},
			servers: []netip.AddrPort{inside.Addr},
			cli:     map[string]target.Expectation{"www.corp.l2lab": {Prefixes: []netip.Prefix{netip.MustParsePrefix("10.20.0.5/32")}}},
			want:    map[netip.AddrPort]report.Status{inside.Addr: report.StatusFail}, wantStatus: report.StatusFail,
			wantInMsg: []string{"expected 10.20.0.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := expectProfile(tt.entry)
			got := runPlanned(t, p, serverFacts(tt.servers...), &diag.Targets{DNSServers: tt.extra, DNSExpect: tt.cli}, resolveSpec)
			r, ok := got["dns-resolve "+tt.entry.Name]
			if !ok {
				t.Fatalf("no dns-resolve result; have %v", keysOf(got))
			}
			gotBy := map[netip.AddrPort]report.Status{}
			for _, f := range r.Findings {
				if f.Code != FindingUnexpectedAnswer.Code {
					t.Errorf("unexpected finding %s: %s", f.Code, f.Message)
					continue
				}
				gotBy[netip.MustParseAddrPort(f.Evidence["server"].(string))] = f.Status
				for _, s := range tt.wantInMsg {
					if !strings.Contains(f.Message, s) {
						t.Errorf("message %q lacks %q", f.Message, s)
					}
				}
			}
			if len(gotBy) != len(tt.want) {
				t.Errorf("findings by server = %v, want %v", gotBy, tt.want)
			}
			for s, st := range tt.want {
				if gotBy[s] != st {
					t.Errorf("server %s: status %q, want %q", s, gotBy[s], st)
				}
			}
			if r.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s (%s)", r.Status, tt.wantStatus, r.Summary)
			}
			if r.Details["expected"] == nil {
				t.Errorf("details lack expected: %v", r.Details)
			}
		})
	}

	t.Run("a name without expectation is not judged", func(t *testing.T) {
		got := runPlanned(t, testProfile("www.corp.l2lab"), serverFacts(inside.Addr, outside.Addr), nil, resolveSpec)
		r := got["dns-resolve www.corp.l2lab"]
		if c := codes(r); len(c) > 0 || r.Details["expected"] != nil {
			t.Errorf("codes = %v, details %v", c, r.Details)
		}
	})

	t.Run("A and AAAA are asked for an expected name whatever dns.types says", func(t *testing.T) {
		p := expectProfile(profile.DNSName{Name: "www.corp.l2lab", Expect: []string{"10.53.0.10"}})
		p.DNS.Types = []string{"TXT"}
		got := runPlanned(t, p, serverFacts(inside.Addr), nil, resolveSpec)
		if r := got["dns-resolve www.corp.l2lab"]; r.Status != report.StatusOK || len(r.Findings) > 0 {
			t.Errorf("status %s, codes %v: %s", r.Status, codes(r), r.Summary)
		}
	})
}

func TestJudgeSystemExpect(t *testing.T) {
	srv := server{Addr: netip.MustParseAddrPort("10.0.0.53:53"), Source: "system"}
	view := func(addrs ...string) []serverView {
		o := Outcome{Server: srv.Addr, Type: "A", Rcode: wire.NoError}
		for _, a := range addrs {
			o.Answer = append(o.Answer, wire.RR{Name: "intranet.l2lab.", Type: "A", TTL: 300, Data: a})
		}
		return []serverView{{server: srv, outcomes: []Outcome{o}}}
	}
	as := func(ss ...string) []netip.Addr {
		var out []netip.Addr
		for _, s := range ss {
			out = append(out, netip.MustParseAddr(s))
		}
		return out
	}
	want10 := target.Expectation{Prefixes: []netip.Prefix{netip.MustParsePrefix("10.20.0.5/32")}}
	tests := []struct {
		name      string
		sys       []netip.Addr
		sysErr    error
		hosts     []netip.Addr
		views     []serverView
		wantCode  string
		wantInMsg string
	}{
		{"as expected", as("10.20.0.5"), nil, nil, view("10.20.0.5"), "", ""},
		{"hosts file points elsewhere", as("10.99.0.1"), nil, as("10.99.0.1"), view("10.20.0.5"), FindingSystemUnexpected.Code, "/etc/hosts maps intranet.l2lab to 10.99.0.1"},
		{"local path differs, DNS right", as("10.99.0.1"), nil, nil, view("10.20.0.5"), FindingSystemUnexpected.Code, "the difference is on this machine"},
		{"DNS wrong too", as("203.0.113.7"), nil, nil, view("203.0.113.7"), FindingSystemUnexpected.Code, "Applications get 203.0.113.7 for intranet.l2lab; expected 10.20.0.5."},
		{"OS resolver fails: dns-system's other findings say so", nil, errors.New("no such host"), nil, view("10.20.0.5"), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := judgeSystem("intranet.l2lab", tt.sys, tt.sysErr, tt.hosts, "/etc/hosts", tt.views)
			judgeSystemExpect(&r, "intranet.l2lab", want10, tt.sys, tt.hosts, "/etc/hosts", tt.views)
			var f *report.Finding
			for i := range r.Findings {
				if r.Findings[i].Code == FindingSystemUnexpected.Code {
					f = &r.Findings[i]
				}
			}
			switch {
			case tt.wantCode == "" && f != nil:
				t.Errorf("got %s: %s", f.Code, f.Message)
			case tt.wantCode != "" && f == nil:
				t.Errorf("no %s; codes %v", tt.wantCode, codes(r))
			case f != nil && !strings.Contains(f.Message, tt.wantInMsg):
				t.Errorf("message %q lacks %q", f.Message, tt.wantInMsg)
			case f != nil && f.Status != report.StatusFail:
				t.Errorf("status %s, want fail", f.Status)
			}
		})
	}
}

func TestExpectFindingsRegistered(t *testing.T) {
	for _, c := range []string{FindingUnexpectedAnswer.Code, FindingSystemUnexpected.Code} {
		if !slices.ContainsFunc(Findings(), func(f diag.FindingSpec) bool { return f.Code == c }) {
			t.Errorf("%s not in Findings()", c)
		}
	}
}

// The built binary in the lab's client namespace: the machine uses the
// server whose view of corp.l2lab is wrong; the profile says where the
// name must point, and triage names the cause.
func TestExpectBinaryInNamespace(t *testing.T) {
	d := newDNSLab(t)
	d.cli.SetResolvConf("nameserver 10.53.0.3\noptions timeout:1 attempts:1\n")
	d.cli.SetHosts("127.0.0.1 localhost\n")
	rep := d.runBinary(t, `name: dns-expect
timeout: 20s
check_timeout: 5s
dns:
  names:
    - name: www.corp.l2lab
      expect: [10.53.0.10]
    - name: client.corp.l2lab
      expect_private: true
  query_timeout: 1s
  retries: 1
  hijack_domain: corp.l2lab
`, "--dns-server", "10.53.0.1")
	r, ok := findResult(rep, "dns-resolve", "www.corp.l2lab")
	if !ok {
		t.Fatalf("no dns-resolve result; have %v", resultCodes(rep))
	}
	var msg string
	for _, f := range r.Findings {
		if f.Code == FindingUnexpectedAnswer.Code && f.Evidence["server"] == "10.53.0.3:53" {
			msg = f.Message
		}
	}
	for _, s := range []string{"10.53.9.99", "expected 10.53.0.10", "10.53.0.1 gives the expected answer"} {
		if !strings.Contains(msg, s) {
			t.Errorf("finding message %q lacks %q", msg, s)
		}
	}
	if r.Status != report.StatusFail {
		t.Errorf("status = %s, want fail (%s)", r.Status, r.Summary)
	}
	if sys, _ := findResult(rep, "dns-system", "www.corp.l2lab"); !slices.Contains(codes(sys), FindingSystemUnexpected.Code) {
		t.Errorf("dns-system codes = %v, want %s (%s)", codes(sys), FindingSystemUnexpected.Code, sys.Summary)
	}
	if r, _ := findResult(rep, "dns-resolve", "client.corp.l2lab"); slices.Contains(codes(r), FindingUnexpectedAnswer.Code) {
		t.Errorf("client.corp.l2lab (10.53.0.200, private) = %v", codes(r))
	}
	var concl []string
	for _, c := range rep.Conclusions {
		concl = append(concl, c.Code+"/"+c.Escalation)
	}
	if !slices.Contains(concl, "cause.dns-wrong-answer/resolve-here") {
		t.Errorf("conclusions = %v, want cause.dns-wrong-answer/resolve-here", concl)
	}
}
