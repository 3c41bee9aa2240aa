package profile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultProfileLoads(t *testing.T) {
	p := Default()
	if p.Name != DefaultName || p.Timeout.D() != 30*time.Second || p.Concurrency < 1 {
		t.Errorf("default profile = %+v", p)
	}
	if p.Source != "built-in:default" {
		t.Errorf("source = %q", p.Source)
	}
}

func writeProfile(t *testing.T, content string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(f, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// checkLoad loads "name: lab\n"+yml from lab.yaml and wants an error
// containing wantErr ("" = no error).
func checkLoad(t *testing.T, yml, wantErr string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lab.yaml")
	if err := os.WriteFile(path, []byte("name: lab\n"+yml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	switch {
	case wantErr == "" && err != nil:
		t.Errorf("err = %v, want none", err)
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Errorf("err = %v, want one containing %q", err, wantErr)
	}
}

// checkProfileError loads file and wants a *profile.Error on line
// (0: any), naming key ("": any), whose text contains msg.
func checkProfileError(t *testing.T, file string, line int, key, msg string) *Error {
	t.Helper()
	_, err := Load(file)
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v (%T), want *profile.Error", err, err)
	}
	if pe.Source != file {
		t.Errorf("source = %q, want the file %q", pe.Source, file)
	}
	if line != 0 && pe.Line != line {
		t.Errorf("line = %d, want %d (%v)", pe.Line, line, err)
	}
	if key != "" && pe.Key != key {
		t.Errorf("key = %q, want %q (%v)", pe.Key, key, err)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("message %q lacks %q", err, msg)
	}
	return pe
}

func TestUserProfileOverridesOnlyWhatItNames(t *testing.T) {
	f := writeProfile(t, "name: lab\ntimeout: 45s\n")
	p, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "lab" || p.Timeout.D() != 45*time.Second {
		t.Errorf("overrides not applied: %+v", p)
	}
	def := Default()
	if p.CheckTimeout != def.CheckTimeout || p.Concurrency != def.Concurrency {
		t.Errorf("defaults lost: check_timeout %s concurrency %d", p.CheckTimeout, p.Concurrency)
	}
	if p.Source != f {
		t.Errorf("source = %q, want %q", p.Source, f)
	}
}

func TestProfileErrors(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantLine int
		wantKey  string
		wantMsg  string
	}{
		{"unknown top-level key", "name: x\ntimeuot: 3s\n", 2, "timeuot", "unknown key"},
		{"empty Wi-Fi name", "name: x\norg:\n  wifi_ssids: [CorpWLAN, '']\n", 3, "org.wifi_ssids[1]", "1 to 32 bytes"},
		{"intranet host not a name", "name: x\norg:\n  intranet_hosts: [intranet.corp.example, 'bad host']\n", 3, "org.intranet_hosts[1]", "neither an IP address nor a host name"},
		{"Wi-Fi name over 32 bytes", "name: x\norg:\n  wifi_ssids: ['abcdefghijklmnopqrstuvwxyz0123456789']\n", 3, "org.wifi_ssids[0]", "not a Wi-Fi network name"},
		{"unknown nested key", "name: x\nnet:\n  pingz: {}\n", 3, "pingz", "unknown key"},
		{"bad duration", "name: x\n\ntimeout: fast\n", 3, "timeout", `"fast" is not a duration`},
		{"negative duration", "name: x\ncheck_timeout: -1s\n", 2, "check_timeout", "positive"},
		{"concurrency range", "name: x\nconcurrency: 1000\n", 2, "concurrency", "1 to 256"},
		{"wrong type", "name: x\nconcurrency: many\n", 2, "", "many"},
		{"not yaml", "name: [x\n", 0, "", ""},
		{"empty name", "name: ''\n", 1, "name", "empty"},
		{"empty file", "", 0, "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProfileError(t, writeProfile(t, tt.content), tt.wantLine, tt.wantKey, tt.wantMsg)
		})
	}
}

func TestResolve(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	t.Setenv("HOME", cfg)
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "branch.yaml"), []byte("name: branch\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load("branch")
	if err != nil || p.Name != "branch" {
		t.Fatalf("named profile from the config dir: %v %+v", err, p)
	}
	if _, err := Load("missing"); err == nil || !strings.Contains(err.Error(), "no such profile") {
		t.Errorf("missing profile: %v", err)
	}
	if _, err := Load("bad name!"); err == nil {
		t.Error("a name with a space and ! was accepted")
	}
	p, err = Load("")
	if err != nil || p.Name != DefaultName {
		t.Errorf("empty name = %v %+v, want the default", err, p)
	}
}
