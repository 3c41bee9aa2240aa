package netproxy

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"
)

// labHost resolves a fixed table and says this machine is 10.1.2.3.
var labHost = Host{
	Resolve: func(_ context.Context, host string) ([]string, error) {
		m := map[string]string{"intranet.corp.example": "10.20.0.5", "www.example.com": "93.184.215.14"}
		if ip, ok := m[host]; ok {
			return []string{ip}, nil
		}
		return nil, fmt.Errorf("no such host %s", host)
	},
	MyIP: func() string { return "10.1.2.3" },
	// Wednesday 2026-03-18 14:30:00 UTC.
	Now: func() time.Time { return time.Date(2026, 3, 18, 14, 30, 0, 0, time.UTC) },
}

// eval returns the value of expr with the PAC helpers defined, through a
// FindProxyForURL that returns it as a string.
func eval(t *testing.T, expr string) string {
	t.Helper()
	p, err := ParsePAC("function FindProxyForURL(url, host) { return String("+expr+"); }", labHost)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.FindProxy(context.Background(), &url.URL{Scheme: "http", Host: "x"})
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return got
}

// TestPACHelpers checks each helper against what browsers answer.
func TestPACHelpers(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`dnsDomainIs("www.corp.example", ".corp.example")`, "true"},
		{`dnsDomainIs("www.example.com", ".corp.example")`, "false"},
		// A plain suffix test, as in browsers: no dot boundary.
		{`dnsDomainIs("evilcorp.example", "corp.example")`, "true"},
		{`dnsDomainLevels("www")`, "0"},
		{`dnsDomainLevels("www.corp.example")`, "2"},
		{`isPlainHostName("fileserver")`, "true"},
		{`isPlainHostName("fileserver.corp")`, "false"},
		{`localHostOrDomainIs("www", "www.corp.example")`, "true"},
		{`localHostOrDomainIs("www.corp.example", "www.corp.example")`, "true"},
		{`localHostOrDomainIs("www.other.example", "www.corp.example")`, "false"},
		{`shExpMatch("http://intranet.corp.example/a", "*.corp.example/*")`, "true"},
		{`shExpMatch("intranet.corp.example", "*.corp.example")`, "true"},
		{`shExpMatch("corpXexample", "corp.example")`, "false"},
		{`shExpMatch("ab", "a?")`, "true"},
		{`isInNet("10.20.0.5", "10.0.0.0", "255.0.0.0")`, "true"},
		{`isInNet("intranet.corp.example", "10.20.0.0", "255.255.0.0")`, "true"},
		{`isInNet("www.example.com", "10.0.0.0", "255.0.0.0")`, "false"},
		{`isInNet("nonexistent.example", "10.0.0.0", "255.0.0.0")`, "false"},
		{`isInNet("10.20.0.5", "10.0.0", "255.0.0.0")`, "false"},
		{`dnsResolve("intranet.corp.example")`, "10.20.0.5"},
		{`dnsResolve("nonexistent.example")`, "null"},
		{`isResolvable("www.example.com")`, "true"},
		{`isResolvable("nonexistent.example")`, "false"},
		{`myIpAddress()`, "10.1.2.3"},
		{`weekdayRange("MON", "FRI", "GMT")`, "true"},
		{`weekdayRange("SAT", "SUN", "GMT")`, "false"},
		{`weekdayRange("FRI", "WED", "GMT")`, "true"}, // wraps around
		{`weekdayRange("WED", "GMT")`, "true"},
		{`weekdayRange("XYZ")`, "false"},
		{`dateRange("MAR", "GMT")`, "true"},
		{`dateRange("JAN", "FEB", "GMT")`, "false"},
		{`dateRange(2026, "GMT")`, "true"},
		{`dateRange(18, "GMT")`, "true"},
		{`dateRange("DEC", "APR", "GMT")`, "true"}, // wraps around the year end
		{`timeRange(14, "GMT")`, "true"},
		{`timeRange(9, 17, "GMT")`, "true"},
		{`timeRange(18, 8, "GMT")`, "false"},
		{`timeRange(14, 0, 14, 45, "GMT")`, "true"},
		{`timeRange(15, 0, 16, 0, "GMT")`, "false"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			if got := eval(t, tt.expr); got != tt.want {
				t.Errorf("%s = %s, want %s", tt.expr, got, tt.want)
			}
		})
	}
}

// corpPAC is a typical corporate script.
const corpPAC = `
function FindProxyForURL(url, host) {
  if (isPlainHostName(host) || dnsDomainIs(host, ".corp.example")) return "DIRECT";
  if (isInNet(host, "10.0.0.0", "255.0.0.0")) return "DIRECT";
  if (shExpMatch(url, "https://*")) return "PROXY secure.corp.example:8443; DIRECT";
  return "PROXY proxy.corp.example:3128; DIRECT";
}`

func TestPACFindProxy(t *testing.T) {
	p, err := ParsePAC(corpPAC, labHost)
	if err != nil {
		t.Fatal(err)
	}
	s := &Settings{Source: "wininet", PAC: p}
	tests := []struct{ url, want, reason string }{
		{"http://fileserver/share", "DIRECT", "PAC: DIRECT"},
		{"https://intranet.corp.example/", "DIRECT", "PAC: DIRECT"},
		{"http://10.9.8.7/", "DIRECT", "PAC: DIRECT"},
		{"https://www.example.com/path?q=1", "http://secure.corp.example:8443", "PAC: PROXY secure.corp.example:8443; DIRECT"},
		{"http://www.example.com/", "http://proxy.corp.example:3128", "PAC: PROXY proxy.corp.example:3128; DIRECT"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, _ := url.Parse(tt.url)
			c, err := s.ForURL(context.Background(), u)
			if err != nil || c.ProxyText != tt.want || c.Reason != tt.reason {
				t.Errorf("ForURL = %q (%s), %v; want %q (%s)", c.ProxyText, c.Reason, err, tt.want, tt.reason)
			}
		})
	}
}

// TestPACDeadline: a script that never returns is cut at the deadline.
func TestPACDeadline(t *testing.T) {
	p, err := ParsePAC(`function FindProxyForURL(u, h) { while (true) {} }`, labHost)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = p.FindProxy(ctx, &url.URL{Scheme: "http", Host: "x"})
	if !errors.Is(err, ErrPACTimeout) {
		t.Errorf("err = %v, want ErrPACTimeout", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("the endless script ran %s past a 200 ms deadline", el)
	}
}

func TestPACErrors(t *testing.T) {
	if _, err := ParsePAC("function FindProxyForURL(u, h) { return ", labHost); err == nil {
		t.Error("a syntax error compiled")
	}
	for name, src := range map[string]string{
		"no function": "var x = 1;",
		"throws":      `function FindProxyForURL(u, h) { throw "boom"; }`,
		"undefined":   `function FindProxyForURL(u, h) { }`,
	} {
		p, err := ParsePAC(src, labHost)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got, err := p.FindProxy(context.Background(), &url.URL{Scheme: "http", Host: "x"}); err == nil {
			t.Errorf("%s: no error, answer %q", name, got)
		}
	}
}

func TestParseResult(t *testing.T) {
	tests := []struct {
		in      string
		want    []Entry
		wantErr bool
	}{
		{"DIRECT", []Entry{{Kind: "DIRECT"}}, false},
		{"PROXY a:8080; SOCKS5 b:1080;DIRECT", []Entry{{"PROXY", "a:8080"}, {"SOCKS5", "b:1080"}, {Kind: "DIRECT"}}, false},
		{"proxy a:1", []Entry{{"PROXY", "a:1"}}, false},
		{"", nil, true},
		{"PROXY", nil, true},
		{"FOO bar; DIRECT", []Entry{{Kind: "DIRECT"}}, true},
	}
	for _, tt := range tests {
		got, err := ParseResult(tt.in)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) || (err != nil) != tt.wantErr {
			t.Errorf("ParseResult(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
