//go:build !windows

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
)

func TestIsSystemDir(t *testing.T) {
	for dir, want := range map[string]bool{
		"/": true, "/usr/bin": true, "/etc": true, "/proc/self": true, "/sys": true,
		"/home/ana": false, "/tmp": false, "/srv/share": false, "/usrlocal": false, "/root": false,
	} {
		if got := isSystemDir(dir, os.Getenv); got != want {
			t.Errorf("isSystemDir(%s) = %v, want %v", dir, got, want)
		}
	}
}

// TestBundleNeverLost: a run started in a system folder (a service's /)
// writes its bundle to the data directory and says why; when the data
// directory will not take a file either, to the temp directory.
func TestBundleNeverLost(t *testing.T) {
	rep := &report.Report{Host: report.Host{Hostname: "ws1"}}
	when := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	t.Run("system folder", func(t *testing.T) {
		data := t.TempDir()
		t.Setenv("XDG_DATA_HOME", data)
		t.Chdir("/")
		dst, note, err := (&bundleOptions{getenv: os.Getenv}).destinationNote(rep, when)
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(data, "l2diag", "l2diag-ws1-20250102T030405Z.zip"); dst != want {
			t.Errorf("destination = %s, want %s", dst, want)
		}
		if !strings.Contains(note, "system folder") || !strings.Contains(note, filepath.Join(data, "l2diag")) {
			t.Errorf("note %q does not say why and where", note)
		}
	})
	t.Run("no data directory either", func(t *testing.T) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		t.Setenv("XDG_DATA_HOME", "/proc/l2diag-nowhere")
		t.Setenv("HOME", "/proc/l2diag-nowhere")
		t.Chdir("/proc")
		dst, _, err := (&bundleOptions{getenv: os.Getenv}).destinationNote(rep, when)
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(tmp, "l2diag", "l2diag-ws1-20250102T030405Z.zip"); dst != want {
			t.Errorf("destination = %s, want %s", dst, want)
		}
		if st, err := os.Stat(filepath.Dir(dst)); err != nil || !st.IsDir() {
			t.Errorf("the fallback directory was not made: %v", err)
		}
	})
}
