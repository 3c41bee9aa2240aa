package netcheck

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"syscall"
	"testing"

	"github.com/l2diag/l2diag/report"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want connState
	}{
		{"nil", nil, stateOpen},
		{"refused", &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}, stateRefused},
		{"no route", fmt.Errorf("dial: %w", syscall.ENETUNREACH), stateNoRoute},
		{"host unreachable", fmt.Errorf("dial: %w", syscall.EHOSTUNREACH), stateUnreachable},
		{"deadline", fmt.Errorf("dial: %w", context.DeadlineExceeded), stateFiltered},
		{"out of descriptors", fmt.Errorf("dial: %w", os.NewSyscallError("socket", syscall.EMFILE)), stateLocal},
		{"out of buffers", fmt.Errorf("dial: %w", syscall.ENOBUFS), stateLocal},
		{"other", errors.New("boom"), stateError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.err); got != tt.want {
				t.Errorf("classify(%v) = %s, want %s", tt.err, got, tt.want)
			}
		})
	}
}

func TestParseProxy(t *testing.T) {
	tests := []struct{ in, want string }{
		{"proxy.example.com:3128", "http://proxy.example.com:3128"},
		{"http://user:secret@proxy.example.com:8080", "http://user:xxxxx@proxy.example.com:8080"},
		{"socks5://10.0.0.1:1080", "socks5://10.0.0.1:1080"},
		{"ftp://proxy.example.com", ""},
		{"://", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := ""
			if u := parseProxy(tt.in); u != nil {
				got = u.Redacted()
			}
			if got != tt.want {
				t.Errorf("parseProxy(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := redactRaw("ftp://user:pw@host"); got != "ftp://***@host" {
		t.Errorf("redactRaw = %q", got)
	}
}

func TestFailedAddrs(t *testing.T) {
	results := []report.Result{
		{Check: "net-ping", Status: report.StatusFail, Details: map[string]any{"address": "192.0.2.1"},
			Findings: []report.Finding{{Code: FindingPingNoAnswer.Code}}},
		{Check: "net-ping", Status: report.StatusFail, Details: map[string]any{"address": "192.0.2.2"},
			Findings: []report.Finding{{Code: FindingPingNoRoute.Code}}}, // nothing was sent: no trace
		{Check: "net-ping", Status: report.StatusOK, Details: map[string]any{"address": "192.0.2.3"}},
		{Check: "net-tcp", Status: report.StatusFail, Findings: []report.Finding{
			{Code: FindingTCPFiltered.Code, Evidence: map[string]any{"address": "[2001:db8::1]:443"}},
			{Code: FindingTCPFiltered.Code, Evidence: map[string]any{"address": "192.0.2.1:443"}}, // same host as the ping
		}},
		{Check: "net-tcp", Status: report.StatusFail, Findings: []report.Finding{{Code: FindingNoResolve.Code}}},
	}
	got := failedAddrs(results)
	want := []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")}
	if !slices.Equal(got, want) {
		t.Errorf("failedAddrs = %v, want %v", got, want)
	}
}

func TestTrimHops(t *testing.T) {
	hops := []hop{{TTL: 1, Address: "a"}, {TTL: 2}, {TTL: 3, Address: "c"}, {TTL: 4}, {TTL: 5}}
	if got := trimHops(hops, 0); len(got) != 4 {
		t.Errorf("unreached: %d hops, want 4 (one silent hop after the last answer)", len(got))
	}
	if got := trimHops(hops, 3); len(got) != 3 {
		t.Errorf("reached at 3: %d hops, want 3", len(got))
	}
}
