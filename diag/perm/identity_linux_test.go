package permcheck

import (
	"encoding/hex"
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

func TestFileCapsNetRaw(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		want bool
	}{
		// Debian's /usr/bin/ping: revision 2, effective, permitted CAP_NET_RAW.
		{"cap_net_raw=ep", "0100000200200000000000000000000000000000", true},
		{"cap_net_raw=p", "0000000200200000000000000000000000000000", true},
		{"revision 3 with rootid", "000000030020000000000000000000000000000000000000", true},
		{"revision 1", "000000010020000000000000", true},
		{"cap_net_admin only", "0100000200100000000000000000000000000000", false},
		{"inheritable only", "0000000200000000002000000000000000000000", false},
		{"unknown revision", "0100000400200000000000000000000000000000", false},
		{"too short", "01000002", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := hex.DecodeString(tt.hex)
			if err != nil {
				t.Fatal(err)
			}
			if got := fileCapsNetRaw(b); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPingProgramHere: the ping installed here is found and, when it has
// a file capability or is setuid (as Debian ships it), said to work.
func TestPingProgramHere(t *testing.T) {
	path, priv, ok := pingProgram()
	if !ok {
		t.Skip("no ping installed")
	}
	t.Logf("%s: %s", path, priv)
	if priv == "" {
		t.Errorf("no privilege reported for %s", path)
	}
}
