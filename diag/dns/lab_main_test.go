package dnscheck_test

import (
	"os"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestMain removes what the lab built once for this test process (the
// l2diag binary, about 15 MB a run) instead of leaving it in the temp
// directory.
func TestMain(m *testing.M) {
	code := m.Run()
	lab.RemoveProcessDirs()
	os.Exit(code)
}
