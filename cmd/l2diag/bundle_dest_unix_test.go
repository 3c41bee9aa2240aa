//go:build unix

package main

import (
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"golang.org/x/sys/unix"
)

// TestBundleReplacesOnlyRegularFiles: `run --bundle` naming a device
// node, a named pipe, a socket or a symbolic link is a usage error that
// touches nothing (before, as root, `--bundle /dev/null` renamed a zip
// over the device). The device is a private one made with mknod, never
// the real /dev/null.
func TestBundleReplacesOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	target := writeFile(t, dir, "target.txt")
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		kind string
	}{
		{"character device", func(t *testing.T, path string) {
			if os.Geteuid() != 0 {
				t.Skip("mknod needs root")
			}
			if err := unix.Mknod(path, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
				t.Skipf("mknod: %v", err)
			}
		}, "is a character device"},
		{"named pipe", func(t *testing.T, path string) {
			if err := unix.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
		}, "is a FIFO (named pipe)"},
		{"socket", func(t *testing.T, path string) {
			l, err := net.Listen("unix", path)
			if err != nil {
				t.Skipf("unix socket: %v", err)
			}
			l.(*net.UnixListener).SetUnlinkOnClose(false)
			t.Cleanup(func() { l.Close() })
		}, "is a socket"},
		{"symbolic link to a file", func(t *testing.T, path string) {
			if err := os.Symlink(target, path); err != nil {
				t.Fatal(err)
			}
		}, "is a symbolic link"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sub := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			if err := os.Mkdir(sub, 0o700); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(sub, "out.zip")
			tc.make(t, path)
			before, err := os.Lstat(path)
			if err != nil {
				t.Fatal(err)
			}
			got := runCLI(t, "run", "--only", "perm", "--bundle", path)
			if got.code != ExitUsage || !strings.Contains(got.stderr, path) || !strings.Contains(got.stderr, tc.kind) {
				t.Errorf("exit %d, stderr %q; want %d naming %s as %s", got.code, got.stderr, ExitUsage, path, tc.kind)
			}
			after, err := os.Lstat(path)
			if err != nil || after.Mode() != before.Mode() || !os.SameFile(before, after) {
				t.Errorf("%s was touched: before %v, after %v (%v)", path, before.Mode(), after, err)
			}
			if entries, _ := os.ReadDir(sub); len(entries) != 1 {
				t.Errorf("files left beside it: %v", entries)
			}
		})
	}
	if b, _ := os.ReadFile(target); string(b) != "x" {
		t.Errorf("the symlink's target changed: %q", b)
	}
}

// TestWriteBundleRefusesToReplaceAPipe: the writer checks again right
// before its rename (a pipe may appear after the CLI's check, during the
// run), and leaves no temporary file.
func TestWriteBundleRefusesToReplaceAPipe(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "late.zip")
	if err := unix.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	in := &bundle.Input{Report: &report.Report{SchemaVersion: report.SchemaVersion}}
	if _, err := bundle.Write(path, in, bundle.Options{}); err == nil || !strings.Contains(err.Error(), "FIFO") {
		t.Errorf("WriteBundle over a pipe: %v, want a refusal naming the pipe", err)
	}
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v %v", st, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left beside it: %v", entries)
	}
}
