package dnscheck

import (
	"fmt"
	"net/netip"
	"os"
	"slices"
	"syscall"
	"testing"

	"github.com/l2diag/l2diag/diag/dns/internal/wire"
)

// TestLocalErrorIsNoServerVerdict: a query this machine could not send
// (out of descriptors) says nothing about the server: every check that
// sees one reports dns.local-error, never a timeout or a difference.
func TestLocalErrorIsNoServerVerdict(t *testing.T) {
	sv := server{Addr: netip.MustParseAddrPort("10.53.0.1:53"), Source: "system"}
	emfile := fmt.Errorf("dns: query: %w", os.NewSyscallError("socket", syscall.EMFILE))
	local := Outcome{Server: sv.Addr, Name: "www.corp.l2lab.", Type: "A", Transport: "udp",
		Error: emfile.Error(), ErrKind: string(wire.Kind(emfile)), Tries: 1}
	answered := Outcome{Server: sv.Addr, Name: "www.corp.l2lab.", Type: "AAAA", Transport: "udp", Rcode: wire.NoError,
		Answer: []wire.RR{{Name: "www.corp.l2lab.", Type: "AAAA", Data: "2001:db8::10"}}}
	views := []serverView{{server: sv, outcomes: []Outcome{local, answered}}}
	tests := []struct {
		name  string
		codes []string
	}{
		{"dns-resolve", codes(judgeResolve("www.corp.l2lab", []server{sv}, []Outcome{local, answered}))},
		{"dns-server", codes(judgeServer(sv, local, answered, 0))},
		{"dns-system, a server query not sent", codes(judgeSystem("www.corp.l2lab", []netip.Addr{netip.MustParseAddr("10.53.0.10")}, nil, nil, "/etc/hosts", views))},
		{"dns-system, the OS resolver out of descriptors", codes(judgeSystem("www.corp.l2lab", nil, emfile, nil, "/etc/hosts", views))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Contains(tt.codes, FindingLocalError.Code) {
				t.Errorf("codes = %v, want %s", tt.codes, FindingLocalError.Code)
			}
			for _, c := range tt.codes {
				if c != FindingLocalError.Code {
					t.Errorf("codes = %v: %s is a verdict about the server", tt.codes, c)
				}
			}
		})
	}
}
