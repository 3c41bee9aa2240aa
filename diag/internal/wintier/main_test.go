//go:build linux

package wintier

import (
	"os"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestMain removes the exe builds and the wine prefix template (about
// 700 MB) the tests shared.
func TestMain(m *testing.M) {
	code := m.Run()
	lab.RemoveProcessDirs()
	os.Exit(code)
}
