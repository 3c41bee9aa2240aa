package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fullWriter is stdout on a full disk: every write fails with ENOSPC.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestStdoutFailureKeepsTheBundle: a report that cannot be written to
// stdout is an I/O error (74), not a usage error (64), and the bundle is
// written all the same, for every output format.
func TestStdoutFailureKeepsTheBundle(t *testing.T) {
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			t.Chdir(t.TempDir())
			var errOut bytes.Buffer
			ios := &IOStreams{In: strings.NewReader(""), Out: fullWriter{}, ErrOut: &errOut}
			code := Main([]string{"run", "--only", "perm", "--skip", "perm-sudo", "--bundle", "b.zip", "--output", format}, ios)
			if code != ExitIOErr {
				t.Errorf("exit %d, want %d\n%s", code, ExitIOErr, errOut.String())
			}
			if _, err := os.Stat("b.zip"); err != nil {
				t.Errorf("the bundle was lost: %v\n%s", err, errOut.String())
			}
			if !strings.Contains(errOut.String(), "stdout") || !strings.Contains(errOut.String(), "no space left") {
				t.Errorf("stderr does not say stdout failed and why:\n%s", errOut.String())
			}
		})
	}
}

// TestRunToDevFull is the same through the real binary and the kernel's
// /dev/full.
func TestRunToDevFull(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full here: %v", err)
	}
	defer full.Close()
	dir := t.TempDir()
	cmd := exec.Command(l2diagBinary(t), "run", "--only", "perm", "--skip", "perm-sudo", "--bundle", filepath.Join(dir, "b.zip"))
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	var errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = full, &errOut
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitIOErr {
		t.Errorf("run > /dev/full: %v, want exit %d\n%s", err, ExitIOErr, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "b.zip")); err != nil {
		t.Errorf("the bundle was lost: %v", err)
	}
}

func TestExitCodeOfUnexpectedErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"plain error is a fault of the tool", errors.New("boom"), ExitSoftware},
		{"usage error", usageErrorf("bad"), ExitUsage},
		{"disk full", fmt.Errorf("kb new: write x: %w", &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}), ExitIOErr},
		{"typed I/O error", &IOError{Err: errors.New("stdout")}, ExitIOErr},
		{"bundle", &BundleError{Err: errors.New("x")}, ExitCantCreate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := exitCode(tc.err); got != tc.want {
				t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
			}
		})
	}
	// Output lost outranks a result code, never a decided failure.
	for _, tc := range []struct {
		err  error
		want int
	}{{nil, ExitIOErr}, {&ExitError{Code: ExitFail}, ExitIOErr}, {usageErrorf("x"), ExitUsage}, {&ExitError{Code: ExitNoPerm}, ExitNoPerm}} {
		if got := finalCode(tc.err, syscall.EPIPE); got != tc.want {
			t.Errorf("finalCode(%v, EPIPE) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

// TestEveryCommandReportsLostStdout: a command that prints and succeeds
// still ends with 74 when its stdout refused the output, and says so.
func TestEveryCommandReportsLostStdout(t *testing.T) {
	for _, args := range [][]string{{"checks"}, {"version"}, {"explain", "check.timeout"}, {"profile", "show", "default"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var errOut bytes.Buffer
			code := Main(args, &IOStreams{In: strings.NewReader(""), Out: fullWriter{}, ErrOut: &errOut})
			if code != ExitIOErr || !strings.Contains(errOut.String(), "stdout") {
				t.Errorf("exit %d, want %d, with stderr naming stdout:\n%s", code, ExitIOErr, errOut.String())
			}
		})
	}
}
