package lab

import (
	"encoding/binary"
	"net"
	"time"
)

// ServeSNTP runs a synchronised stratum-2 SNTP server on ip:123 inside ns
// whose clock is this machine's shifted by offset (a domain controller
// whose time differs, where the real clock cannot move). One socket per
// address, so replies come from the address the client asked (it uses a
// connected socket). It stops when the test ends.
func ServeSNTP(ns *NS, network, ip string, offset time.Duration) {
	pc := ns.ListenPacket(network, net.JoinHostPort(ip, "123"))
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 48 || buf[0]&7 != 3 {
				continue
			}
			recv := time.Now().Add(offset)
			reply := make([]byte, 48)
			reply[0] = 0<<6 | 4<<3 | 4 // no leap warning, version 4, server
			reply[1] = 2               // stratum 2
			reply[2], reply[3] = buf[2], 0xe9
			copy(reply[12:16], net.ParseIP("10.0.0.123").To4())
			binary.BigEndian.PutUint64(reply[16:], ntpTime(recv.Add(-time.Minute)))
			copy(reply[24:32], buf[40:48]) // origin = the client's transmit time
			binary.BigEndian.PutUint64(reply[32:], ntpTime(recv))
			binary.BigEndian.PutUint64(reply[40:], ntpTime(time.Now().Add(offset)))
			_, _ = pc.WriteTo(reply, from)
		}
	}()
}

func ntpTime(t time.Time) uint64 {
	sec := uint64(t.Unix()+2208988800) & 0xffffffff
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	return sec<<32 | frac
}
