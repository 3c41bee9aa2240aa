// Package icmp sets up pro-bing the way every l2diag ICMP probe needs it
// (net-ping, net-mtu and watch): pro-bing's defaults never end (no count,
// no timeout), so every limit is set here, in one place.
package icmp

import (
	"net"
	"net/netip"
	"sync"
	"time"

	probing "github.com/prometheus-community/pro-bing"
)

// Pinger is a pro-bing Pinger with every limit set and the first send
// error kept.
type Pinger struct {
	*probing.Pinger
	mu      sync.Mutex
	sendErr error
}

// New returns a Pinger to addr that sends at most count echoes interval
// apart and gives up after timeout.
func New(addr netip.Addr, privileged bool, count int, interval, timeout time.Duration) *Pinger {
	p := &Pinger{Pinger: probing.New("")}
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

// FirstSendError returns the first error a send ran into, if any: a
// socket error the run itself does not return.
func (p *Pinger) FirstSendError() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sendErr
}
