package hostcheck

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"time"
)

// SNTP (RFC 4330) needs one 48-byte request and one reply; no library of
// the ones served here does it, and encoding/binary writes the packet.
const (
	ntpPacketLen = 48
	ntpPort      = 123
	// ntpEpochOffset is the seconds from 1900-01-01 (NTP era 0) to 1970-01-01.
	ntpEpochOffset = 2208988800
	// ntpVersion 4 is what current servers speak; v3 servers answer it too.
	ntpVersion    = 4
	ntpModeClient = 3
	ntpModeServer = 4
	ntpLeapAlarm  = 3 // leap indicator 3: the server's clock is not synchronised
)

// sntpReply is what one server said.
type sntpReply struct {
	Server  string        `json:"server"`
	Addr    string        `json:"address"`
	Offset  time.Duration `json:"-"`
	RTT     time.Duration `json:"-"`
	Stratum uint8         `json:"stratum"`
	RefID   string        `json:"ref_id"`
}

// unsyncedError is a server that answered but is not a usable time source.
type unsyncedError struct{ reason string }

func (e *unsyncedError) Error() string { return "the server is not synchronised: " + e.reason }

// splitServer parses HOST or HOST:PORT (IPv6 literals bracketed).
func splitServer(s string) (string, uint16) {
	if h, p, err := net.SplitHostPort(s); err == nil {
		if n, err := strconv.ParseUint(p, 10, 16); err == nil {
			return h, uint16(n)
		}
	}
	return s, ntpPort
}

// toNTP encodes t as a 64-bit NTP timestamp (32.32 fixed point, era-relative).
func toNTP(t time.Time) uint64 {
	sec := uint64(t.Unix()+ntpEpochOffset) & 0xffffffff
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	return sec<<32 | frac
}

// fromNTP decodes an NTP timestamp to the time nearest ref: the 32-bit
// seconds wrap every 136 years (next in 2036), so the era is the one that
// puts the time within 68 years of our own clock.
func fromNTP(ts uint64, ref time.Time) time.Time {
	refSec := ref.Unix() + ntpEpochOffset
	diff := int64(int32(uint32(ts>>32) - uint32(refSec)))
	nsec := int64((ts & 0xffffffff) * 1e9 >> 32)
	return time.Unix(refSec-ntpEpochOffset+diff, nsec)
}

// querySNTP asks one server for the time and computes the offset
// (server minus local) and round-trip delay from the four timestamps.
func querySNTP(ctx context.Context, server string) (sntpReply, error) {
	r := sntpReply{Server: server}
	host, port := splitServer(server)
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return r, fmt.Errorf("look up %s: %w", host, err)
	}
	if len(ips) == 0 {
		return r, fmt.Errorf("look up %s: no address", host)
	}
	addr := netip.AddrPortFrom(ips[0].Unmap(), port)
	r.Addr = addr.String()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "udp", r.Addr)
	if err != nil {
		return r, err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	req := make([]byte, ntpPacketLen)
	req[0] = ntpVersion<<3 | ntpModeClient
	t1 := time.Now()
	xmt := toNTP(t1)
	binary.BigEndian.PutUint64(req[40:], xmt)
	if _, err := conn.Write(req); err != nil {
		return r, err
	}
	buf := make([]byte, 512)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
				return r, fmt.Errorf("no answer within %s", queryBudget(ctx, t1))
			}
			if errors.Is(err, syscall.ECONNREFUSED) {
				return r, errors.New("port unreachable (no NTP service at that address)")
			}
			return r, err
		}
		rtt := time.Since(t1) // monotonic: immune to the clock being stepped
		// Ignore a stray or spoofed datagram: a real reply echoes our
		// transmit timestamp as its origin timestamp.
		if n < ntpPacketLen || binary.BigEndian.Uint64(buf[24:]) != xmt {
			continue
		}
		return parseReply(r, buf[:n], t1, rtt)
	}
}

func queryBudget(ctx context.Context, start time.Time) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		return dl.Sub(start).Round(time.Millisecond)
	}
	return time.Since(start).Round(time.Millisecond)
}

// parseReply checks a server reply and computes offset and delay:
// offset = ((T2 - T1) + (T3 - T4)) / 2, delay = (T4 - T1) - (T3 - T2).
func parseReply(r sntpReply, b []byte, t1 time.Time, rtt time.Duration) (sntpReply, error) {
	leap, mode := b[0]>>6, b[0]&7
	r.Stratum = b[1]
	refID := b[12:16]
	if r.Stratum <= 1 {
		r.RefID = string(trimZero(refID))
	} else {
		r.RefID = netip.AddrFrom4([4]byte(refID)).String()
	}
	switch {
	case mode != ntpModeServer:
		return r, fmt.Errorf("not a server reply (mode %d)", mode)
	case r.Stratum == 0:
		return r, &unsyncedError{reason: fmt.Sprintf("kiss-of-death %q", r.RefID)}
	case leap == ntpLeapAlarm:
		return r, &unsyncedError{reason: "leap indicator 3 (alarm)"}
	case r.Stratum > 15:
		return r, &unsyncedError{reason: fmt.Sprintf("stratum %d", r.Stratum)}
	}
	recv, xmt := binary.BigEndian.Uint64(b[32:]), binary.BigEndian.Uint64(b[40:])
	if xmt == 0 {
		return r, errors.New("reply carries no transmit time")
	}
	t4 := t1.Add(rtt)
	t2, t3 := fromNTP(recv, t1), fromNTP(xmt, t1)
	r.Offset = (t2.Sub(t1) + t3.Sub(t4)) / 2
	r.RTT = max(0, rtt-t3.Sub(t2))
	return r, nil
}

func trimZero(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}

// SNTPOffset asks server (host or host:port) for the time once and returns
// the offset (server minus local) and the round trip. The org checks use it
// to compare the clock with a domain controller's.
func SNTPOffset(ctx context.Context, server string) (offset, rtt time.Duration, err error) {
	r, err := querySNTP(ctx, server)
	return r.Offset, r.RTT, err
}
