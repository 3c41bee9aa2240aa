package target

import (
	"strings"
	"testing"
)

func TestParseHostPort(t *testing.T) {
	tests := []struct {
		in      string
		want    HostPort
		wantErr string
	}{
		{"db.example.com:5432", HostPort{"db.example.com", 5432}, ""},
		{"[2001:db8::1]:443", HostPort{"2001:db8::1", 443}, ""},
		{"192.0.2.1:1", HostPort{"192.0.2.1", 1}, ""},
		{"db.example.com", HostPort{}, "HOST:PORT"},
		{"db.example.com:0", HostPort{}, "1 to 65535"},
		{"db.example.com:70000", HostPort{}, "1 to 65535"},
		{"db.example.com:https", HostPort{}, "1 to 65535"},
		{"bad host:80", HostPort{}, "not a valid host"},
		{"2001:db8::1:443", HostPort{}, "HOST:PORT"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseHostPort(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.in) {
					t.Fatalf("err = %v, want one naming %q and %q", err, tt.in, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
			if back, _ := ParseHostPort(got.String()); back != got {
				t.Errorf("String() %q does not parse back", got.String())
			}
		})
	}
}

func TestName(t *testing.T) {
	long := strings.Repeat("a", 63)
	tests := []struct {
		in string
		ok bool
	}{
		{"www.example.com", true},
		{"www.example.com.", true},
		{"_ldap._tcp.corp.example", true},
		{"xn--bcher-kva.example", true},
		{long + ".example", true},
		{long + "a.example", false},
		{strings.Repeat("a.", 127) + "com", false},
		{"", false},
		{"a..b", false},
		{"-a.example", false},
		{"a-.example", false},
		{"bad host.example", false},
		{"bücher.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if err := Name(tt.in); (err == nil) != tt.ok {
				t.Errorf("Name(%q) = %v, want ok=%v", tt.in, err, tt.ok)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{"https://intranet.example.com/", ""},
		{"http://192.0.2.1:8080/health", ""},
		{"https://[2001:db8::1]/", ""},
		{"intranet.example.com/x", "absolute URL"},
		{"ftp://files.example.com/", `"ftp"`},
		{"https://bad_host name/", "absolute URL"},
		{"https://example.com:99999/", "1 to 65535"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseURL(tt.in)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("ParseURL(%q) = %v, want error containing %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestParseDNSServer(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"192.0.2.53", "192.0.2.53:53"},
		{"192.0.2.53:5353", "192.0.2.53:5353"},
		{"2001:db8::53", "[2001:db8::53]:53"},
		{"[2001:db8::53]:5353", "[2001:db8::53]:5353"},
		{"10.0.0.300", ""},
		{"dns.example.com", ""},
		{"192.0.2.53:0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDNSServer(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("accepted %q as %s", tt.in, got)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("got %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		in      string
		want    string // MODES=PATH
		wantErr string
	}{
		{"/srv/share", "r=/srv/share", ""},
		{"rw=/srv/share", "rw=/srv/share", ""},
		{"rwx=/opt/tool", "rwx=/opt/tool", ""},
		{"/data/a=b", "r=/data/a=b", ""},
		{`C:\Users\x=y`, `r=C:\Users\x=y`, ""},
		{"rq=/tmp", "", "'q' is not one of r, w, x"},
		{"=/tmp", "", "empty access modes"},
		{"rw=", "", "no path"},
		{"", "", "empty path"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePath(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("got %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}
