package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestDNSDefaults(t *testing.T) {
	d := Default().DNS
	if d.QueryTimeout.D() != 2*time.Second || d.Retries != 1 || d.SlowThreshold.D() != 500*time.Millisecond ||
		d.HijackDomain != "com" || strings.Join(d.Types, ",") != "A,AAAA" {
		t.Errorf("dns defaults = %+v", d)
	}
}

func TestDNSValidation(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantErr    string // substring; "" = valid
	}{
		{"valid", "dns:\n  names: [www.example.com]\n  servers: [192.0.2.53, '[2001:db8::53]:5353']\n  types: [a, mx]\n", ""},
		{"bad name", "dns:\n  names: [www.example.com, 'bad name']\n", "lab.yaml:3: dns.names: entry 2:"},
		{"bad server", "dns:\n  servers: [dns.example.com]\n", "dns.servers: entry 1: \"dns.example.com\" is not a DNS server address"},
		{"unknown type", "dns:\n  types: [A, AXFRX]\n", "dns.types: entry 2: unknown record type \"AXFRX\""},
		{"no types", "dns:\n  types: []\n", "dns.types: empty"},
		{"negative timeout", "dns:\n  query_timeout: -1s\n", "dns.query_timeout: -1s is not a positive duration"},
		{"not a duration", "dns:\n  query_timeout: 2\n", "is not a duration"},
		{"retries", "dns:\n  retries: 9\n", "dns.retries: 9 is out of range (use 0 to 5)"},
		{"slow above timeout", "dns:\n  slow_threshold: 3s\n", "dns.slow_threshold: 3s is not below query_timeout 2s"},
		{"does not fit the check", "check_timeout: 3s\ndns:\n  query_timeout: 2s\n  retries: 1\n", "dns.query_timeout: 2s × 2 tries = 4s does not fit in check_timeout 3s"},
		{"bad hijack domain", "dns:\n  hijack_domain: 'a..b'\n", "dns.hijack_domain:"},
		{"unknown key", "dns:\n  nmaes: [x.example]\n", "nmaes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLoad(t, tt.yaml, tt.wantErr)
		})
	}
}

func TestDNSNameEntries(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantErr    string // substring; "" = valid
	}{
		{"plain and mappings", `dns:
  names:
    - www.example.com
    - name: intranet.corp.example
      expect: [10.20.0.5, '2001:db8::5', 10.21.0.0/16]
    - name: vpn-only.corp.example
      expect_private: true
    - name: single.corp.example
      expect: 10.20.0.6
    - name: just-a-name.corp.example
`, ""},
		{"bad address", `dns:
  names:
    - name: intranet.corp.example
      expect:
        - 10.20.0.5
        - 10.20.0.300
`, `lab.yaml:7: dns.names: entry 1: intranet.corp.example: expect: "10.20.0.300" is not an IP address or prefix`},
		{"unknown key in an entry", `dns:
  names:
    - www.example.com
    - name: intranet.corp.example
      expcet: [10.20.0.5]
`, `lab.yaml:6: dns.names[1].expcet: unknown key "expcet" (a dns.names entry takes name, expect and expect_private)`},
		{"unknown key first in an entry", `dns:
  names:
    - nmae: intranet.corp.example
`, `lab.yaml:4: dns.names[0]: unknown key "nmae"`},
		{"bad name in a mapping", `dns:
  names:
    - www.example.com
    - name: 'bad name'
      expect: [10.0.0.1]
`, `lab.yaml:5: dns.names: entry 2: "bad name" contains ' '`},
		{"no name", `dns:
  names:
    - expect: [10.0.0.1]
`, `lab.yaml:4: dns.names: entry 1: no name`},
		{"empty expect", `dns:
  names:
    - name: a.example
      expect: []
`, "entry 1: a.example: expect is empty"},
		{"expect_private not a bool", `dns:
  names:
    - name: a.example
      expect_private: perhaps
`, `lab.yaml:5: dns.names[0].expect_private: expect_private: "perhaps" is not true or false`},
		{"expect not addresses", `dns:
  names:
    - name: a.example
      expect: {a: b}
`, "lab.yaml:5: dns.names[0].expect: expect is not a list of addresses"},
		{"a key twice", `dns:
  names:
    - name: a.example
      name: b.example
`, "name is given twice"},
		{"same name twice with an expectation", `dns:
  names:
    - a.example
    - name: A.example.
      expect: [10.0.0.1]
`, "entry 2: A.example. is also entry 1"},
		{"same plain name twice is harmless", "dns:\n  names: [a.example, a.example]\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLoad(t, tt.yaml, tt.wantErr)
		})
	}
}

func TestDNSExpectations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.yaml")
	yml := `name: lab
dns:
  names:
    - www.example.com
    - name: Intranet.Corp.Example.
      expect: [10.20.0.5, 10.21.0.0/16]
    - name: vpn-only.corp.example
      expect_private: true
`
	if err := os.WriteFile(path, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.DNS.NameList(), ","); got != "www.example.com,Intranet.Corp.Example.,vpn-only.corp.example" {
		t.Errorf("NameList = %s", got)
	}
	exp := p.DNS.Expectations()
	got := map[string]string{}
	for k, e := range exp {
		got[k] = e.String()
	}
	want := map[string]string{
		"intranet.corp.example": "10.20.0.5 or 10.21.0.0/16",
		"vpn-only.corp.example": "a private address (RFC 1918 or ULA)",
	}
	if len(got) != len(want) || got["intranet.corp.example"] != want["intranet.corp.example"] || got["vpn-only.corp.example"] != want["vpn-only.corp.example"] {
		t.Errorf("Expectations = %v, want %v", got, want)
	}
	// profile show and bundles write the profile back: a plain entry stays plain.
	out, err := yaml.Marshal(p.DNS.Names)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(out); !strings.HasPrefix(s, "- www.example.com\n- name: Intranet.Corp.Example.\n  expect:\n") || !strings.Contains(s, "expect_private: true") {
		t.Errorf("marshalled names:\n%s", s)
	}
}
