package fleet

import (
	"fmt"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
)

// host builds a usable synthetic host.
func host(name string, attrs map[string]string, causes ...string) Host {
	h := Host{Name: name, Bundle: name + ".zip", State: HostOK, Attributes: map[string][]string{},
		Targets: map[string]report.Status{}, Causes: []HostCause{}}
	for k, v := range attrs {
		h.Attributes[k] = []string{v}
	}
	for _, c := range causes {
		h.Causes = append(h.Causes, HostCause{Code: c, Status: report.StatusFail, Headline: c + " happened", Owner: "network"})
		h.State = HostAffected
	}
	return h
}

func seg(dns, gw, sub string) map[string]string {
	return map[string]string{AttrDNSServer: dns, AttrGateway: gw, AttrSubnet: sub, AttrOS: "linux"}
}

func findCause(t *testing.T, rep *Report, code string) Cause {
	t.Helper()
	for _, c := range rep.Causes {
		if c.Code == code {
			return c
		}
	}
	t.Fatalf("no cause %s in %+v", code, rep.Causes)
	return Cause{}
}

func TestSeparationRanking(t *testing.T) {
	a, b := seg("10.10.1.53", "10.10.1.1", "10.10.1.0/24"), seg("10.20.1.53", "10.20.1.1", "10.20.1.0/24")
	tests := []struct {
		name       string
		hosts      []Host
		code       string
		wantFirst  string // attribute=value ranked first; "" = nothing shared
		wantEvery  bool
		notShared  []string // attribute=value that must not be listed
		wantHosts  int
		wantScore1 float64
	}{
		{
			name: "one segment broken: all segment values separate, DNS cause prefers the DNS server",
			hosts: []Host{host("a1", a, "cause.dns-down"), host("a2", a, "cause.dns-down"), host("a3", a, "cause.dns-down"),
				host("b1", b), host("b2", b), host("b3", b)},
			code: "cause.dns-down", wantFirst: "dns_server=10.10.1.53", notShared: []string{"os=linux"},
			wantHosts: 3, wantScore1: 1,
		},
		{
			name: "tie broken by the cause's layer: a path cause prefers the gateway",
			hosts: []Host{host("a1", a, "cause.no-internet"), host("a2", a, "cause.no-internet"),
				host("b1", b), host("b2", b)},
			code: "cause.no-internet", wantFirst: "gateway=10.10.1.1", wantHosts: 2, wantScore1: 1,
		},
		{
			name: "partial: 2 of 3 affected on one server, 1 of 3 healthy too",
			hosts: []Host{host("x1", seg("10.0.0.55", "g1", "s1"), "cause.dns-down"), host("x2", seg("10.0.0.55", "g2", "s2"), "cause.dns-down"),
				host("x3", seg("10.0.0.56", "g3", "s3"), "cause.dns-down"),
				host("y1", seg("10.0.0.55", "g4", "s4")), host("y2", seg("10.0.0.57", "g5", "s5")), host("y3", seg("10.0.0.58", "g6", "s6"))},
			code: "cause.dns-down", wantFirst: "", notShared: []string{"dns_server=10.0.0.55", "os=linux"}, wantHosts: 3,
		},
		{
			name: "all hosts broken: nothing to compare, only what all share, marked",
			hosts: []Host{host("a1", a, "cause.no-internet"), host("b1", b, "cause.no-internet"),
				host("b2", b, "cause.no-internet")},
			code: "cause.no-internet", wantFirst: "os=linux", wantEvery: true, notShared: []string{"gateway=10.20.1.1"},
			wantHosts: 3, wantScore1: 1,
		},
		{
			name:  "single host cause with many peers",
			hosts: []Host{host("a1", a), host("a2", a, "cause.disk-full"), host("a3", a), host("b1", b)},
			code:  "cause.disk-full", wantFirst: "", notShared: []string{"gateway=10.10.1.1"}, wantHosts: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := Correlate(tc.hosts, "INC1", time.Unix(0, 0))
			c := findCause(t, rep, tc.code)
			if len(c.Hosts) != tc.wantHosts {
				t.Errorf("hosts = %v, want %d", c.Hosts, tc.wantHosts)
			}
			if c.EveryHost != tc.wantEvery {
				t.Errorf("every_host = %v, want %v", c.EveryHost, tc.wantEvery)
			}
			got := ""
			if len(c.Shared) > 0 {
				got = c.Shared[0].Attribute + "=" + c.Shared[0].Value
				if c.Shared[0].Score != tc.wantScore1 {
					t.Errorf("first score = %v, want %v", c.Shared[0].Score, tc.wantScore1)
				}
			}
			if got != tc.wantFirst {
				t.Errorf("first shared = %q, want %q (all: %+v)", got, tc.wantFirst, c.Shared)
			}
			for _, bad := range tc.notShared {
				for _, sh := range c.Shared {
					if sh.Attribute+"="+sh.Value == bad {
						t.Errorf("%s listed as shared: %+v", bad, c.Shared)
					}
				}
			}
		})
	}
}

func TestOutliers(t *testing.T) {
	mk := func(name string, st report.Status, causes ...string) Host {
		h := host(name, seg("d", "g", "s"), causes...)
		h.Targets["net-tcp 10.0.0.9:445"] = st
		h.Targets["host-disks"] = report.StatusOK
		return h
	}
	hosts := []Host{mk("p1", report.StatusOK), mk("p2", report.StatusFail, "cause.disk-full"),
		mk("p3", report.StatusOK), mk("p4", report.StatusOK), mk("p5", report.StatusError)}
	rep := Correlate(hosts, "", time.Unix(0, 0))
	var own, target []string
	for _, o := range rep.Outliers {
		switch o.Kind {
		case OutlierOwnCause:
			own = append(own, o.Host+" "+o.Code)
		case OutlierTarget:
			target = append(target, o.Host+" "+o.Target)
		}
	}
	if fmt.Sprint(own) != "[p2 cause.disk-full]" {
		t.Errorf("own-cause outliers = %v", own)
	}
	// p5's error is this machine's inability to probe: no outlier.
	if fmt.Sprint(target) != "[p2 net-tcp 10.0.0.9:445]" {
		t.Errorf("target outliers = %v", target)
	}
	if len(rep.Targets) != 1 || rep.Targets[0] != "net-tcp 10.0.0.9:445" {
		t.Errorf("matrix columns = %v (host-wide checks are not targets)", rep.Targets)
	}

	// Half the peers fail too: a shared problem, not an outlier.
	hosts = []Host{mk("q1", report.StatusFail), mk("q2", report.StatusFail), mk("q3", report.StatusOK), mk("q4", report.StatusOK)}
	if rep := Correlate(hosts, "", time.Unix(0, 0)); len(rep.Outliers) != 0 {
		t.Errorf("outliers = %+v, want none when half the fleet fails", rep.Outliers)
	}
}

func TestBadBundlesNeverCount(t *testing.T) {
	a := seg("10.10.1.53", "10.10.1.1", "10.10.1.0/24")
	tampered := host("t1", seg("10.9.9.9", "g", "s"), "cause.dns-down")
	tampered.State = HostTampered
	hosts := []Host{host("a1", a, "cause.dns-down"), host("a2", a), tampered,
		{Name: "junk", Bundle: "junk.zip", State: HostUnreadable, Problem: "not an l2diag bundle"}}
	rep := Correlate(hosts, "", time.Unix(0, 0))
	c := findCause(t, rep, "cause.dns-down")
	if len(c.Hosts) != 1 || c.Of != 2 {
		t.Errorf("cause counts a tampered host: hosts %v of %d", c.Hosts, c.Of)
	}
	if rep.Counts != (Counts{Bundles: 4, OK: 1, Affected: 1, Tampered: 1, Unreadable: 1}) {
		t.Errorf("counts = %+v", rep.Counts)
	}
}
