package netcheck

import (
	"net/netip"
	"testing"

	"github.com/l2diag/l2diag/diag/net/loss"
)

func TestLossOrigin(t *testing.T) {
	dst := netip.MustParseAddr("10.0.3.2")
	path := func(addrs ...string) []hop {
		hs := make([]hop, len(addrs))
		for i, a := range addrs {
			hs[i] = hop{TTL: i + 1, Address: a}
		}
		return hs
	}
	lossy := hopLoss{verdict: loss.Lossy}
	clean := hopLoss{verdict: loss.NoLoss}
	limited := hopLoss{verdict: loss.NoLoss, limited: true}
	tests := []struct {
		name string
		hops []hop
		hl   map[string]hopLoss
		want int
	}{
		{"destination does not lose: nothing to place", path("10.0.1.1", "10.0.2.1", "10.0.3.2"),
			map[string]hopLoss{"10.0.1.1": lossy, "10.0.2.1": clean, "10.0.3.2": clean}, -1},
		{"loss from hop 2 on", path("10.0.1.1", "10.0.2.1", "10.0.3.2"),
			map[string]hopLoss{"10.0.1.1": clean, "10.0.2.1": lossy, "10.0.3.2": lossy}, 1},
		{"loss from the first hop on", path("10.0.1.1", "10.0.2.1", "10.0.3.2"),
			map[string]hopLoss{"10.0.1.1": lossy, "10.0.2.1": lossy, "10.0.3.2": lossy}, 0},
		{"loss at hop 1 that does not persist is not blamed", path("10.0.1.1", "10.0.2.1", "10.0.3.2"),
			map[string]hopLoss{"10.0.1.1": lossy, "10.0.2.1": clean, "10.0.3.2": lossy}, 2},
		{"a rate-limiting hop ends the run", path("10.0.1.1", "10.0.2.1", "10.0.3.2"),
			map[string]hopLoss{"10.0.1.1": lossy, "10.0.2.1": limited, "10.0.3.2": lossy}, 2},
		{"hops silent to echo are skipped", path("10.0.1.1", "", "10.0.2.9", "10.0.3.2"),
			map[string]hopLoss{"10.0.1.1": clean, "10.0.3.2": lossy, "10.0.2.9": lossy}, 2},
		{"trace did not reach the destination", path("10.0.1.1", "10.0.2.1", ""),
			map[string]hopLoss{"10.0.1.1": clean, "10.0.2.1": clean, "10.0.3.2": lossy}, 3},
		{"a rate-limited destination is no loss", path("10.0.1.1", "10.0.3.2"),
			map[string]hopLoss{"10.0.1.1": clean, "10.0.3.2": {verdict: loss.Lossy, limited: true}}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lossOrigin(tt.hops, tt.hl, dst); got != tt.want {
				t.Errorf("lossOrigin = %d, want %d", got, tt.want)
			}
		})
	}
}
