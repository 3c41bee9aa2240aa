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

// traceUnprivileged traces with plain UDP sockets and IP_RECVERR, as
// tracepath does: the kernel hands the ICMP errors each socket provoked to
// its error queue, so no privilege is needed. One socket per probe.
func traceUnprivileged(ctx context.Context, tp profile.NetTrace, dst netip.Addr) (traceResult, error) {
	p := &udpProber{dst: dst, perTTL: tp.Probes + 1, answers: make(chan probeAnswer, tp.MaxHops*(tp.Probes+1))}
	p.network, p.level, p.optTTL, p.optErr = "udp4", unix.SOL_IP, unix.IP_TTL, unix.IP_RECVERR
	if dst.Is6() {
		p.network, p.level, p.optTTL, p.optErr = "udp6", unix.SOL_IPV6, unix.IPV6_UNICAST_HOPS, unix.IPV6_RECVERR
	}
	hops, reachedAt, err := runProbes(ctx, tp, p, p.answers)
	if err != nil {
		return traceResult{}, err
	}
	return traceResult{hops: hops, reached: reachedAt > 0, method: "udp-recverr"}, nil
}

type udpProber struct {
	dst                   netip.Addr
	network               string
	level, optTTL, optErr int
	perTTL                int
	answers               chan probeAnswer

	mu    sync.Mutex
	conns []*net.UDPConn
}

func (p *udpProber) send(ttl, probe int) error {
	port := traceBasePort + (ttl-1)*p.perTTL + probe
	c, err := net.DialUDP(p.network, nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(p.dst, uint16(port))))
	if err != nil {
		return fmt.Errorf("udp socket: %w", err)
	}
	p.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), p.level, p.optTTL, ttl)
		if serr == nil {
			serr = unix.SetsockoptInt(int(fd), p.level, p.optErr, 1)
		}
	}); err != nil || serr != nil {
		return fmt.Errorf("set ttl/recverr: %w", errors.Join(err, serr))
	}
	if _, err := c.Write([]byte("l2diag-trace")); err != nil && isNoRoute(err) {
		return fmt.Errorf("send: %w", err)
	}
	go func() {
		if a, ok := readErrQueue(rc, p.level, p.optErr); ok {
			a.ttl, a.probe = ttl, probe
			a.reached = a.from == p.dst.WithZone("").Unmap().String()
			select {
			case p.answers <- a:
			default:
			}
		}
	}()
	return nil
}

// close ends every probe socket, which ends their readers.
func (p *udpProber) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		_ = c.Close()
	}
}

// readErrQueue waits for an ICMP error on the socket's error queue (until
// the socket is closed) and returns who sent it.
func readErrQueue(rc syscall.RawConn, level, optErr int) (probeAnswer, bool) {
	buf := make([]byte, 256)
	oob := make([]byte, 512)
	var a probeAnswer
	var got bool
	_ = rc.Read(func(fd uintptr) bool {
		_, oobn, _, _, err := unix.Recvmsg(int(fd), buf, oob, unix.MSG_ERRQUEUE)
		if errors.Is(err, unix.EAGAIN) {
			return false // nothing queued yet: wait for EPOLLERR
		}
		if err != nil {
			return true
		}
		a.at = time.Now()
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
			// The offender's sockaddr follows the struct.
			sa := m.Data[eeLen:]
			switch {
			case ee.Origin == unix.SO_EE_ORIGIN_ICMP && len(sa) >= 8:
				a.from = netip.AddrFrom4([4]byte(sa[4:8])).String()
			case ee.Origin == unix.SO_EE_ORIGIN_ICMP6 && len(sa) >= 24:
				a.from = netip.AddrFrom16([16]byte(sa[8:24])).Unmap().String()
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
