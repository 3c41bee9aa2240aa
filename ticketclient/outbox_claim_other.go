//go:build !unix && !windows

package ticketclient

import (
	"fmt"
	"os"
	"runtime"
)

// tryLock fails: without a file lock two flushes could double-post, so
// none runs.
func tryLock(f *os.File) (bool, error) {
	return false, fmt.Errorf("file locks are unsupported on %s/%s", runtime.GOOS, runtime.GOARCH)
}

func unlock(f *os.File) {}
