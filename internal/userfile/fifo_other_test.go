//go:build !unix

package userfile

import "testing"

// MakeFIFO is not available outside Unix.
func MakeFIFO(t *testing.T, dir string) string {
	t.Skip("named pipes on a path are Unix only")
	return ""
}
