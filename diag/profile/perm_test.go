package profile

import (
	"testing"
	"time"
)

func TestPermDefaults(t *testing.T) {
	p := Default()
	got := p.Perm
	if got.Sudo.Timeout.D() != 5*time.Second || got.Temp.MinFreeMB != 512 || got.Temp.MinFreePercent != 5 || got.SSHDir != "~/.ssh" {
		t.Errorf("perm defaults = %+v", got)
	}
	if len(got.Paths) != 0 || len(got.CredentialFiles) == 0 {
		t.Errorf("paths = %v (want none), credential_files = %v (want some)", got.Paths, got.CredentialFiles)
	}
}

func TestPermOverrides(t *testing.T) {
	f := writeProfile(t, "name: x\nperm:\n  paths: [rw=/srv/share, /etc/hosts, x=~/bin/tool]\n  credential_files: [~/.netrc]\n  temp:\n    min_free_mb: 0\n")
	p, err := Load(f)
	if err != nil {
		t.Fatal(err)
	}
	tp := p.Perm.TargetPaths()
	want := []string{"rw=/srv/share", "r=/etc/hosts", "x=~/bin/tool"}
	if len(tp) != len(want) {
		t.Fatalf("paths = %v, want %v", tp, want)
	}
	for i := range want {
		if tp[i].String() != want[i] {
			t.Errorf("path %d = %s, want %s", i, tp[i], want[i])
		}
	}
	if p.Perm.Temp.MinFreeMB != 0 || p.Perm.Temp.MinFreePercent != 5 || p.Perm.Sudo.Timeout.D() != 5*time.Second {
		t.Errorf("override or defaults wrong: %+v", p.Perm)
	}
	if len(p.Perm.CredentialFiles) != 1 {
		t.Errorf("credential_files = %v, want the one named (a list replaces the default)", p.Perm.CredentialFiles)
	}
}

func TestPermProfileErrors(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantLine int
		wantKey  string
		wantMsg  string
	}{
		{"bad modes", "name: x\nperm:\n  paths:\n    - /ok\n    - rq=/srv\n", 5, "perm.paths[1]", "'q' is not one of r, w, x"},
		{"empty path after modes", "name: x\nperm:\n  paths: ['rw=']\n", 3, "perm.paths[0]", "no path"},
		{"empty credential file", "name: x\nperm:\n  credential_files: ['']\n", 3, "perm.credential_files[0]", "empty path"},
		{"sudo timeout zero", "name: x\nperm:\n  sudo:\n    timeout: 0s\n", 4, "perm.sudo.timeout", "positive"},
		{"sudo timeout no unit", "name: x\nperm:\n  sudo:\n    timeout: 5\n", 4, "", "not a duration"},
		{"negative min free", "name: x\nperm:\n  temp:\n    min_free_mb: -1\n", 4, "perm.temp.min_free_mb", "negative"},
		{"percent above 100", "name: x\nperm:\n  temp:\n    min_free_percent: 150\n", 4, "perm.temp.min_free_percent", "0 to 100"},
		{"negative percent", "name: x\nperm:\n  temp:\n    min_free_percent: -2\n", 4, "perm.temp.min_free_percent", "0 to 100"},
		{"unknown key", "name: x\nperm:\n  pathz: []\n", 3, "pathz", "unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProfileError(t, writeProfile(t, tt.content), tt.wantLine, tt.wantKey, tt.wantMsg)
		})
	}
}
