package lab

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// SigTime is a dnssec-signzone absolute time d from now (-s, -e).
func SigTime(d time.Duration) string { return time.Now().Add(d).UTC().Format("20060102150405") }

// SignZone writes zone (SOA, NS ns.ZONE at 127.0.0.1, then records, in
// zone-file syntax relative to the origin) to dir and signs it with one
// ECDSA key, a KSK used as CSK; extra are dnssec-signzone options, such
// as validity dates that put the signatures in the past. It returns the
// signed file's name in dir, for named, and the key file, the trust anchor
// for a validating unbound.
func SignZone(t testing.TB, dir, zone, records string, extra ...string) (signed, keyFile string) {
	t.Helper()
	RequireTool(t, "dnssec-keygen", "dnssec-signzone")
	db := filepath.Join(dir, zone+".db")
	writeFile(t, db, fmt.Sprintf(`$TTL 300
@ IN SOA ns.%[1]s. hostmaster.%[1]s. 1 3600 600 86400 300
@ IN NS ns.%[1]s.
ns IN A 127.0.0.1
%[2]s
`, zone, records))
	out, err := exec.Command("dnssec-keygen", "-q", "-K", dir, "-a", "ECDSAP256SHA256", "-f", "KSK", "-n", "ZONE", zone).CombinedOutput()
	if err != nil {
		t.Fatalf("lab: dnssec-keygen: %v\n%s", err, out)
	}
	key := strings.TrimSpace(string(out))
	signed = zone + ".db.signed"
	args := append([]string{"-q", "-S", "-K", dir, "-d", dir, "-z", "-o", zone, "-f", filepath.Join(dir, signed)}, extra...)
	args = append(args, db)
	if out, err := exec.Command("dnssec-signzone", args...).CombinedOutput(); err != nil {
		t.Fatalf("lab: dnssec-signzone: %v\n%s", err, out)
	}
	return signed, filepath.Join(dir, key+".key")
}
