package dnscheck

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestDNSSECFailureIsNotServerDown serves a validly signed zone and one
// with expired signatures from BIND, validated by unbound with trust
// anchors for both: the expired one must say DNSSEC, not "server down".
func TestDNSSECFailureIsNotServerDown(t *testing.T) {
	lab.RequireTool(t, "named", "dnssec-keygen", "dnssec-signzone", "unbound")
	dir := lab.NamedDir(t)
	// named reads the directory as its own user on some systems.
	_ = os.Chmod(dir, 0o755)
	goodFile, goodKey := lab.SignZone(t, dir, "good.l2lab", "www IN A 10.77.0.1")
	// Expired 3 days ago: beyond unbound's clock-skew allowance (at most 1 day).
	badFile, badKey := lab.SignZone(t, dir, "expired.l2lab", "www IN A 10.77.0.1", "-P", "-s", lab.SigTime(-30*24*time.Hour), "-e", lab.SigTime(-72*time.Hour))
	auth := lab.Named(t, nil, loopback(t), dir, fmt.Sprintf(`
zone "good.l2lab" { type primary; file "%s"; };
zone "expired.l2lab" { type primary; file "%s"; };
`, goodFile, badFile))
	stub := func(z string) string {
		return fmt.Sprintf("stub-zone:\n\tname: %q\n\tstub-addr: %s@%d\n", z+".", auth.Addr.Addr(), auth.Addr.Port())
	}
	validator := lab.Unbound(t, nil, loopback(t), fmt.Sprintf(`module-config: "validator iterator"
trust-anchor-file: %q
trust-anchor-file: %q
domain-insecure: "l2lab."
val-log-level: 2`, goodKey, badKey), stub("good.l2lab")+stub("expired.l2lab"))

	p := testProfile("www.good.l2lab", "www.expired.l2lab")
	got := runPlanned(t, p, serverFacts(validator.Addr), nil, serverSpec, resolveSpec)

	tests := []struct {
		key    string
		want   []string
		wantAD bool
	}{
		{"dns-resolve www.good.l2lab", nil, true},
		{"dns-resolve www.expired.l2lab", []string{"dns.dnssec-failed"}, false},
		// The server is up: dns-server must not call it down.
		{"dns-server " + serverName(validator.Addr), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			r, ok := got[tt.key]
			if !ok {
				t.Fatalf("no result; have %v", keysOf(got))
			}
			if c := codes(r); !slices.Equal(c, tt.want) {
				t.Errorf("codes = %v, want %v (%s)\nunbound log:\n%s", c, tt.want, r.Summary, validator.Proc.Logs())
			}
			if ans, ok := r.Details["answers"].(map[string][]Outcome); ok {
				o := ans[serverName(validator.Addr)][0]
				if o.AD != tt.wantAD {
					t.Errorf("AD = %v, want %v (%+v)", o.AD, tt.wantAD, o)
				}
			}
		})
	}
	t.Run("dig agrees: SERVFAIL, and the data with +cd", func(t *testing.T) {
		if got := dig(t, validator.Addr, "www.expired.l2lab", "A"); len(got) != 0 {
			t.Errorf("dig without +cd got %v, want nothing (SERVFAIL)", got)
		}
		if got := dig(t, validator.Addr, "www.expired.l2lab", "A", "+cd"); !slices.Equal(got, []string{"10.77.0.1"}) {
			t.Errorf("dig +cd got %v, want [10.77.0.1]", got)
		}
	})
}
