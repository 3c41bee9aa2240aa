package report

import (
	"archive/zip"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// Fake secrets: realistic shapes, never real credentials.
const (
	fakeJiraToken = "ATATT3xFfGF0T4kePr1vAtEt0kEnF0rT3st1ngOnly0123456789abcdef"
	fakeJWT       = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0ZXN0dXNlciIsIm5hbWUiOiJUZXN0In0.c2lnbmF0dXJlZmFrZXNpZ25hdHVyZQ"
	fakeURLPass   = "hunter2proxyPW"
	fakeEnvSecret = "envSecretValue-9f8e7d"
	fakeDBPass    = "s3cr3t-db-pass"
	fakeKeyBody   = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDfakefakefake"
	fakeGitHub    = "ghp_0123456789abcdefghijABCDEFGHIJ012345"
	fakeBearer    = "opaqueBearerValue12345"
)

var allFakeSecrets = []string{fakeJiraToken, fakeJWT, fakeURLPass, fakeEnvSecret, fakeDBPass, fakeKeyBody, fakeGitHub, fakeBearer, "fakeApiKeyValue77"}

func TestScrubLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"url password", "proxy=http://bob:" + fakeURLPass + "@proxy.corp:3128/", "proxy=http://bob:***@proxy.corp:3128/"},
		{"url without password", "see https://bob@example.com/x", "see https://bob@example.com/x"},
		{"env token", "JIRA_API_TOKEN=" + fakeJiraToken, "JIRA_API_TOKEN=***"},
		{"yaml password", "  password: " + fakeDBPass, "  password: ***"},
		{"json secret", `{"client_secret": "` + fakeDBPass + `"}`, `{"client_secret": "***"}`},
		{"escaped json", `"msg": "DB_PASSWORD=\"` + fakeDBPass + `\""`, `"msg": "DB_PASSWORD=\"***\""`},
		{"camel api key", `apiKey=fakeApiKeyValue77`, `apiKey=***`},
		{"keyboard is no key", "keyboard=de-latin1", "keyboard=de-latin1"},
		{"key bits is no key", `"key_bits": 2048`, `"key_bits": 2048`},
		{"authorization header", "Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic ***"},
		{"bearer", "curl -H 'X: Bearer " + fakeBearer + "'", "curl -H 'X: Bearer ***'"},
		{"jwt alone", "cookie " + fakeJWT + " end", "cookie *** end"},
		{"jira token alone", "sent " + fakeJiraToken, "sent ***"},
		{"github token", "x " + fakeGitHub, "x ***"},
		{"already masked", "password=***", "password=***"},
		{"wpa_supplicant psk", `	psk="` + fakeDBPass + `"`, `	psk="***"`},
		{"netplan psk", `  psk: ` + fakeDBPass, `  psk: ***`},
		{"networkmanager wpa-psk", `wpa-psk=` + fakeDBPass, `wpa-psk=***`},
		{"smb url user%password", "smb://alice%" + fakeURLPass + "@fs01/share", "smb://alice%***@fs01/share"},
		{"smbclient user%password", "mount alice%" + fakeURLPass + "@fs01", "mount alice%***@fs01"},
		{"url escape is no password", "https://alice%40corp.example@host/", "https://alice%40corp.example@host/"},
		{"pwd is the working directory", "PWD=/srv/projects/alpha", "PWD=/srv/projects/alpha"},
		{"oldpwd is the working directory", `"OLDPWD": "/home/alice"`, `"OLDPWD": "/home/alice"`},
		{"db pwd is a password", "DB_PWD=" + fakeDBPass, "DB_PWD=***"},
		{"plain text", "nameserver 10.0.0.53", "nameserver 10.0.0.53"},
		{"private key one line", "key: -----BEGIN RSA PRIVATE KEY-----" + fakeKeyBody + "-----END RSA PRIVATE KEY----- done", "key: " + privateKeyRemoved + " done"},
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
	in := "before\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + fakeKeyBody + "\n" + fakeKeyBody + "\n-----END OPENSSH PRIVATE KEY-----\nafter " + fakeEnvSecret + "\n"
	got := NewScrubber([]string{fakeEnvSecret, "short"}, nil).String(in)
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

// TestNoSecretReachesTheBundle seeds every place a secret can hide (report
// strings, details, evidence, raw files, the log, the command line, facts)
// and asserts none of the values is anywhere in the zip.
func TestNoSecretReachesTheBundle(t *testing.T) {
	in := sampleInput()
	rep := in.Report
	rep.Results[0].Summary = "proxy http://bob:" + fakeURLPass + "@proxy:3128 used"
	rep.Results[1].SetDetail("env", map[string]any{"JIRA_TOKEN": fakeJiraToken, "list": []any{"Authorization: Bearer " + fakeBearer}})
	rep.Results[2].Findings = append(rep.Results[2].Findings, Finding{Code: "x.y", Status: StatusWarn, Message: "jwt " + fakeJWT, Evidence: map[string]any{"password": fakeDBPass}})
	rep.Conclusions[0].NextStep = "token " + fakeGitHub
	in.Artifacts = append(in.Artifacts,
		Artifact{Name: "env.txt", Command: "env", ExitCode: exitCode(0), Data: []byte("HOME=/root\nMY_APP_SECRET=" + fakeEnvSecret + "\napiKey=fakeApiKeyValue77\n")},
		Artifact{Name: "ssh/id_rsa", Source: "/root/.ssh/id_rsa", Data: []byte("-----BEGIN RSA PRIVATE KEY-----\n" + fakeKeyBody + "\n-----END RSA PRIVATE KEY-----\n")},
		Artifact{Name: "app.yaml", Data: []byte("db:\n  password: \"" + fakeDBPass + "\"\n")},
	)
	in.Log = []byte("level=DEBUG msg=request url=https://svc:" + fakeURLPass + "@jira.example.com/ auth=\"Bearer " + fakeBearer + "\"\n")
	in.CommandLine = []string{"l2diag", "run", "--http", "https://u:" + fakeURLPass + "@h/"}
	in.Facts["proxy"] = "http://bob:" + fakeURLPass + "@proxy:3128"
	env := []string{"JIRA_API_TOKEN=" + fakeJiraToken, "MY_APP_SECRET=" + fakeEnvSecret}
	var secrets []string
	for _, kv := range env {
		_, v, _ := strings.Cut(kv, "=")
		secrets = append(secrets, v)
	}
	path, _ := writeSample(t, in, BundleOptions{Secrets: secrets})
	assertAbsent(t, path, allFakeSecrets)
}

// assertAbsent fails when any of values occurs in any file of the zip.
func assertAbsent(t *testing.T, path string, values []string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		for _, v := range values {
			if strings.Contains(strings.ToLower(string(data)), strings.ToLower(v)) {
				t.Errorf("%s contains %q", f.Name, v)
			}
		}
	}
}

// TestRescanBlocks proves the re-scan stops a bundle in which a secret
// survived: a literal that only the re-scan knows.
func TestRescanBlocks(t *testing.T) {
	in := sampleInput()
	in.Artifacts = append(in.Artifacts, Artifact{Name: "odd.txt", Data: []byte("line one\nvalue " + fakeEnvSecret + "\n")})
	dir := t.TempDir()
	dst := filepath.Join(dir, "b.zip")
	// Write with a scrubber that does not know the literal, re-scan with
	// options that do.
	f, err := createTemp(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cw := &countWriter{w: f}
	if _, _, err := writeBundle(cw, in, BundleOptions{}, NewScrubber(nil, nil), false); err != nil {
		t.Fatal(err)
	}
	err = rescanBundle(f, cw.n, BundleOptions{Secrets: []string{fakeEnvSecret}}, nil)
	var leak *LeakError
	if !errors.As(err, &leak) || !errors.Is(err, ErrBundleBlocked) {
		t.Fatalf("rescan = %v, want a LeakError", err)
	}
	if leak.File != "raw/odd.txt" || leak.Line != 2 || leak.Class != ClassKnownSecret {
		t.Errorf("leak = %+v, want raw/odd.txt line 2 %s", leak, ClassKnownSecret)
	}
	if strings.Contains(err.Error(), fakeEnvSecret) {
		t.Errorf("the error shows the secret: %v", err)
	}
	_ = dst
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
	s := NewScrubber([]string{fakeEnvSecret}, nil)
	clean := "host0001.corp.example.com resolves to 10.20.0.1 at every server."
	s.String(clean) // grow the buffers once
	if n := testing.AllocsPerRun(100, func() { s.String(clean) }); n != 0 {
		t.Errorf("String of a clean line allocates %v times, want 0", n)
	}
	if got := s.String("token=" + fakeEnvSecret); got != "token=***" {
		t.Errorf("dirty string: got %q", got)
	}
}
