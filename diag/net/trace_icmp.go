package netcheck

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"github.com/l2diag/l2diag/diag/profile"
)

const (
	protoICMP   = 1
	protoICMPv6 = 58
)

// trace traces the path to dst with ICMP echo over a raw socket, or, where
// that is refused, with the platform's unprivileged method.
func trace(ctx context.Context, tp profile.NetTrace, dst netip.Addr) (traceResult, error) {
	if err := icmpTraceGap(); err != nil {
		return traceResult{}, err
	}
	network, proto := "ip4:icmp", protoICMP
	if dst.Is6() {
		network, proto = "ip6:ipv6-icmp", protoICMPv6
	}
	c, err := icmp.ListenPacket(network, "")
	if err != nil {
		if isPermission(err) {
			return traceUnprivileged(ctx, tp, dst)
		}
		return traceResult{}, err
	}
	p := &icmpProber{c: c, dst: dst, proto: proto, id: rand.IntN(0xffff), answers: make(chan probeAnswer, 4*tp.MaxHops*(tp.Probes+1))}
	go p.read()
	hops, reachedAt, err := runProbes(ctx, tp, p, p.answers)
	if err != nil {
		return traceResult{}, err
	}
	return traceResult{hops: hops, reached: reachedAt > 0, method: "icmp-echo"}, nil
}

// icmpProber sends ICMP echo requests with rising TTL on one raw socket and
// matches answers by the echo (ID, sequence) they quote.
type icmpProber struct {
	c       *icmp.PacketConn
	dst     netip.Addr
	proto   int
	id      int
	answers chan probeAnswer
}

func (p *icmpProber) send(ttl, probe int) error {
	var typ icmp.Type = ipv4.ICMPTypeEcho
	var err error
	if p.dst.Is6() {
		typ = ipv6.ICMPTypeEchoRequest
		err = p.c.IPv6PacketConn().SetHopLimit(ttl)
	} else {
		err = p.c.IPv4PacketConn().SetTTL(ttl)
	}
	if err != nil {
		return fmt.Errorf("set ttl %d: %w", ttl, err)
	}
	b, err := (&icmp.Message{Type: typ, Body: &icmp.Echo{ID: p.id, Seq: probeKey(ttl, probe), Data: []byte("l2diag-trace")}}).Marshal(nil)
	if err != nil {
		return err
	}
	if _, err := p.c.WriteTo(b, &net.IPAddr{IP: p.dst.AsSlice(), Zone: p.dst.Zone()}); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}

func (p *icmpProber) close() { _ = p.c.Close() }

// read parses every ICMP message until the socket is closed.
func (p *icmpProber) read() {
	buf := make([]byte, 1500)
	var reply icmp.Type = ipv4.ICMPTypeEchoReply
	if p.dst.Is6() {
		reply = ipv6.ICMPTypeEchoReply
	}
	for {
		n, peer, err := p.c.ReadFrom(buf)
		if err != nil {
			return // closed
		}
		at := time.Now()
		from, err := netip.ParseAddr(peer.String())
		if err != nil {
			continue
		}
		from = from.WithZone("").Unmap()
		m, err := icmp.ParseMessage(p.proto, buf[:n])
		if err != nil {
			continue
		}
		a := probeAnswer{from: from.String(), at: at}
		seq := -1
		switch body := m.Body.(type) {
		case *icmp.Echo:
			if m.Type == reply && body.ID == p.id && from == p.dst.WithZone("").Unmap() {
				seq, a.reached = body.Seq, true
			}
		case *icmp.TimeExceeded:
			seq = quotedSeq(body.Data, p.dst, p.id, p.proto)
		case *icmp.DstUnreach:
			seq = quotedSeq(body.Data, p.dst, p.id, p.proto)
			a.note = unreachNote(m.Type, m.Code)
		}
		if seq < 0 {
			continue
		}
		a.ttl, a.probe = seq>>4, seq&0xf
		select {
		case p.answers <- a:
		default: // nobody reads any more
		}
	}
}

// quotedSeq returns the sequence number of our echo request quoted in an
// ICMP error, or -1 when the quoted packet is not ours.
func quotedSeq(data []byte, dst netip.Addr, id, proto int) int {
	var inner []byte
	if proto == protoICMP {
		h, err := ipv4.ParseHeader(data)
		if err != nil || h.Protocol != protoICMP || !h.Dst.Equal(dst.AsSlice()) || len(data) < h.Len {
			return -1
		}
		inner = data[h.Len:]
	} else {
		h, err := ipv6.ParseHeader(data)
		if err != nil || h.NextHeader != protoICMPv6 || !h.Dst.Equal(dst.AsSlice()) || len(data) < ipv6.HeaderLen {
			return -1
		}
		inner = data[ipv6.HeaderLen:]
	}
	m, err := icmp.ParseMessage(proto, inner)
	if err != nil {
		return -1
	}
	e, ok := m.Body.(*icmp.Echo)
	if !ok || e.ID != id {
		return -1
	}
	return e.Seq
}

func unreachNote(t icmp.Type, code int) string {
	if t == ipv4.ICMPTypeDestinationUnreachable {
		return unreachNote4(code)
	}
	return unreachNote6(code)
}

func unreachNote4(code int) string {
	switch code {
	case 0:
		return "network unreachable"
	case 1:
		return "host unreachable"
	case 9, 10, 13:
		return "administratively prohibited"
	}
	return fmt.Sprintf("destination unreachable (code %d)", code)
}

func unreachNote6(code int) string {
	switch code {
	case 0:
		return "no route to destination"
	case 1:
		return "administratively prohibited"
	case 3:
		return "address unreachable"
	}
	return fmt.Sprintf("destination unreachable (code %d)", code)
}
