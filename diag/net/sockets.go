package netcheck

import (
	"sync"

	"golang.org/x/net/icmp"

	"github.com/l2diag/l2diag/diag/profile"
)

// fixedSockets is a network check's Sockets when it holds at most n: the
// runner then runs it wide, within the file-descriptor budget, instead of
// in the CPU-bound pool. Discovery and local checks (interfaces, gateway,
// proxy) set no Sockets and stay in that pool.
func fixedSockets(n int) func(*profile.Profile) int {
	return func(*profile.Profile) int { return n }
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
