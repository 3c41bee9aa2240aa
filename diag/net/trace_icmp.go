package netcheck

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
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

// probeKey packs TTL and probe number into an echo sequence number.
func probeKey(ttl, probe int) int { return ttl<<4 | probe }

// trace sends every TTL's probes at once over a raw ICMP socket and
// collects the answers until the timeout, or earlier once the destination
// answered and every hop before it did: 30 hops cost one timeout, not 30.
func trace(ctx context.Context, tp profile.NetTrace, dst netip.Addr) (traceResult, error) {
	network, proto := "ip4:icmp", protoICMP
	var echoType, replyType icmp.Type = ipv4.ICMPTypeEcho, ipv4.ICMPTypeEchoReply
	if dst.Is6() {
		network, proto = "ip6:ipv6-icmp", protoICMPv6
		echoType, replyType = ipv6.ICMPTypeEchoRequest, ipv6.ICMPTypeEchoReply
	}
	c, err := icmp.ListenPacket(network, "")
	if err != nil {
		if isPermission(err) {
			return traceUnprivileged(ctx, tp, dst)
		}
		return traceResult{}, err
	}
	defer c.Close()
	id := rand.IntN(0xffff)
	sentAt := map[int]time.Time{}
	hops := make([]hop, tp.MaxHops)
	rtts := make([][]time.Duration, tp.MaxHops)
	to := &net.IPAddr{IP: dst.AsSlice(), Zone: dst.Zone()}
	for ttl := 1; ttl <= tp.MaxHops; ttl++ {
		hops[ttl-1] = hop{TTL: ttl}
		if dst.Is6() {
			err = c.IPv6PacketConn().SetHopLimit(ttl)
		} else {
			err = c.IPv4PacketConn().SetTTL(ttl)
		}
		if err != nil {
			return traceResult{}, fmt.Errorf("set ttl %d: %w", ttl, err)
		}
		for p := 0; p < tp.Probes; p++ {
			msg := icmp.Message{Type: echoType, Body: &icmp.Echo{ID: id, Seq: probeKey(ttl, p), Data: []byte("l2diag-trace")}}
			b, err := msg.Marshal(nil)
			if err != nil {
				return traceResult{}, err
			}
			sentAt[probeKey(ttl, p)] = time.Now()
			if _, err := c.WriteTo(b, to); err != nil {
				return traceResult{}, fmt.Errorf("send: %w", err)
			}
			hops[ttl-1].Sent++
		}
	}
	deadline := time.Now().Add(budget(ctx, tp.Timeout.D()))
	_ = c.SetReadDeadline(deadline)
	reachedAt := 0
	buf := make([]byte, 1500)
	for {
		if reachedAt > 0 && allAnswered(hops[:reachedAt-1]) {
			break
		}
		n, peer, err := c.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) || ctx.Err() != nil {
				break
			}
			return traceResult{}, fmt.Errorf("receive: %w", err)
		}
		from, _ := netip.ParseAddr(peer.String())
		m, err := icmp.ParseMessage(proto, buf[:n])
		if err != nil {
			continue
		}
		var seq int
		note := ""
		switch body := m.Body.(type) {
		case *icmp.Echo:
			if m.Type != replyType || body.ID != id || from.Unmap() != dst.WithZone("").Unmap() {
				continue
			}
			seq = body.Seq
		case *icmp.TimeExceeded:
			if seq = quotedSeq(body.Data, dst, id, proto); seq < 0 {
				continue
			}
		case *icmp.DstUnreach:
			if seq = quotedSeq(body.Data, dst, id, proto); seq < 0 {
				continue
			}
			note = unreachNote(m.Type, m.Code)
		default:
			continue
		}
		ttl, probe := seq>>4, seq&0xf
		if ttl < 1 || ttl > tp.MaxHops || probe >= tp.Probes {
			continue
		}
		rtt := time.Since(sentAt[seq])
		h := &hops[ttl-1]
		h.Address = from.WithZone("").String()
		if note != "" {
			h.Note = note
		}
		h.Received++
		rtts[ttl-1] = append(rtts[ttl-1], rtt)
		if m.Type == replyType && (reachedAt == 0 || ttl < reachedAt) {
			reachedAt = ttl
		}
	}
	for i := range hops {
		hops[i].LossPct = float64(hops[i].Sent-hops[i].Received) / float64(hops[i].Sent) * 100
		if len(rtts[i]) > 0 {
			_, avg, _, _ := rttStats(rtts[i])
			hops[i].RTTms = ms(avg)
		}
	}
	return traceResult{hops: trimHops(hops, reachedAt), reached: reachedAt > 0, method: "icmp-echo"}, nil
}

// trimHops cuts the hops after the destination, or all but one of the
// trailing silent hops (they only say "nothing beyond").
func trimHops(hops []hop, reachedAt int) []hop {
	if reachedAt > 0 {
		return hops[:reachedAt]
	}
	last := 0
	for i, h := range hops {
		if h.Address != "" {
			last = i + 1
		}
	}
	return hops[:min(last+1, len(hops))]
}

func allAnswered(hs []hop) bool {
	for _, h := range hs {
		if h.Received < h.Sent {
			return false
		}
	}
	return true
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
