//go:build linux

package wintier

import (
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestMain removes what the lab built once for this test process (the
// l2diag binary, the Windows exe, the wine prefix template).
func TestMain(m *testing.M) { lab.Main(m) }
