package netproxy

import (
	"context"
	"encoding/binary"
	"net/url"
	"testing"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestWinINETChoice: the proxy per URL as WinINET chooses it.
func TestWinINETChoice(t *testing.T) {
	perScheme, bad := ParseProxyServer("http=web.corp.example:3128;https=secure.corp.example:8443;ftp=ftp.corp.example:21")
	if len(bad) != 0 {
		t.Fatalf("ParseProxyServer: bad %v", bad)
	}
	all, _ := ParseProxyServer("proxy.corp.example:8080")
	httpOnly, _ := ParseProxyServer("http=web.corp.example:3128")
	bypass := SplitBypass("*.corp.example;10.*;<local>;https://pay.example.net;build.example.org:8443")
	tests := []struct {
		name    string
		proxies map[string]*url.URL
		bypass  []string
		url     string
		want    string
		reason  string
	}{
		{"http uses http=", perScheme, nil, "http://www.example.com/", "http://web.corp.example:3128", "ProxyServer (http=)"},
		{"https uses https=, not http=", perScheme, nil, "https://www.example.com/", "http://secure.corp.example:8443", "ProxyServer (https=)"},
		{"bare server: every scheme", all, nil, "https://www.example.com/", "http://proxy.corp.example:8080", "ProxyServer (all schemes)"},
		{"no https= entry: direct", httpOnly, nil, "https://www.example.com/", "DIRECT", "ProxyServer names no proxy for https"},
		{"wildcard domain", all, bypass, "https://intranet.corp.example/", "DIRECT", "bypass list: *.corp.example"},
		{"the domain itself does not match *.domain", all, bypass, "https://corp.example/", "http://proxy.corp.example:8080", "ProxyServer (all schemes)"},
		{"address prefix", all, bypass, "http://10.20.0.5/", "DIRECT", "bypass list: 10.*"},
		{"<local>: a plain host name", all, bypass, "http://fileserver/", "DIRECT", "bypass list: <local>"},
		{"<local> is not a dotted name", all, bypass, "http://fileserver.other.example/", "http://proxy.corp.example:8080", "ProxyServer (all schemes)"},
		{"scheme-specific entry, its scheme", all, bypass, "https://pay.example.net/", "DIRECT", "bypass list: https://pay.example.net"},
		{"scheme-specific entry, another scheme", all, bypass, "http://pay.example.net/", "http://proxy.corp.example:8080", "ProxyServer (all schemes)"},
		{"entry with port, same port", all, bypass, "https://build.example.org:8443/", "DIRECT", "bypass list: build.example.org:8443"},
		{"entry with port, other port", all, bypass, "https://build.example.org/", "http://proxy.corp.example:8080", "ProxyServer (all schemes)"},
		{"loopback is always direct", all, nil, "http://127.0.0.1:8080/", "DIRECT", "bypass list: loopback"},
		{"case does not matter", all, bypass, "https://WWW.CORP.EXAMPLE/", "DIRECT", "bypass list: *.corp.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Settings{Source: "wininet", Proxies: tt.proxies, Bypass: tt.bypass}
			c, err := s.ForURL(context.Background(), mustURL(t, tt.url))
			if err != nil || c.ProxyText != tt.want || c.Reason != tt.reason {
				t.Errorf("ForURL(%s) = %q (%s), %v; want %q (%s)", tt.url, c.ProxyText, c.Reason, err, tt.want, tt.reason)
			}
		})
	}
	// <-loopback> takes loopback out of the implicit bypass.
	s := &Settings{Source: "wininet", Proxies: all, Bypass: []string{"<-loopback>"}}
	if c, _ := s.ForURL(context.Background(), mustURL(t, "http://localhost/")); c.Proxy == nil {
		t.Errorf("<-loopback>: localhost still direct (%s)", c.Reason)
	}
}

// TestPACFailureFallsBack: when the script fails, WinINET uses the fixed
// proxy; the script's error is returned beside the choice.
func TestPACFailureFallsBack(t *testing.T) {
	p, err := ParsePAC(`function FindProxyForURL(u, h) { throw "broken"; }`, labHost)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := ParseProxyServer("proxy.corp.example:8080")
	s := &Settings{Source: "wininet", Proxies: all, PAC: p}
	c, err := s.ForURL(context.Background(), mustURL(t, "https://www.example.com/"))
	if err == nil || c.ProxyText != "http://proxy.corp.example:8080" {
		t.Errorf("ForURL = %q, %v; want the fixed proxy and the script's error", c.ProxyText, err)
	}
}

func winhttpBlob(flags uint32, proxy, bypass string) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 0x28)
	b = binary.LittleEndian.AppendUint32(b, 7)
	b = binary.LittleEndian.AppendUint32(b, flags)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(proxy)))
	b = append(b, proxy...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(bypass)))
	return append(b, bypass...)
}

func TestParseWinHTTPSettings(t *testing.T) {
	s, err := ParseWinHTTPSettings(winhttpBlob(3, "machine.corp.example:8080", "<local>;*.corp.example"))
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Proxies["all"]; p == nil || p.Host != "machine.corp.example:8080" || len(s.Bypass) != 2 {
		t.Errorf("parsed %+v, want proxy machine.corp.example:8080 and two bypass entries", s)
	}
	c, _ := s.ForURL(context.Background(), mustURL(t, "https://app.corp.example/"))
	if c.Proxy != nil {
		t.Errorf("WinHTTP bypass not honoured: %s", c.Reason)
	}
	if s, err := ParseWinHTTPSettings(winhttpBlob(1, "", "")); err != nil || s.Configured() {
		t.Errorf("direct blob: %+v, %v; want no proxy", s, err)
	}
	for name, b := range map[string][]byte{
		"short":         {1, 2, 3},
		"length beyond": winhttpBlob(3, "p:1", "")[:18],
	} {
		if _, err := ParseWinHTTPSettings(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
