//go:build !windows

package sockerrtest

import (
	"os"
	"syscall"
	"testing"
)

// ExhaustDescriptors lowers this process's descriptor limit to 64 and fills
// it, so no socket can be created until the test ends (then the limit and
// the descriptors are given back). The limit is the whole process's: call
// it only from a test that is not parallel. It skips the test where the
// limit cannot be changed.
func ExhaustDescriptors(t testing.TB) {
	t.Helper()
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: 64, Max: old.Max}); err != nil {
		t.Skipf("setrlimit: %v", err)
	}
	var files []*os.File
	t.Cleanup(func() {
		for _, f := range files {
			f.Close()
		}
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
	})
	for range 64 {
		f, err := os.Open(os.DevNull)
		if err != nil {
			break
		}
		files = append(files, f)
	}
}
