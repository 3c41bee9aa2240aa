package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/l2diag/l2diag/netproxy"
	"github.com/l2diag/l2diag/ticketclient"
)

// Ticket uploads take the proxy the OS settings choose per URL, as the
// browser does: a PAC script sends the ticket host through the corporate
// proxy, another host goes direct, and the environment still wins when
// it names a proxy.
func TestTicketProxyFollowsOSSettings(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.String()) // a forward proxy gets the absolute URL
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer proxy.Close()
	host := netproxy.Host{Resolve: func(context.Context, string) ([]string, error) { return nil, nil }, MyIP: func() string { return "10.1.2.3" }}
	pac, err := netproxy.ParsePAC(`function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, ".corp.test")) return "PROXY `+proxy.Listener.Addr().String()+`";
  return "DIRECT";
}`, host)
	if err != nil {
		t.Fatal(err)
	}
	os := netproxy.OSSettings{User: &netproxy.Settings{Source: "wininet", PACURL: "http://wpad.corp.test/proxy.pac", PAC: pac}, Applies: "wininet"}
	t.Setenv("HTTPS_PROXY", "")
	t.Setenv("HTTP_PROXY", "")
	c := &netproxy.Chooser{Env: netproxy.FromEnvironment(), OS: os}
	pf := proxyFrom(c)
	if pf == nil {
		t.Fatal("no proxy function although the OS settings have a PAC script")
	}
	hc, err := ticketclient.NewHTTPClient(ticketclient.TransportOptions{Timeout: 5 * time.Second, Proxy: pf})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Get("http://jira.corp.test/rest/api/2/myself")
	if err != nil {
		t.Fatalf("request through the PAC's proxy: %v", err)
	}
	resp.Body.Close()
	mu.Lock()
	got := append([]string(nil), seen...)
	mu.Unlock()
	if len(got) != 1 || got[0] != "http://jira.corp.test/rest/api/2/myself" {
		t.Errorf("the proxy saw %v, want the ticket request", got)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://other.example.test/", nil)
	if u, _ := pf(req); u != nil {
		t.Errorf("a host the PAC sends DIRECT goes via %v", u)
	}
	// The environment's proxy variables win (NewHTTPClient's default).
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
	if proxyFrom(&netproxy.Chooser{Env: netproxy.FromEnvironment(), OS: os}) != nil {
		t.Error("the OS settings override the environment's proxy")
	}
	// Nothing configured: direct (nil leaves the environment's default).
	t.Setenv("HTTPS_PROXY", "")
	if proxyFrom(&netproxy.Chooser{Env: netproxy.FromEnvironment()}) != nil {
		t.Error("a proxy function without any proxy settings")
	}
}
