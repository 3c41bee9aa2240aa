package netcheck

import (
	"sync"

	"golang.org/x/net/icmp"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
)

// withSockets marks the probes as network checks and says how many sockets
// each holds at most, so the runner runs them wide, within the
// file-descriptor budget, instead of in the CPU-bound pool. Discovery and
// local checks (interfaces, gateway, proxy) stay where they are.
func withSockets(specs []diag.Spec) []diag.Spec {
	fixed := func(n int) func(*profile.Profile) int { return func(*profile.Profile) int { return n } }
	for i := range specs {
		switch specs[i].ID {
		case "net-tcp":
			specs[i].Sockets = fixed(2) // one connect per address, IPv4 and IPv6 at once
		case "net-ping", "net-mtu":
			specs[i].Sockets = fixed(2) // the ICMP socket, or the timed TCP connects
		case "net-http":
			specs[i].Sockets = fixed(4) // the connection, a proxy's, a redirect's, the resolver
		case "net-trace":
			specs[i].Sockets = traceSockets
		}
	}
	return specs
}

// traceSockets: a raw-socket trace needs one socket; the unprivileged one
// (UDP with IP_RECVERR, as tracepath) needs one per probe, all at once.
func traceSockets(p *profile.Profile) int {
	if rawICMP() {
		return 1
	}
	return p.Net.Trace.MaxHops * (p.Net.Trace.Probes + 1)
}

// rawICMP reports whether this process may open a raw ICMP socket, asked
// once per process.
var rawICMP = sync.OnceValue(func() bool {
	c, err := icmp.ListenPacket("ip4:icmp", "")
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
})
