package netcheck

import (
	"net"
	"net/netip"
	"sync"
	"time"

	probing "github.com/prometheus-community/pro-bing"
)

// pinger is a pro-bing Pinger set up the way every l2diag check needs it,
// with the first send error kept.
type pinger struct {
	*probing.Pinger
	mu      sync.Mutex
	sendErr error
}

// newPinger returns a pinger to addr that sends at most count echoes
// interval apart and gives up after timeout. pro-bing's defaults never
// end (no count, no timeout), so every limit is set here, in one place,
// for ping and the MTU probe alike.
func newPinger(addr netip.Addr, privileged bool, count int, interval, timeout time.Duration) *pinger {
	p := &pinger{Pinger: probing.New("")}
	p.SetIPAddr(&net.IPAddr{IP: addr.AsSlice(), Zone: addr.Zone()})
	p.SetPrivileged(privileged)
	p.SetLogger(probing.NoopLogger{})
	p.Count = count
	p.Interval = interval
	p.Timeout = timeout
	p.ResolveTimeout = timeout
	p.RecordRtts, p.RecordTTLs = false, false
	p.OnSendError = func(_ *probing.Packet, err error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.sendErr == nil {
			p.sendErr = err
		}
	}
	return p
}

// firstSendError returns the first error a send ran into, if any.
func (p *pinger) firstSendError() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sendErr
}
