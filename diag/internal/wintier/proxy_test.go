//go:build linux

package wintier

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

const inetSettings = `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`

// serveHTTP serves h on addr inside the server namespace, over TLS with
// cert when one is given.
func (tr *tier) serveHTTP(t *testing.T, addr string, h http.HandlerFunc, cert ...tls.Certificate) {
	t.Helper()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	l := tr.server.Listen("tcp", addr)
	if len(cert) > 0 {
		srv.TLSConfig = &tls.Config{Certificates: cert}
		go func() { _ = srv.ServeTLS(l, "", "") }()
	} else {
		go func() { _ = srv.Serve(l) }()
	}
	t.Cleanup(func() { _ = srv.Close() })
}

// proxyAndSites starts a web server for direct requests on the intranet
// address and two "proxies" that answer every absolute-URI request with
// their own name, so a result shows which way a request went.
func (tr *tier) proxyAndSites(t *testing.T) {
	t.Helper()
	tr.serveHTTP(t, intraIP+":80", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "direct to "+r.Host)
	})
	for _, port := range []string{"3128", "3129"} {
		tr.serveHTTP(t, serverIP+":"+port, func(w http.ResponseWriter, r *http.Request) {
			if !r.URL.IsAbs() {
				http.Error(w, "not a proxy request", http.StatusBadRequest)
				return
			}
			_, _ = fmt.Fprintf(w, "proxy %s for %s", port, r.URL)
		})
	}
}

type proxyCase struct {
	url, proxy, reason string
}

func checkProxyChoices(t *testing.T, tr *tier, cases []proxyCase) {
	t.Helper()
	args := []string{"--only", "net", "--skip", "net-ping,net-interfaces,net-gateway,net-tcp"}
	for _, c := range cases {
		args = append(args, "--http", c.url)
	}
	rep, _ := tr.run(t, lab.WineExe(t, true), args...)
	px := one(t, rep, "net-proxy", "")
	t.Logf("net-proxy: %s %v", px.Summary, px.Details["per_url"])
	for _, c := range cases {
		r := one(t, rep, "net-http", c.url)
		got, _ := r.Details["proxy"].(string)
		why, _ := r.Details["proxy_reason"].(string)
		if got != c.proxy || !strings.Contains(why, c.reason) {
			t.Errorf("net-http %s: proxy %q (%s), want %q (%s)\n%s", c.url, got, why, c.proxy, c.reason, dump(r))
		}
		if r.Status != "ok" {
			t.Errorf("net-http %s: %s %s, want ok (the chosen way works)", c.url, r.Status, r.Summary)
		}
	}
}

// TestWinINETProxyPerURL: the user's WinINET settings are applied per
// URL: the http= proxy for http URLs (not the https= one), the bypass list
// (a wildcard domain, <local> for plain names) sends intranet sites direct.
func TestWinINETProxyPerURL(t *testing.T) {
	tr := newTier(t)
	tr.proxyAndSites(t)
	tr.wine.Reg("add", inetSettings, "/v", "ProxyEnable", "/t", "REG_DWORD", "/d", "1", "/f")
	tr.wine.Reg("add", inetSettings, "/v", "ProxyServer", "/t", "REG_SZ", "/d", "http="+serverIP+":3128;https="+serverIP+":3129", "/f")
	tr.wine.Reg("add", inetSettings, "/v", "ProxyOverride", "/t", "REG_SZ", "/d", "*.corp.example;<local>", "/f")
	checkProxyChoices(t, tr, []proxyCase{
		{"http://intranet.corp.example/", "none", "bypass list: *.corp.example"},
		{"http://fileserver/", "none", "bypass list: <local>"},
		{"http://www.outside.example/", "http://" + serverIP + ":3128", "ProxyServer (http=)"},
	})
}

// TestPACProxyPerURL: an AutoConfigURL script is fetched and evaluated
// for each URL with the browsers' helper functions.
func TestPACProxyPerURL(t *testing.T) {
	tr := newTier(t)
	tr.proxyAndSites(t)
	tr.serveHTTP(t, serverIP+":8081", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ns-proxy-autoconfig")
		_, _ = io.WriteString(w, `function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example")) return "DIRECT";
  if (isInNet(dnsResolve(host), "10.80.1.0", "255.255.255.0")) return "PROXY `+serverIP+`:3129";
  return "PROXY `+serverIP+`:3128; DIRECT";
}`)
	})
	tr.wine.Reg("add", inetSettings, "/v", "AutoConfigURL", "/t", "REG_SZ", "/d", "http://"+serverIP+":8081/proxy.pac", "/f")
	checkProxyChoices(t, tr, []proxyCase{
		{"http://intranet.corp.example/", "none", "PAC: DIRECT"},
		{"http://www.outside.example/", "http://" + serverIP + ":3129", "PAC: PROXY " + serverIP + ":3129"},
		{"http://server.example/", "http://" + serverIP + ":3128", "PAC: PROXY " + serverIP + ":3128; DIRECT"},
	})
}
