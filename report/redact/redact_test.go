package redact

import (
	"regexp"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report/internal/sample"
)

func testIdentity() Identity {
	return Identity{
		Hostnames: []string{"ws042.corp.example.com"},
		Domains:   []string{"corp.example.com"},
		Usernames: []string{"alice", "root"},
		Addrs:     []string{"10.20.30.40", "fd00:1234::40"},
		MACs:      []string{"52:54:00:12:34:56"},
		SSIDs:     []string{"CorpWLAN", "Hotel Guest", "guest"},
	}
}

func TestRedactLine(t *testing.T) {
	r := NewRedactor(testIdentity(), sample.Report())
	s := NewScrubber(nil, r)
	tests := []struct {
		name, in string
		want     *regexp.Regexp
	}{
		{"fqdn", "host ws042.corp.example.com up", regexp.MustCompile(`^host host\d+\.domain\d+\.example up$`)},
		{"short host", "ws042 login", regexp.MustCompile(`^host\d+ login$`)},
		{"other name in domain", "https://intranet.corp.example.com/x", regexp.MustCompile(`^https://host\d+\.domain\d+\.example/x$`)},
		{"home path", "/home/alice/.ssh/config and C:\\Users\\bob\\x", regexp.MustCompile(`^/home/user\d+/\.ssh/config and C:\\Users\\user\d+\\x$`)},
		{"username word", "owner alice group root", regexp.MustCompile(`^owner user\d+ group root$`)},
		{"email", "mail alice@corp.example.com", regexp.MustCompile(`^mail mail\d+@domain\d+\.example$`)},
		{"mac", "link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff", regexp.MustCompile(`^link/ether 02:00:00:00:00:\d\d brd ff:ff:ff:ff:ff:ff$`)},
		{"ipv4 private keeps 10/8", "inet 10.20.30.40/24", regexp.MustCompile(`^inet 10\.\d+\.\d+\.\d+/24$`)},
		{"loopback and mask stay", "127.0.0.1 255.255.255.0 0.0.0.0", regexp.MustCompile(`^127\.0\.0\.1 255\.255\.255\.0 0\.0\.0\.0$`)},
		{"ipv6", "inet6 fd00:1234::40/64", regexp.MustCompile(`^inet6 f[cd][0-9a-f]{2}:[0-9a-f:]+/64$`)},
		{"serial", "Serial Number: PF2ABC12", regexp.MustCompile(`^Serial Number: SERIAL-\d+$`)},
		{"time is no ip", "at 10:15:30 version 1.2.3", regexp.MustCompile(`^at 10:15:30 version 1\.2\.3$`)},
		{"unrelated words", "workstation aliceblue", regexp.MustCompile(`^workstation aliceblue$`)},
		{"wi-fi network", `{"ssid":"CorpWLAN","detail":"wlan0 roamed on \"corpwlan\" from 52:54:00:12:34:56"}`,
			regexp.MustCompile(`^\{"ssid":"wlan-network\d+","detail":"wlan0 roamed on \\"wlan-network\d+\\" from 02:00:00:00:00:\d\d"\}$`)},
		{"wi-fi network with a space", "connected to Hotel Guest (5 GHz)", regexp.MustCompile(`^connected to wlan-network\d+ \(5 GHz\)$`)},
		{"a network named like a system word stays", "guest network", regexp.MustCompile(`^guest network$`)},
		{"domain with a leading dot", "no_proxy=localhost,.corp.example.com", regexp.MustCompile(`^no_proxy=localhost,\.domain\d+\.example$`)},
		{"wildcard domain", "bypass *.CORP.example.com", regexp.MustCompile(`^bypass \*\.domain\d+\.example$`)},
		{"krb5 domain_realm", ".corp.example.com = CORP.EXAMPLE.COM", regexp.MustCompile(`^\.domain\d+\.example = domain\d+\.example$`)},
		{"account in a URL", "http://proxyacct:***@proxy.corp.example.com:3128 and ldap://carol@10.20.30.1/",
			regexp.MustCompile(`^http://user\d+:\*\*\*@host\d+\.domain\d+\.example:3128 and ldap://user\d+@10\.\d+\.\d+\.\d+/$`)},
		{"samba account", "smb://dave%***@fs.corp.example.com/x", regexp.MustCompile(`^smb://user\d+%\*\*\*@host\d+\.domain\d+\.example/x$`)},
		{"the user in a URL is the user elsewhere", "https://alice@intranet.corp.example.com/", regexp.MustCompile(`^https://user1@host\d+\.domain\d+\.example/$`)},
		{"after JSON escapes", `{"out":"a\nws042\tx\u003cws042.corp.example.com\u003e\n10.20.30.40\n52:54:00:12:34:56\u003cfd00:1234::40\u003e"}`,
			regexp.MustCompile(`^\{"out":"a\\nhost1\\tx\\u003chost1\.domain1\.example\\u003e\\n10\.\d+\.\d+\.\d+\\n02:00:00:00:00:01\\u003cf[cd][0-9a-f]{2}:[0-9a-f:]+\\u003e"\}$`)},
		{"e-mail after a JSON escape", `"Alice \u003calice@corp.example.com\u003e"`, regexp.MustCompile(`^"user\d+ \\u003cmail\d+@domain\d+\.example\\u003e"$`)},
		{"an escaped backslash is no escape", `C:\\nws042`, regexp.MustCompile(`^C:\\\\nws042$`)},
		{"a masked or system account in a URL stays", "http://***:***@x.test/ ftp://root@x.test/", regexp.MustCompile(`^http://\*\*\*:\*\*\*@x\.test/ ftp://root@x\.test/$`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.String(tc.in); !tc.want.MatchString(got) {
				t.Errorf("redact(%q) = %q, want match %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestRedactConsistentAndSubnetPreserving(t *testing.T) {
	r := NewRedactor(testIdentity(), nil)
	s := NewScrubber(nil, r)
	a1, a2 := s.String("10.20.30.40"), s.String("10.20.30.40")
	if a1 != a2 {
		t.Errorf("same address, different pseudonyms: %s %s", a1, a2)
	}
	same24 := s.String("10.20.30.99")
	other16 := s.String("10.20.99.1")
	if prefix(a1, 3) != prefix(same24, 3) {
		t.Errorf("10.20.30.40 → %s and 10.20.30.99 → %s: the /24 is not kept", a1, same24)
	}
	if prefix(a1, 2) != prefix(other16, 2) || prefix(a1, 3) == prefix(other16, 3) {
		t.Errorf("10.20.30.40 → %s and 10.20.99.1 → %s: the /16 is not kept or the /24s merged", a1, other16)
	}
	if a1 == "10.20.30.40" {
		t.Errorf("address not redacted")
	}
	h1, h2 := s.String("ws042"), s.String("WS042.corp.example.com")
	if !strings.HasPrefix(h2, h1+".") {
		t.Errorf("short %q and FQDN %q do not share the host pseudonym", h1, h2)
	}
}

func prefix(ip string, octets int) string {
	return strings.Join(strings.Split(ip, ".")[:octets], ".")
}

func TestRedactGuardBlocksSurvivor(t *testing.T) {
	r := NewRedactor(testIdentity(), nil)
	g := r.Guard()
	for _, tc := range []struct {
		line  string
		class string
	}{
		{"x 10.20.30.40 y", ClassIPAddress},
		{"owner alice", ClassUsername},
		{"at WS042.", ClassHostname},
		{"mac 52-54-00-12-34-56", ClassMACAddress},
		{"no_proxy=.corp.example.com", ClassHostname},
		{`"a\nws042"`, ClassHostname},
		{`\u003c10.20.30.40\u003e`, ClassIPAddress},
		{"a.ws042 x.corp.example.community", ""},
		{`"ssid": "corpwlan"`, ClassSSID},
		{"10.20.30.401 aliceblue host1.domain1.example", ""},
	} {
		class, found := g.Find([]byte(tc.line))
		if class != tc.class || found != (tc.class != "") {
			t.Errorf("guard(%q) = %q %v, want %q", tc.line, class, found, tc.class)
		}
	}
}

// TestRedactAfterSameLengthReplacement: a replacement as long as what it
// replaces (alice → user1) leaves the later rules a line whose lower-case
// copy must follow it. Before, the short-name rule found "alice" in the
// stale copy where "user1" now stood and wrote "-1" (a pseudonym of no
// class) into the path and the map.
func TestRedactAfterSameLengthReplacement(t *testing.T) {
	r := NewRedactor(testIdentity(), nil)
	s := NewScrubber(nil, r)
	got := s.String(`C:\Users\alice\x and /home/alice/y`)
	if !regexp.MustCompile(`^C:\\Users\\user\d+\\x and /home/user\d+/y$`).MatchString(got) {
		t.Errorf("got %q", got)
	}
	if m, ok := r.maps[""]; ok {
		t.Errorf("a pseudonym of no class: %v", m)
	}
}
