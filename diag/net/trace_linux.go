//go:build linux

package netcheck

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/l2diag/l2diag/diag/profile"
)

// traceBasePort is where UDP probe ports start, as in traceroute: high
// ports nothing listens on, so the destination answers "port unreachable".
const traceBasePort = 33434

// udpTraceMu runs UDP traces one after another. Routers rate-limit the ICMP
// errors they send to one source (Linux: 6 at once, then one a second), and
// a trace whose destination is near provokes a port-unreachable for every
// probe beyond it, which would starve a concurrent trace through the same
// router of its time-exceeded answers. ICMP echo traces do not have this
// problem: echo replies are not rate-limited.
var udpTraceMu = make(chan struct{}, 1)

// traceUnprivileged traces with plain UDP sockets and IP_RECVERR, as
// tracepath does: the kernel hands the ICMP errors each socket provoked to
// its error queue, so no privilege is needed. One socket per probe, all
// sent at once.
func traceUnprivileged(ctx context.Context, tp profile.NetTrace, dst netip.Addr) (traceResult, error) {
	select {
	case udpTraceMu <- struct{}{}:
		defer func() { <-udpTraceMu }()
	case <-ctx.Done():
		return traceResult{}, fmt.Errorf("waiting for another trace: %w", ctx.Err())
	}
	network, level, optTTL, optErr := "udp4", unix.SOL_IP, unix.IP_TTL, unix.IP_RECVERR
	if dst.Is6() {
		network, level, optTTL, optErr = "udp6", unix.SOL_IPV6, unix.IPV6_UNICAST_HOPS, unix.IPV6_RECVERR
	}
	deadline := time.Now().Add(budget(ctx, tp.Timeout.D()))
	hops := make([]hop, tp.MaxHops)
	rtts := make([][]time.Duration, tp.MaxHops)
	answers := make(chan errAnswer, tp.MaxHops*tp.Probes)
	var conns []*net.UDPConn
	defer func() {
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	var wg sync.WaitGroup
	for ttl := 1; ttl <= tp.MaxHops; ttl++ {
		hops[ttl-1].TTL = ttl
		for p := 0; p < tp.Probes; p++ {
			port := traceBasePort + (ttl-1)*tp.Probes + p
			c, err := net.DialUDP(network, nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(dst, uint16(port))))
			if err != nil {
				return traceResult{}, fmt.Errorf("udp socket: %w", err)
			}
			conns = append(conns, c)
			rc, err := c.SyscallConn()
			if err != nil {
				return traceResult{}, err
			}
			var serr error
			if err := rc.Control(func(fd uintptr) {
				serr = unix.SetsockoptInt(int(fd), level, optTTL, ttl)
				if serr == nil {
					serr = unix.SetsockoptInt(int(fd), level, optErr, 1)
				}
			}); err != nil || serr != nil {
				return traceResult{}, fmt.Errorf("set ttl/recverr: %w", errors.Join(err, serr))
			}
			_ = c.SetReadDeadline(deadline)
			start := time.Now()
			if _, err := c.Write([]byte("l2diag-trace")); err != nil && isNoRoute(err) {
				return traceResult{}, fmt.Errorf("send: %w", err)
			}
			hops[ttl-1].Sent++
			wg.Add(1)
			go func() {
				defer wg.Done()
				if a, ok := readErrQueue(rc, level, optErr); ok {
					a.ttl, a.rtt = ttl, time.Since(start)
					answers <- a
				}
			}()
		}
	}
	go func() { wg.Wait(); close(answers) }()
	reachedAt := 0
	stopped := false
	for a := range answers {
		h := &hops[a.ttl-1]
		h.Address = a.from.WithZone("").String()
		h.Received++
		rtts[a.ttl-1] = append(rtts[a.ttl-1], a.rtt)
		switch {
		case a.from.WithZone("").Unmap() == dst.WithZone("").Unmap():
			if reachedAt == 0 || a.ttl < reachedAt {
				reachedAt = a.ttl
			}
		case a.note != "":
			h.Note = a.note
		}
		if !stopped && reachedAt > 0 && allAnswered(hops[:reachedAt-1]) {
			stopped = true
			for _, c := range conns {
				_ = c.SetReadDeadline(time.Now())
			}
		}
	}
	for i := range hops {
		hops[i].LossPct = float64(hops[i].Sent-hops[i].Received) / float64(hops[i].Sent) * 100
		if len(rtts[i]) > 0 {
			_, avg, _, _ := rttStats(rtts[i])
			hops[i].RTTms = ms(avg)
		}
	}
	return traceResult{hops: trimHops(hops, reachedAt), reached: reachedAt > 0, method: "udp-recverr"}, nil
}

// errAnswer is one ICMP error the kernel queued for a probe socket.
type errAnswer struct {
	ttl  int
	from netip.Addr
	rtt  time.Duration
	note string
}

// readErrQueue waits (until the socket's read deadline) for an ICMP error
// on the socket's error queue and returns who sent it.
func readErrQueue(rc syscall.RawConn, level, optErr int) (errAnswer, bool) {
	buf := make([]byte, 256)
	oob := make([]byte, 512)
	var a errAnswer
	var got bool
	_ = rc.Read(func(fd uintptr) bool {
		_, oobn, _, _, err := unix.Recvmsg(int(fd), buf, oob, unix.MSG_ERRQUEUE)
		if errors.Is(err, unix.EAGAIN) {
			return false // nothing queued yet: wait for EPOLLERR
		}
		if err != nil {
			return true
		}
		msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
		if err != nil {
			return true
		}
		for _, m := range msgs {
			if m.Header.Level != int32(level) || m.Header.Type != int32(optErr) {
				continue
			}
			const eeLen = int(unsafe.Sizeof(unix.SockExtendedErr{}))
			if len(m.Data) < eeLen {
				continue
			}
			ee := unix.SockExtendedErr{
				Errno: binary.NativeEndian.Uint32(m.Data[0:4]), Origin: m.Data[4], Type: m.Data[5], Code: m.Data[6],
			}
			if ee.Origin != unix.SO_EE_ORIGIN_ICMP && ee.Origin != unix.SO_EE_ORIGIN_ICMP6 {
				continue
			}
			// The offender's sockaddr follows the struct.
			sa := m.Data[eeLen:]
			switch {
			case ee.Origin == unix.SO_EE_ORIGIN_ICMP && len(sa) >= 8:
				a.from = netip.AddrFrom4([4]byte(sa[4:8]))
			case ee.Origin == unix.SO_EE_ORIGIN_ICMP6 && len(sa) >= 24:
				a.from = netip.AddrFrom16([16]byte(sa[8:24]))
			default:
				continue
			}
			a.note = recvErrNote(ee)
			got = true
		}
		return true
	})
	return a, got
}

// recvErrNote describes an ICMP error other than time exceeded or the
// destination's port unreachable (which are the expected answers).
func recvErrNote(ee unix.SockExtendedErr) string {
	if ee.Origin == unix.SO_EE_ORIGIN_ICMP {
		if ee.Type == 11 || (ee.Type == 3 && ee.Code == 3) {
			return ""
		}
		if ee.Type == 3 {
			return unreachNote4(int(ee.Code))
		}
	} else {
		if ee.Type == 3 || (ee.Type == 1 && ee.Code == 4) {
			return ""
		}
		if ee.Type == 1 {
			return unreachNote6(int(ee.Code))
		}
	}
	return fmt.Sprintf("ICMP type %d code %d", ee.Type, ee.Code)
}
