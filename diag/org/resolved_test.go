package orgcheck

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

func yes(b bool) *bool { return &b }

func TestParseResolvedState(t *testing.T) {
	tests := []struct {
		file string
		want linkDNS
		ok   bool
	}{
		{"resolved-netif-vpn-nodomain", linkDNS{Server: []string{"10.8.0.1", "10.8.0.2"}, DefaultRoute: yes(false)}, true},
		{"resolved-netif-vpn-routing", linkDNS{Server: []string{"10.8.0.1"}, Route: []string{"corp.example"}, Search: []string{"vpn.corp.example"}, DefaultRoute: yes(false)}, true},
		{"resolved-netif-wlan", linkDNS{Server: []string{"192.168.1.1", "fe80::1%3"}, Search: []string{"fritz.box"}}, true},
		{"networkd-link-eth0", linkDNS{Server: []string{"192.168.1.1"}, Search: []string{"home.arpa"}}, true},
		{"networkd-link-wg0", linkDNS{Server: []string{"10.8.0.1"}, Route: []string{"corp.example"}, DefaultRoute: yes(false)}, true},
		{"networkd-link-unmanaged", linkDNS{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := []byte(readTestdata(t, tt.file))
			got, ok := linkDNS{}, true
			if strings.HasPrefix(tt.file, "networkd") {
				got, ok = parseNetworkdLink(data)
			} else {
				got = parseResolvedLink(data)
			}
			if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v (managed %v), want %+v (%v)", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestResolvedRoute(t *testing.T) {
	wlan := linkDNS{Name: "wlan0", Server: []string{"192.168.1.1"}, Search: []string{"fritz.box"}}
	vpnBare := linkDNS{Name: "tun0", Server: []string{"10.8.0.1"}}
	vpnNoDefault := linkDNS{Name: "tun0", Server: []string{"10.8.0.1"}, DefaultRoute: yes(false)}
	vpnRouting := linkDNS{Name: "tun0", Server: []string{"10.8.0.1"}, Route: []string{"corp.example"}}
	vpnAll := linkDNS{Name: "tun0", Server: []string{"10.8.0.1"}, Route: []string{"."}}
	vpnNoServers := linkDNS{Name: "tun0", Route: []string{"corp.example"}}
	tests := []struct {
		name  string
		links []linkDNS
		query string
		want  []string
	}{
		{"no domain matches: every default-route link", []linkDNS{wlan, vpnBare}, "intranet.corp.example", []string{"wlan0", "tun0"}},
		{"the VPN is no default route and has no domain", []linkDNS{wlan, vpnNoDefault}, "intranet.corp.example", []string{"wlan0"}},
		{"a routing domain wins", []linkDNS{wlan, vpnRouting}, "intranet.corp.example", []string{"tun0"}},
		{"the routing domain matches the domain itself", []linkDNS{wlan, vpnRouting}, "CORP.example.", []string{"tun0"}},
		{"a routing-only link is no default route for other names", []linkDNS{wlan, vpnRouting}, "www.example.org", []string{"wlan0"}},
		{"the longest match wins", []linkDNS{{Name: "eth0", Server: []string{"192.168.1.1"}, Search: []string{"example"}}, vpnRouting}, "a.corp.example", []string{"tun0"}},
		{"a suffix is not a label match", []linkDNS{wlan, vpnRouting}, "notcorp.example", []string{"wlan0"}},
		{"~. takes everything no other domain matches", []linkDNS{wlan, vpnAll}, "intranet.corp.example", []string{"tun0"}},
		{"a search domain still wins over ~.", []linkDNS{wlan, vpnAll}, "nas.fritz.box", []string{"wlan0"}},
		{"a link without servers is never asked", []linkDNS{wlan, vpnNoServers}, "intranet.corp.example", []string{"wlan0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range resolvedRoute(tt.links, tt.query) {
				got = append(got, l.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestReadResolvedLinks(t *testing.T) {
	dir := t.TempDir()
	d := resolvedDirs{Resolved: filepath.Join(dir, "resolve", "netif"), Networkd: filepath.Join(dir, "netif", "links")}
	put := func(sub, name, fixture string) {
		p := filepath.Join(sub, name)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(readTestdata(t, fixture)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names := map[int]string{2: "eth0", 3: "wlan0", 4: "tun0"}
	ifName := func(i int) string { return names[i] }

	if _, ok, err := readResolvedLinks(d, ifName); ok || err != nil {
		t.Fatalf("no state directories: ok %v err %v, want not ok", ok, err)
	}
	put(d.Networkd, "2", "networkd-link-eth0")
	put(d.Networkd, "3", "networkd-link-unmanaged")
	put(d.Networkd, "4", "networkd-link-wg0")
	put(d.Resolved, "3", "resolved-netif-wlan")
	put(d.Resolved, "4", "resolved-netif-vpn-nodomain") // over D-Bus: wins over networkd's
	put(d.Resolved, "9", "resolved-netif-wlan")         // a link that is gone
	links, ok, err := readResolvedLinks(d, ifName)
	if !ok || err != nil {
		t.Fatalf("ok %v err %v", ok, err)
	}
	var got []string
	for _, l := range links {
		got = append(got, l.Name+"="+strings.Join(l.Server, ",")+"/"+strings.Join(l.Route, ","))
	}
	want := []string{"eth0=192.168.1.1/", "wlan0=192.168.1.1,fe80::1%3/", "tun0=10.8.0.1,10.8.0.2/"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if links[2].Source != filepath.Join(d.Resolved, "4") {
		t.Errorf("tun0 read from %s, want resolved's file", links[2].Source)
	}
}

func TestVPNIntranetVerdicts(t *testing.T) {
	wlan := linkDNS{Name: "wlan0", Server: []string{"192.168.1.1"}}
	vpnNoDefault := linkDNS{Name: "tun0", Server: []string{"10.8.0.1"}, DefaultRoute: yes(false)}
	vpnRouting := linkDNS{Name: "tun0", Server: []string{"10.8.0.1"}, Route: []string{"corp.example"}}
	routes := map[string]string{"10.8.0.1": "tun0", "10.30.0.7": "tun0", "10.20.0.5": "wlan0", "198.51.100.1": "wlan0"}
	hosts := map[string]string{"wiki.corp.example": "10.20.0.5", "mail.corp.example": "10.30.0.7"}
	tests := []struct {
		name     string
		domain   string
		joined   string
		intranet []string
		perLink  []linkDNS
		perErr   error
		want     []string
		detail   string
		bypass   bool // resolv.conf names servers, not resolved's stub
	}{
		{"nothing to judge", "", "", nil, nil, nil, nil, "", false},
		{"intranet host routed via the LAN", "", "", []string{"10.20.0.5", "mail.corp.example"}, nil, nil, []string{"org.vpn-intranet-outside"}, "10.20.0.5 via wlan0", false},
		{"intranet name routed via the LAN", "", "", []string{"wiki.corp.example"}, nil, nil, []string{"org.vpn-intranet-outside"}, "wiki.corp.example (10.20.0.5) via wlan0", false},
		{"an unresolvable host is no routing verdict", "", "", []string{"nosuch.corp.example"}, nil, nil, nil, "no such host", false},
		{"the tunnel's DNS has no routing domain for the domain", "corp.example", "", nil, []linkDNS{wlan, vpnNoDefault}, nil, []string{"org.vpn-split-dns-missing"}, "corp.example goes to wlan0 (192.168.1.1)", false},
		{"the joined domain counts too", "", "corp.example", nil, []linkDNS{wlan, vpnNoDefault}, nil, []string{"org.vpn-split-dns-missing"}, "corp.example", false},
		{"the routing domain is set", "corp.example", "", []string{"mail.corp.example"}, []linkDNS{wlan, vpnRouting}, nil, nil, "routing_domains", false},
		{"the tunnel brings no DNS of its own: not this verdict", "corp.example", "", nil, []linkDNS{wlan}, nil, nil, "", false},
		{"per-link state unreadable is said, not judged", "corp.example", "", nil, nil, errors.New("open /run/systemd/resolve/netif: permission denied"), nil, "permission denied", false},
		{"resolv.conf bypasses resolved's stub: shown, not judged", "corp.example", "", nil, []linkDNS{wlan, vpnNoDefault}, nil, nil, "per_link_dns_note", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := vpnCheck{
				tunnels: func() ([]tunnel, error) { return []tunnel{{Name: "tun0", Up: true}}, nil },
				route:   func(a netip.Addr) string { return routes[a.String()] },
				routes:  func(string) ([]string, bool) { return nil, false },
				lookup: func(_ context.Context, h string) ([]netip.Addr, error) {
					if a, err := netip.ParseAddr(h); err == nil {
						return []netip.Addr{a}, nil
					}
					if a, ok := hosts[h]; ok {
						return []netip.Addr{netip.MustParseAddr(a)}, nil
					}
					return nil, errors.New("lookup " + h + ": no such host")
				},
				perLink: func() ([]linkDNS, bool, error) { return tt.perLink, tt.perLink != nil, tt.perErr },
				joined:  func(context.Context) string { return tt.joined },
			}
			env := testEnv("127.0.0.53:53", "10.8.0.1:53")
			if tt.bypass {
				env = testEnv("10.8.0.1:53")
			}
			env.Profile.Org.Domain = tt.domain
			env.Profile.Org.IntranetHosts = tt.intranet
			res := c.run(context.Background(), env)
			res.Normalize()
			if got := codesOf(res); !slices.Equal(got, tt.want) {
				t.Errorf("got %v (%s), want %v", got, res.Summary, tt.want)
			}
			if len(tt.want) > 0 && res.Status != report.StatusWarn {
				t.Errorf("status %s, want warn", res.Status)
			}
			all := ""
			for _, f := range res.Findings {
				all += f.Message
			}
			b, _ := reportJSON(res)
			if tt.detail != "" && !strings.Contains(all+b, tt.detail) {
				t.Errorf("neither the findings nor the details name %q: %s %s", tt.detail, all, b)
			}
		})
	}
}

func reportJSON(r report.Result) (string, error) {
	b, err := json.Marshal(r.Details)
	return string(b), err
}
