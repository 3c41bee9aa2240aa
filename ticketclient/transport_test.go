package ticketclient_test

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
	"github.com/l2diag/l2diag/ticketclient/jira"
	"github.com/l2diag/l2diag/ticketclient/servicenow"
)

func caFile(t *testing.T, s *httptest.Server) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestClientCertificate: instances behind a gateway that admits only
// client certificates (mutual TLS) work for both systems, and fail
// without the certificate.
func TestClientCertificate(t *testing.T) {
	pool, cert, key := fake.ClientCert(t)
	type sys struct {
		name string
		open func(t *testing.T, withCert bool) (ticketclient.Client, error)
	}
	opts := func(t *testing.T, s *httptest.Server, withCert bool) *ticketclient.Options {
		to := ticketclient.TransportOptions{CAFile: caFile(t, s), Timeout: 5 * time.Second}
		if withCert {
			to.ClientCert, to.ClientKey = cert, key
		}
		hc, err := ticketclient.NewHTTPClient(to)
		if err != nil {
			t.Fatal(err)
		}
		return &ticketclient.Options{Config: &ticketclient.Config{}, HTTP: hc, Backoff: ticketclient.Backoff{Attempts: 1}}
	}
	for _, s := range []sys{
		{"jira", func(t *testing.T, withCert bool) (ticketclient.Client, error) {
			f := fake.NewJira(t, false, fake.WithClientCA(pool))
			o := opts(t, f.Server, withCert)
			o.Config.SetSection(jira.Name, &jira.Config{URL: f.Server.URL, Token: f.Token, Deployment: "datacenter"})
			return jira.New(o)
		}},
		{"servicenow", func(t *testing.T, withCert bool) (ticketclient.Client, error) {
			f := fake.NewServiceNow(t, fake.WithClientCA(pool))
			o := opts(t, f.Server, withCert)
			o.Config.SetSection(servicenow.Name, &servicenow.Config{URL: f.Server.URL, User: f.User, Password: f.Password})
			return servicenow.New(o)
		}},
	} {
		for _, withCert := range []bool{true, false} {
			t.Run(s.name+map[bool]string{true: " with certificate", false: " without"}[withCert], func(t *testing.T) {
				c, err := s.open(t, withCert)
				if err != nil {
					t.Fatal(err)
				}
				_, err = c.Lookup(context.Background(), map[string]string{"jira": "SUP-123", "servicenow": "INC0010001"}[s.name])
				if withCert && err != nil {
					t.Fatalf("Lookup with the certificate: %v", err)
				}
				if !withCert && err == nil {
					t.Fatal("Lookup without the certificate succeeded; the fake does not demand one")
				}
			})
		}
	}
}

// TestProxyAuthentication: a proxy that answers CONNECT with 407 is named
// in a clear authentication error, not a vague connection failure.
func TestProxyAuthentication(t *testing.T) {
	f := fake.NewJira(t, false)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Proxy-Authenticate", "Negotiate")
		w.Header().Add("Proxy-Authenticate", "NTLM")
		w.WriteHeader(http.StatusProxyAuthRequired)
	}))
	t.Cleanup(proxy.Close)
	pu, _ := url.Parse(proxy.URL)
	hc, err := ticketclient.NewHTTPClient(ticketclient.TransportOptions{CAFile: caFile(t, f.Server), Timeout: 5 * time.Second, Proxy: http.ProxyURL(pu)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ticketclient.Config{}
	cfg.SetSection(jira.Name, &jira.Config{URL: f.Server.URL, Token: f.Token, Deployment: "datacenter"})
	c, err := jira.New(&ticketclient.Options{HTTP: hc, Backoff: ticketclient.Backoff{Attempts: 1}, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Lookup(context.Background(), "SUP-123")
	var te *ticketclient.Error
	if !errors.As(err, &te) {
		t.Fatalf("err = %v", err)
	}
	if te.Kind != ticketclient.KindAuth || !strings.Contains(te.Error(), pu.Host) || !strings.Contains(te.Error(), "407") || !strings.Contains(te.Hint, "NTLM") {
		t.Errorf("got %v: %q, hint %q; want an authentication error naming the proxy %s", te.Kind, te.Error(), te.Hint, pu.Host)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests reached Jira through a refusing proxy", n)
	}
}
