package netcheck

import (
	"context"
	"net/netip"

	"github.com/l2diag/l2diag/diag/profile"
)

// DefaultGateways returns the gateways of the default routes, as
// net-gateway reads them (l2diag watch re-reads them to see changes).
func DefaultGateways() ([]netip.Addr, error) {
	routes, _, err := defaultRoutes()
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, r := range routes {
		if r.Gateway.IsValid() && !r.Gateway.IsUnspecified() {
			out = append(out, r.Gateway)
		}
	}
	return out, nil
}

// Hop is one hop of a traced path, for l2diag watch.
type Hop struct {
	TTL     int     `json:"ttl"`
	Address string  `json:"address"` // empty: no answer
	RTTms   float64 `json:"rtt_ms,omitempty"`
	Note    string  `json:"note,omitempty"`
}

// TracePath traces the path to dst as net-trace does (without its
// per-hop loss measurement): the hops and whether dst answered.
func TracePath(ctx context.Context, tp profile.NetTrace, dst netip.Addr) ([]Hop, bool, error) {
	tr, err := trace(ctx, tp, dst)
	if err != nil {
		return nil, false, err
	}
	out := make([]Hop, len(tr.hops))
	for i, h := range tr.hops {
		out[i] = Hop{TTL: h.TTL, Address: h.Address, RTTms: h.RTTms, Note: h.Note}
	}
	return out, tr.reached, nil
}
