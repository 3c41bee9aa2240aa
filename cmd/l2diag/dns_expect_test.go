package main

import (
	"slices"
	"testing"
)

// --dns-name NAME=IP adds the name and what it must resolve to.
func TestDNSNameExpectation(t *testing.T) {
	o := &runOptions{DNSNames: []string{"www.example.com", "Intranet.Example.com.=10.20.0.5,10.21.0.0/16", "vpn.example.com=private"}}
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"www.example.com", "Intranet.Example.com.", "vpn.example.com"}; !slices.Equal(o.targets.DNSNames, want) {
		t.Errorf("names = %v, want %v", o.targets.DNSNames, want)
	}
	got := map[string]string{}
	for n, e := range o.targets.DNSExpect {
		got[n] = e.String()
	}
	want := map[string]string{"intranet.example.com": "10.20.0.5 or 10.21.0.0/16", "vpn.example.com": "a private address (RFC 1918 or ULA)"}
	if len(got) != len(want) || got["intranet.example.com"] != want["intranet.example.com"] || got["vpn.example.com"] != want["vpn.example.com"] {
		t.Errorf("expectations = %v, want %v", got, want)
	}
}
