//go:build linux

package wintier

import (
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestTCPStates: winsock's errors read as the same states as on Linux:
// open, refused (nothing listens), filtered (dropped).
func TestTCPStates(t *testing.T) {
	tr := newTier(t)
	rep, _ := tr.run(t, lab.WineExe(t, true), "--only", "net", "--skip", "net-ping,net-interfaces,net-gateway,net-proxy",
		"--tcp", dnsGood+":53", "--tcp", rejecting+":80", "--tcp", dropped+":80")
	for _, tt := range []struct{ target, code string }{
		{dnsGood + ":53", "net.tcp-open"},
		{rejecting + ":80", "net.tcp-refused"},
		{dropped + ":80", "net.tcp-filtered"},
	} {
		r := one(t, rep, "net-tcp", tt.target)
		if !hasCode(r, tt.code) {
			t.Errorf("net-tcp %s: codes %v, want %s\n%s", tt.target, codes(r), tt.code, dump(r))
		}
	}
}
