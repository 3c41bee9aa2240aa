package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
			path := filepath.Join(t.TempDir(), "lab.yaml")
			if err := os.WriteFile(path, []byte("name: lab\n"+tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("err = %v, want none", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
