package netcheck_test

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// serve serves h on a listener opened in ns, with TLS when cert is set.
func serve(t *testing.T, ns *lab.NS, addr string, h http.Handler, cert *tls.Certificate) {
	t.Helper()
	l := ns.Listen("tcp", addr)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
		go func() { _ = srv.ServeTLS(l, "", "") }()
	} else {
		go func() { _ = srv.Serve(l) }()
	}
	t.Cleanup(func() { _ = srv.Close() })
}

func TestHTTPInLab(t *testing.T) {
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	l.Link(c, "10.35.0.1/24", s, "10.35.0.2/24")
	c.SetHosts("127.0.0.1 localhost\n10.35.0.2 good.lab other.lab\n")

	ca := lab.NewCA(t, "l2diag lab CA")
	for _, kv := range ca.TrustEnv(t) { // the binary inherits the test's environment
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	rogue := lab.NewCA(t, "Rogue Inspection CA")
	now := time.Now()
	valid := ca.Leaf(t, []string{"good.lab"}, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	soon := ca.Leaf(t, []string{"good.lab"}, now.Add(-time.Hour), now.Add(5*24*time.Hour))
	expired := ca.Leaf(t, []string{"good.lab"}, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	untrusted := rogue.Leaf(t, []string{"good.lab"}, now.Add(-time.Hour), now.Add(90*24*time.Hour))

	mux := http.NewServeMux()
	mux.HandleFunc("/generate_204", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "backend down", http.StatusBadGateway) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusFound) })
	portal := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://10.35.0.2:8081/login", http.StatusFound)
	})
	serve(t, s, "10.35.0.2:8080", mux, nil)
	serve(t, s, "10.35.0.2:8081", portal, nil)
	serve(t, s, "10.35.0.2:8443", mux, &valid)
	serve(t, s, "10.35.0.2:8444", mux, &expired)
	serve(t, s, "10.35.0.2:8446", mux, &untrusted)
	serve(t, s, "10.35.0.2:8447", mux, &soon)

	prof := `name: lab
net:
  tcp:
    targets: []
  http:
    timeout: 3s
    connectivity:
      - url: http://10.35.0.2:8080/generate_204
        status: 204
      - url: http://10.35.0.2:8081/generate_204
        status: 204
      - url: http://10.99.0.1/generate_204
        status: 204
`
	rep := runNet(t, c, "", prof,
		"--http", "https://good.lab:8443/ok", "--http", "https://other.lab:8443/ok",
		"--http", "https://good.lab:8444/ok", "--http", "https://good.lab:8446/ok",
		"--http", "https://good.lab:8447/ok", "--http", "http://good.lab:8080/broken",
		"--http", "http://good.lab:8080/moved", "--http", "http://good.lab:8082/",
		"--http", "http://nosuch.invalid/")
	tests := []struct {
		name, url string
		want      []string
		status    report.Status
	}{
		{"valid certificate", "https://good.lab:8443/ok", []string{"net.http-ok"}, report.StatusOK},
		{"name mismatch", "https://other.lab:8443/ok", []string{"net.tls-name-mismatch"}, report.StatusFail},
		{"expired", "https://good.lab:8444/ok", []string{"net.tls-expired"}, report.StatusFail},
		{"untrusted issuer", "https://good.lab:8446/ok", []string{"net.tls-unknown-authority"}, report.StatusFail},
		{"expiring soon", "https://good.lab:8447/ok", []string{"net.http-ok", "net.tls-expiring-soon"}, report.StatusWarn},
		{"5xx", "http://good.lab:8080/broken", []string{"net.http-5xx"}, report.StatusFail},
		{"redirect followed", "http://good.lab:8080/moved", []string{"net.http-ok"}, report.StatusOK},
		{"refused", "http://good.lab:8082/", []string{"net.http-connect-failed"}, report.StatusFail},
		{"does not resolve", "http://nosuch.invalid/", []string{"net.no-resolve"}, report.StatusFail},
		{"connectivity ok", "http://10.35.0.2:8080/generate_204", []string{"net.http-ok"}, report.StatusOK},
		{"captive portal", "http://10.35.0.2:8081/generate_204", []string{"net.captive-portal"}, report.StatusFail},
		{"no internet", "http://10.99.0.1/generate_204", []string{"net.no-internet"}, report.StatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := result(t, rep, "net-http", tt.url)
			t.Logf("%s: %s", r.Status, r.Summary)
			if got := codes(r); !slices.Equal(got, tt.want) {
				t.Errorf("codes = %v, want %v (%s)", got, tt.want, r.Summary)
			}
			if r.Status != tt.status {
				t.Errorf("status = %s, want %s", r.Status, tt.status)
			}
		})
	}
	t.Run("tls details and timings", func(t *testing.T) {
		r := result(t, rep, "net-http", "https://good.lab:8443/ok")
		tl, _ := r.Details["tls"].(map[string]any)
		if tl["version"] != "TLS 1.3" || tl["verified"] != true || tl["issuer"] != "CN=l2diag lab CA,O=l2diag lab" {
			t.Errorf("tls = %v", tl)
		}
		for _, k := range []string{"dns_ms", "connect_ms", "tls_ms", "first_byte_ms", "total_ms"} {
			if _, ok := r.Metrics[k]; !ok {
				t.Errorf("metric %s missing: %v", k, r.Metrics)
			}
		}
	})
	t.Run("unknown authority names the issuer", func(t *testing.T) {
		r := result(t, rep, "net-http", "https://good.lab:8446/ok")
		if len(r.Findings) == 0 || r.Findings[0].Evidence["issuer"] != "CN=Rogue Inspection CA,O=l2diag lab" {
			t.Errorf("findings = %+v", r.Findings)
		}
	})
	t.Run("redirect chain recorded", func(t *testing.T) {
		r := result(t, rep, "net-http", "http://good.lab:8080/moved")
		if red, _ := r.Details["redirects"].([]any); len(red) != 1 {
			t.Errorf("redirects = %v, want one", r.Details["redirects"])
		}
	})
}

func TestHTTPMoreFindingsInLab(t *testing.T) {
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	l.Link(c, "10.44.0.1/24", s, "10.44.0.2/24")
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		fmt.Fprintln(w, "late")
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	})
	serve(t, s, "10.44.0.2:8080", mux, nil)
	prof := `name: lab
net:
  tcp:
    targets: []
  http:
    connectivity: []
    timeout: 1500ms
    slow_warn: 200ms
`
	rep := runNet(t, c, "", prof,
		"--http", "http://10.44.0.2:8080/missing", "--http", "http://10.44.0.2:8080/slow",
		"--http", "http://10.44.0.2:8080/hang", "--http", "https://10.44.0.2:8080/")
	tests := []struct {
		name, url string
		want      []string
		status    report.Status
	}{
		{"not found", "http://10.44.0.2:8080/missing", []string{"net.http-4xx"}, report.StatusWarn},
		{"slow", "http://10.44.0.2:8080/slow", []string{"net.http-ok", "net.http-slow"}, report.StatusWarn},
		{"no answer", "http://10.44.0.2:8080/hang", []string{"net.http-timeout"}, report.StatusFail},
		{"not TLS", "https://10.44.0.2:8080/", []string{"net.tls-handshake-failed"}, report.StatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := result(t, rep, "net-http", tt.url)
			t.Logf("%s: %s", r.Status, r.Summary)
			if got := codes(r); !slices.Equal(got, tt.want) {
				t.Errorf("codes = %v, want %v", got, tt.want)
			}
			if r.Status != tt.status {
				t.Errorf("status = %s, want %s", r.Status, tt.status)
			}
		})
	}
	if r := result(t, rep, "net-http", "http://10.44.0.2:8080/hang"); r.Findings[0].Evidence["phase"] != "waiting for the response" {
		t.Errorf("phase = %v, want waiting for the response", r.Findings[0].Evidence["phase"])
	}
}
