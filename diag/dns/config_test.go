package dnscheck

import (
	"net/netip"
	"path/filepath"
	"slices"
	"testing"

	"github.com/l2diag/l2diag/diag"
)

func td(name string) string { return filepath.Join("testdata", "resolvconf", name) }

func TestParseResolvConf(t *testing.T) {
	tests := []struct {
		name         string
		file         string
		wantServers  []string
		wantSearch   []string
		wantNdots    int
		wantProblems []int // line numbers
	}{
		{"plain", "plain.conf", []string{"10.0.0.53:53", "10.0.1.53:53"}, []string{"corp.example", "lab.example"}, 2, nil},
		{"empty", "empty.conf", nil, nil, 1, nil},
		{"malformed lines are problems, not crashes", "malformed.conf", []string{"10.0.0.53:53"}, []string{"good.example"}, 1, []int{2, 3, 4, 5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := ReadResolvConf(td(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var servers []string
			for _, s := range c.Servers {
				servers = append(servers, s.String())
			}
			if !slices.Equal(servers, tt.wantServers) {
				t.Errorf("servers = %v, want %v", servers, tt.wantServers)
			}
			if !slices.Equal(c.Search, tt.wantSearch) {
				t.Errorf("search = %v, want %v", c.Search, tt.wantSearch)
			}
			if c.Ndots != tt.wantNdots {
				t.Errorf("ndots = %d, want %d", c.Ndots, tt.wantNdots)
			}
			var lines []int
			for _, p := range c.Problems {
				lines = append(lines, p.Line)
			}
			if !slices.Equal(lines, tt.wantProblems) {
				t.Errorf("problem lines = %v, want %v (%+v)", lines, tt.wantProblems, c.Problems)
			}
		})
	}
}

func TestConfigCheck(t *testing.T) {
	tests := []struct {
		name        string
		paths       Paths
		wantCodes   []string
		wantServers []string
		wantSearch  []string
	}{
		{"plain", Paths{ResolvConf: td("plain.conf"), NSSwitch: td("nsswitch-dns.conf")}, nil,
			[]string{"10.0.0.53:53", "10.0.1.53:53"}, []string{"corp.example", "lab.example"}},
		{"no server", Paths{ResolvConf: td("empty.conf")}, []string{"dns.no-server"}, []string{}, nil},
		{"missing file", Paths{ResolvConf: td("does-not-exist.conf")}, []string{"dns.config-unreadable"}, []string{}, nil},
		{"malformed", Paths{ResolvConf: td("malformed.conf")},
			[]string{"dns.config-malformed", "dns.config-malformed", "dns.config-malformed", "dns.config-malformed", "dns.config-malformed"},
			[]string{"10.0.0.53:53"}, []string{"good.example"}},
		{"four servers", Paths{ResolvConf: td("four.conf")}, []string{"dns.too-many-servers"},
			[]string{"10.0.0.1:53", "10.0.0.2:53", "10.0.0.3:53", "10.0.0.4:53"}, nil},
		{"stub with upstreams", Paths{ResolvConf: td("stub.conf"), ResolvedConf: td("resolved-upstream.conf")}, nil,
			[]string{"127.0.0.53:53", "10.0.0.53:53", "10.0.0.54:53"}, []string{"corp.example"}},
		{"stub without upstream", Paths{ResolvConf: td("stub.conf"), ResolvedConf: td("resolved-empty.conf")}, []string{"dns.stub-no-upstream"},
			[]string{"127.0.0.53:53"}, []string{"corp.example"}},
		{"stub, resolved not running", Paths{ResolvConf: td("stub.conf"), ResolvedConf: td("nope.conf")}, []string{"dns.stub-no-upstream"},
			[]string{"127.0.0.53:53"}, []string{"corp.example"}},
		{"nsswitch without dns", Paths{ResolvConf: td("plain.conf"), NSSwitch: td("nsswitch-nodns.conf")}, []string{"dns.nsswitch-no-dns"},
			[]string{"10.0.0.53:53", "10.0.1.53:53"}, []string{"corp.example", "lab.example"}},
		{"macOS resolver dir", Paths{ResolvConf: td("plain.conf"), ResolverDir: td("resolver")}, []string{"dns.config-malformed"},
			[]string{"10.0.0.53:53", "10.0.1.53:53", "10.8.0.1:53"}, []string{"corp.example", "lab.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &diag.Env{Facts: diag.NewFacts(), Evidence: &diag.Evidence{}}
			r := runConfig(env, tt.paths)
			if got := codes(r); !slices.Equal(got, tt.wantCodes) {
				t.Errorf("codes = %v, want %v (%s)", got, tt.wantCodes, r.Summary)
			}
			servers, ok := diag.GetFact(env.Facts, diag.FactDNSServers)
			if !ok {
				t.Fatal("FactDNSServers not published")
			}
			got := []string{}
			for _, s := range servers {
				got = append(got, s.String())
			}
			if !slices.Equal(got, tt.wantServers) {
				t.Errorf("servers = %v, want %v", got, tt.wantServers)
			}
			search, _ := diag.GetFact(env.Facts, diag.FactSearchDomains)
			if !slices.Equal(search, tt.wantSearch) {
				t.Errorf("search = %v, want %v", search, tt.wantSearch)
			}
		})
	}
}

func TestParseHosts(t *testing.T) {
	h := ParseHosts([]byte("127.0.0.1 localhost\n10.9.9.9 Intranet.corp.example intranet # pinned\nnot-an-ip foo\n::ffff:10.1.1.1 mapped\n"))
	tests := []struct {
		name string
		want []netip.Addr
	}{
		{"intranet.corp.example", []netip.Addr{netip.MustParseAddr("10.9.9.9")}},
		{"intranet", []netip.Addr{netip.MustParseAddr("10.9.9.9")}},
		{"mapped", []netip.Addr{netip.MustParseAddr("10.1.1.1")}},
		{"foo", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h[tt.name]; !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
