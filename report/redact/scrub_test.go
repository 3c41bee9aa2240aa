package redact

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report/internal/sample"
)

func TestScrubLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"url password", "proxy=http://bob:" + sample.FakeURLPass + "@proxy.corp:3128/", "proxy=http://bob:***@proxy.corp:3128/"},
		{"url without password", "see https://bob@example.com/x", "see https://bob@example.com/x"},
		{"env token", "JIRA_API_TOKEN=" + sample.FakeJiraToken, "JIRA_API_TOKEN=***"},
		{"yaml password", "  password: " + sample.FakeDBPass, "  password: ***"},
		{"json secret", `{"client_secret": "` + sample.FakeDBPass + `"}`, `{"client_secret": "***"}`},
		{"escaped json", `"msg": "DB_PASSWORD=\"` + sample.FakeDBPass + `\""`, `"msg": "DB_PASSWORD=\"***\""`},
		{"camel api key", `apiKey=fakeApiKeyValue77`, `apiKey=***`},
		{"keyboard is no key", "keyboard=de-latin1", "keyboard=de-latin1"},
		{"key bits is no key", `"key_bits": 2048`, `"key_bits": 2048`},
		{"authorization header", "Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic ***"},
		{"bearer", "curl -H 'X: Bearer " + sample.FakeBearer + "'", "curl -H 'X: Bearer ***'"},
		{"jwt alone", "cookie " + sample.FakeJWT + " end", "cookie *** end"},
		{"jira token alone", "sent " + sample.FakeJiraToken, "sent ***"},
		{"github token", "x " + sample.FakeGitHub, "x ***"},
		{"already masked", "password=***", "password=***"},
		{"wpa_supplicant psk", `	psk="` + sample.FakeDBPass + `"`, `	psk="***"`},
		{"netplan psk", `  psk: ` + sample.FakeDBPass, `  psk: ***`},
		{"networkmanager wpa-psk", `wpa-psk=` + sample.FakeDBPass, `wpa-psk=***`},
		{"smb url user%password", "smb://alice%" + sample.FakeURLPass + "@fs01/share", "smb://alice%***@fs01/share"},
		{"smbclient user%password", "mount alice%" + sample.FakeURLPass + "@fs01", "mount alice%***@fs01"},
		{"url escape is no password", "https://alice%40corp.example@host/", "https://alice%40corp.example@host/"},
		{"pwd is the working directory", "PWD=/srv/projects/alpha", "PWD=/srv/projects/alpha"},
		{"oldpwd is the working directory", `"OLDPWD": "/home/alice"`, `"OLDPWD": "/home/alice"`},
		{"db pwd is a password", "DB_PWD=" + sample.FakeDBPass, "DB_PWD=***"},
		{"plain text", "nameserver 10.0.0.53", "nameserver 10.0.0.53"},
		{"private key one line", "key: -----BEGIN RSA PRIVATE KEY-----" + sample.FakeKeyBody + "-----END RSA PRIVATE KEY----- done", "key: " + privateKeyRemoved + " done"},
	}
	s := NewScrubber(nil, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.String(tc.in); got != tc.want {
				t.Errorf("scrub(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestScrubPrivateKeyBlockAndLiterals(t *testing.T) {
	in := "before\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + sample.FakeKeyBody + "\n" + sample.FakeKeyBody + "\n-----END OPENSSH PRIVATE KEY-----\nafter " + sample.FakeEnvSecret + "\n"
	got := NewScrubber([]string{sample.FakeEnvSecret, "short"}, nil).String(in)
	want := "before\n" + privateKeyRemoved + "\nafter ***\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"JIRA_API_TOKEN": true, "AWS_SECRET_ACCESS_KEY": true, "DB_PASSWORD": true, "apiKey": true,
		"SECRET_KEY_BASE": true, "passwd": true, "KEYBOARD": false, "key_bits": false, "HOME": false,
		"monkey": false, "PATH": false, "ssh_host_key": true,
		"PWD": false, "OLDPWD": false, "pwd": false, "DB_PWD": true, "psk": true, "wpa-psk": true,
	} {
		if got := SecretName(name); got != want {
			t.Errorf("SecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestEachLineCutsLikeTheScanner: String and the bundle writer cut lines
// in memory; the re-scan reads the zip with a scanner. Both must see the
// same lines, or a secret split differently could pass one of them.
func TestEachLineCutsLikeTheScanner(t *testing.T) {
	long := strings.Repeat("word ", MaxLineLength/5+100)
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"one line no newline", "nameserver 10.0.0.53"},
		{"lines", "a\nb\n\nc"},
		{"over-long with spaces", long + "\nend\n"},
		{"over-long without separator", strings.Repeat("x", 2*MaxLineLength+7)},
		{"exactly at the limit", strings.Repeat("y", MaxLineLength-1) + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			eachLine([]byte(tc.in), func(l []byte) { got = append(got, string(l)) })
			var want []string
			if err := ScanLines(strings.NewReader(tc.in), func(l []byte, _ int) bool {
				want = append(want, string(l))
				return true
			}); err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
				t.Errorf("got %d lines, want %d (first differing cut differs)", len(got), len(want))
			}
		})
	}
}

// TestScrubStringReusesBuffers: the bundle scrubs every string of the
// report and facts; a clean string must cost nothing (it cost a 64 KiB
// scanner buffer each before).
func TestScrubStringReusesBuffers(t *testing.T) {
	s := NewScrubber([]string{sample.FakeEnvSecret}, nil)
	clean := "host0001.corp.example.com resolves to 10.20.0.1 at every server."
	s.String(clean) // grow the buffers once
	if n := testing.AllocsPerRun(100, func() { s.String(clean) }); n != 0 {
		t.Errorf("String of a clean line allocates %v times, want 0", n)
	}
	if got := s.String("token=" + sample.FakeEnvSecret); got != "token=***" {
		t.Errorf("dirty string: got %q", got)
	}
}

func TestURLPasswords(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"proxy", "http://acct:s3cret-pw@proxy:3128", []string{"s3cret-pw"}},
		{"escaped", "http://acct:p%40ss%21word@proxy:3128/", []string{"p@ss!word", "p%40ss%21word"}},
		{"list", "localhost,http://a:one-pw@x, https://b:two-pw@y", []string{"one-pw", "two-pw"}},
		{"no password", "http://acct@proxy:3128 http://proxy:3128 plain", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := URLPasswords(tc.in); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("URLPasswords(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
