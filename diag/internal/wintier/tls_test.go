//go:build linux

package wintier

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestTLSVerdicts: Go on Windows verifies certificates through CryptoAPI
// and the machine's root store, not a PEM file. The lab CA is put into the
// prefix's Root store as a GPO would; a site it issued for passes, and an
// expired certificate, one for another name and one from a CA the machine
// does not trust each get their own finding.
func TestTLSVerdicts(t *testing.T) {
	tr := newTier(t)
	ca := lab.NewCA(t, "l2diag wintier CA")
	rogue := lab.NewCA(t, "Rogue Inspection CA")
	tr.wine.TrustRoot(ca.Cert)
	const host = "intranet.corp.example"
	now := time.Now()
	ok := func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hello") }
	for port, cert := range map[string][]string{"8441": {host}, "8442": {host}, "8443": {"other.corp.example"}, "8444": {host}} {
		nb, na := now.Add(-time.Hour), now.Add(90*24*time.Hour)
		issuer := ca
		switch port {
		case "8442":
			nb, na = now.Add(-48*time.Hour), now.Add(-24*time.Hour)
		case "8444":
			issuer = rogue
		}
		tr.serveHTTP(t, intraIP+":"+port, ok, issuer.Leaf(t, cert, nb, na))
	}
	cases := []struct{ url, code string }{
		{"https://" + host + ":8441/", "net.http-ok"},
		{"https://" + host + ":8442/", "net.tls-expired"},
		{"https://" + host + ":8443/", "net.tls-name-mismatch"},
		{"https://" + host + ":8444/", "net.tls-unknown-authority"},
	}
	args := []string{"--only", "net", "--skip", "net-ping,net-interfaces,net-gateway,net-tcp,net-proxy"}
	for _, c := range cases {
		args = append(args, "--http", c.url)
	}
	rep, _ := tr.run(t, lab.WineExe(t, true), args...)
	for _, c := range cases {
		r := one(t, rep, "net-http", c.url)
		if got := codes(r); len(got) != 1 || got[0] != c.code {
			t.Errorf("%s: codes %v, want only %s\n%s", c.url, got, c.code, dump(r))
		}
	}
}
