package triage_test

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// The TLS rows of the matrix: the lab network of lab_test.go plus an
// HTTPS service on app.lab:443 whose certificate the test issues from its
// own CA, which the client trusts through SSL_CERT_FILE.
//
// Interception, as inspection firewalls do it: the router redirects TCP
// 443 to an interceptor (on the router itself) that answers every TLS
// handshake with a certificate for the requested name issued by the
// "corporate inspection CA", which this client does not trust. Either
// transparently (forwarded traffic), or behind an explicit proxy the
// client is told to use (tinyproxy on the router, its CONNECTs redirected).
const (
	httpsPort      = "443"
	interceptAddr  = gwAddr + ":8443"
	proxyPort      = 3128
	inspectionCA   = "Corp TLS Inspection CA"
	httpsTargetURL = "https://" + webName + "/"
)

// serveTLS serves "ok" over TLS with cert on a listener opened in ns.
func serveTLS(t *testing.T, ns *lab.NS, addr string, cert tls.Certificate) {
	t.Helper()
	ln := tls.NewListener(ns.Listen("tcp", addr), &tls.Config{Certificates: []tls.Certificate{cert}})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") }),
		// The refused handshakes are the point, not news.
		ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
}

func TestLabTLSScenarios(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name      string
		expired   bool // the service's certificate expired yesterday
		intercept bool // the router redirects TCP 443 to the interceptor
		proxy     bool // the client uses tinyproxy on the router (HTTPS_PROXY)
		want      string
	}{
		{name: "healthy HTTPS service"},
		{name: "healthy HTTPS service through a proxy", proxy: true},
		{name: "expired certificate", expired: true, want: "cause.cert-expired"},
		{name: "TLS-intercepting proxy (transparent)", intercept: true, want: "cause.tls-interception"},
		{name: "TLS-intercepting proxy (explicit)", intercept: true, proxy: true, want: "cause.tls-interception"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := buildNet(t, fault{})
			labCA := lab.NewCA(t, "l2diag lab CA")
			cert := labCA.Leaf(t, []string{webName}, now.Add(-time.Hour), now.Add(90*24*time.Hour))
			if tt.expired {
				cert = labCA.Leaf(t, []string{webName}, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
			}
			serveTLS(t, n.server, webAddr+":"+httpsPort, cert)
			// No proxy from the test's own environment: only the lab's.
			env := append(labCA.TrustEnv(t), "HTTPS_PROXY=", "https_proxy=", "HTTP_PROXY=", "http_proxy=", "ALL_PROXY=", "all_proxy=")
			if tt.proxy {
				// The proxy resolves the names it connects to.
				n.router.SetResolvConf("nameserver " + dnsA + "\n")
				lab.Tinyproxy(t, n.router, gwAddr, proxyPort, false)
				env = append(env, fmt.Sprintf("HTTPS_PROXY=http://%s:%d", gwAddr, proxyPort))
			}
			if tt.intercept {
				// A real interceptor mints a certificate per requested name;
				// app.lab is the only one asked for here.
				forged := lab.NewCA(t, inspectionCA).Leaf(t, []string{webName, webAddr}, now.Add(-time.Hour), now.Add(30*24*time.Hour))
				serveTLS(t, n.router, interceptAddr, forged)
				// prerouting catches the client's own connections, output
				// the proxy's.
				n.router.Nft(`table ip intercept {
  chain pre { type nat hook prerouting priority -100; tcp dport ` + httpsPort + ` dnat to ` + interceptAddr + `; }
  chain out { type nat hook output priority -100; tcp dport ` + httpsPort + ` dnat to ` + interceptAddr + `; }
}`)
			}
			args := []string{"--only", "net,dns", "--profile", writeFile(t, "profile.yaml", labProfile), "--timeout", "40s",
				"--http", httpsTargetURL}
			rep := runEnv(t, n.client, "", env, args...)
			if tt.proxy {
				wantProxyUsed(t, rep)
			}
			wantOnly(t, rep, tt.want)
			if tt.want == "" {
				return
			}
			c := rep.Conclusions[0]
			if !strings.Contains(c.Headline, webName) {
				t.Errorf("headline %q does not name %s", c.Headline, webName)
			}
			if tt.intercept && (c.Confidence != "high" || c.Escalation != "security" || !strings.Contains(c.Headline, inspectionCA)) {
				t.Errorf("interception: %+v, want high confidence, security, the issuer %q named", c, inspectionCA)
			}
		})
	}
}

// wantProxyUsed fails unless the HTTPS check went through the lab's proxy.
func wantProxyUsed(t *testing.T, rep *report.Report) {
	t.Helper()
	want := fmt.Sprintf("http://%s:%d", gwAddr, proxyPort)
	for _, r := range rep.Results {
		if r.Check == "net-http" && r.Target == httpsTargetURL {
			if r.Details["proxy"] != want {
				t.Fatalf("%s went through proxy %v, want %s", r.Target, r.Details["proxy"], want)
			}
			return
		}
	}
	t.Fatalf("no net-http result for %s:\n%s", httpsTargetURL, describe(rep))
}
