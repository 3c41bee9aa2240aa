package orgcheck

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

func testEnv(servers ...string) *diag.Env {
	f := diag.NewFacts()
	var aps []netip.AddrPort
	for _, s := range servers {
		aps = append(aps, netip.MustParseAddrPort(s))
	}
	diag.SetFact(f, diag.FactDNSServers, aps)
	return &diag.Env{Facts: f, Profile: profile.Default()}
}

func TestWifiVerdict(t *testing.T) {
	tests := []struct {
		name   string
		links  []wifiLink
		err    error
		status report.Status
		code   string
	}{
		{"no adapter", nil, nil, report.StatusSkipped, ""},
		{"weak", []wifiLink{parseIwLink("wlp2s0", readTestdata(t, "iw-link-5ghz-weak.txt"))}, nil, report.StatusWarn, "org.wifi-weak-signal"},
		{"good", []wifiLink{parseIwLink("wlan0", readTestdata(t, "iw-link-24ghz-good.txt"))}, nil, report.StatusOK, ""},
		{"not connected is not weak", parseNetshWlan(readTestdata(t, "netsh-wlan-disconnected.txt")), nil, report.StatusOK, ""},
		{"unreadable is an error, not a verdict", nil, errors.New("org: netsh: output not understood"), report.StatusError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := wifiCheck{read: func(context.Context) ([]wifiLink, error) { return tt.links, tt.err }}
			res := c.run(context.Background(), testEnv())
			res.Normalize()
			if res.Status != tt.status || (tt.code == "") != (len(res.Findings) == 0) || (tt.code != "" && res.Findings[0].Code != tt.code) {
				t.Errorf("got %s %v (%s), want %s %q", res.Status, codesOf(res), res.Summary, tt.status, tt.code)
			}
		})
	}
}

func TestVPNVerdict(t *testing.T) {
	route := func(ifc map[string]string) func(netip.Addr) string {
		return func(a netip.Addr) string { return ifc[a.String()] }
	}
	tests := []struct {
		name    string
		tunnels []tunnel
		routes  map[string]string
		servers []string
		status  report.Status
		code    string
		summary string
	}{
		{"no tunnel", nil, nil, nil, report.StatusSkipped, "", "No VPN"},
		{"installed, not connected", []tunnel{{Name: "OpenVPN TAP-Windows6"}}, nil, []string{"192.168.1.1:53"}, report.StatusOK, "", "not connected"},
		{"split, DNS outside", []tunnel{{Name: "wg0", Up: true}}, map[string]string{"192.168.1.1": "wlan0", "198.51.100.1": "wlan0"}, []string{"192.168.1.1:53"}, report.StatusWarn, "org.vpn-dns-outside", "split"},
		{"split, DNS inside", []tunnel{{Name: "wg0", Up: true}}, map[string]string{"10.1.1.1": "wg0", "192.168.1.1": "wlan0", "198.51.100.1": "wlan0"}, []string{"10.1.1.1:53", "192.168.1.1:53"}, report.StatusOK, "", "1 of 2"},
		{"full tunnel", []tunnel{{Name: "tun0", Up: true}}, map[string]string{"10.1.1.1": "tun0", "198.51.100.1": "tun0"}, []string{"10.1.1.1:53"}, report.StatusOK, "", "full"},
		{"only a local stub: not judged", []tunnel{{Name: "tun0", Up: true}}, nil, []string{"127.0.0.53:53"}, report.StatusOK, "", "0 of 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := vpnCheck{
				tunnels: func() ([]tunnel, error) { return tt.tunnels, nil },
				route:   route(tt.routes),
				routes:  func(string) ([]string, bool) { return nil, false },
				perLink: func() ([]linkDNS, bool, error) { return nil, false, nil },
				joined:  func(context.Context) string { return "" },
			}
			res := c.run(context.Background(), testEnv(tt.servers...))
			res.Normalize()
			if res.Status != tt.status || !slices.Equal(codesOf(res), nonEmpty(tt.code)) || !strings.Contains(res.Summary, tt.summary) {
				t.Errorf("got %s %v %q, want %s %q containing %q", res.Status, codesOf(res), res.Summary, tt.status, tt.code, tt.summary)
			}
		})
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func TestDomainMembershipStates(t *testing.T) {
	tests := []struct {
		name    string
		m       membership
		err     error
		domain  string
		status  report.Status
		summary string
	}{
		{"not joined", membership{}, nil, "", report.StatusSkipped, "not joined"},
		{"unreadable API (wine) is an error", membership{}, errors.New("org: NetGetJoinInformation: not implemented"), "", report.StatusError, ""},
		{"joined, DNS domain unreadable", membership{Joined: true, Unreadable: []string{"GetComputerNameEx: access denied"}}, nil, "", report.StatusSkipped, "could not be read"},
		{"sssd.conf unreadable", membership{Unreadable: []string{"/etc/sssd/sssd.conf: permission denied"}}, nil, "", report.StatusSkipped, "could not read"},
		{"no DNS servers", membership{Joined: true, Domain: "corp.example"}, nil, "", report.StatusOK, "no DNS server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := profile.Default().Org
			cfg.Domain = tt.domain
			c := domainCheck{cfg: cfg, membership: func(context.Context) (membership, error) { return tt.m, tt.err }, tunnels: func() map[string]bool { return nil }}
			res := c.run(context.Background(), testEnv())
			res.Normalize()
			if res.Status != tt.status || !strings.Contains(res.Summary+res.Error, tt.summary) {
				t.Errorf("got %s %q %q, want %s containing %q", res.Status, res.Summary, res.Error, tt.status, tt.summary)
			}
		})
	}
}
