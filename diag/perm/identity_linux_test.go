package permcheck

import (
	"fmt"
	"testing"
)

// TestCapEffMatchesProc: capget and /proc/self/status agree.
func TestCapEffMatchesProc(t *testing.T) {
	got, ok := capEff()
	if !ok {
		t.Skip("capabilities not readable here")
	}
	v, ok := procStatus()["CapEff"]
	if !ok {
		t.Skip("no CapEff in /proc/self/status")
	}
	var want uint64
	if _, err := fmt.Sscanf(v, "%x", &want); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("capEff = %#x, /proc says %#x", got, want)
	}
}
