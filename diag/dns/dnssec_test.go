package dnscheck

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// stamp is a dnssec-signzone absolute time d from now.
func stamp(d time.Duration) string { return time.Now().Add(d).UTC().Format("20060102150405") }

// signZone writes and signs zone ZONE in dir with one ECDSA key (KSK used
// as CSK); extra are dnssec-signzone options (validity dates). It returns
// the signed file's name and the key file (the trust anchor).
func signZone(t *testing.T, dir, zone string, extra ...string) (signed, keyFile string) {
	t.Helper()
	db := filepath.Join(dir, zone+".db")
	content := fmt.Sprintf(`$TTL 300
@ IN SOA ns.%[1]s. hostmaster.%[1]s. 1 3600 600 86400 300
@ IN NS ns.%[1]s.
ns IN A 127.0.0.1
www IN A 10.77.0.1
`, zone)
	if err := os.WriteFile(db, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("dnssec-keygen", "-q", "-K", dir, "-a", "ECDSAP256SHA256", "-f", "KSK", "-n", "ZONE", zone).CombinedOutput()
	if err != nil {
		t.Fatalf("dnssec-keygen: %v\n%s", err, out)
	}
	key := strings.TrimSpace(string(out))
	signed = zone + ".db.signed"
	args := append([]string{"-q", "-S", "-K", dir, "-d", dir, "-z", "-o", zone, "-f", filepath.Join(dir, signed)}, extra...)
	args = append(args, db)
	if out, err := exec.Command("dnssec-signzone", args...).CombinedOutput(); err != nil {
		t.Fatalf("dnssec-signzone: %v\n%s", err, out)
	}
	return signed, filepath.Join(dir, key+".key")
}

// TestDNSSECFailureIsNotServerDown serves a validly signed zone and one
// with expired signatures from BIND, validated by unbound with trust
// anchors for both: the expired one must say DNSSEC, not "server down".
func TestDNSSECFailureIsNotServerDown(t *testing.T) {
	lab.RequireTool(t, "named", "dnssec-keygen", "dnssec-signzone", "unbound")
	dir := lab.NamedDir(t)
	// named reads the directory as its own user on some systems.
	_ = os.Chmod(dir, 0o755)
	goodFile, goodKey := signZone(t, dir, "good.l2lab")
	// Expired 3 days ago: beyond unbound's clock-skew allowance (at most 1 day).
	badFile, badKey := signZone(t, dir, "expired.l2lab", "-P", "-s", stamp(-30*24*time.Hour), "-e", stamp(-72*time.Hour))
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
