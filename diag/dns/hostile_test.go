package dnscheck

import (
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// hostileServer answers every DNS query on 127.0.0.1 (UDP and TCP on one
// port) with what answer returns for it.
func hostileServer(t *testing.T, answer func(q []byte, tcp bool) []byte) netip.AddrPort {
	t.Helper()
	var pc net.PacketConn
	var l net.Listener
	for range 20 {
		var err error
		if pc, err = net.ListenPacket("udp4", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if l, err = net.Listen("tcp4", pc.LocalAddr().String()); err == nil {
			break
		}
		pc.Close()
		pc = nil
	}
	if pc == nil {
		t.Fatal("no port free for UDP and TCP")
	}
	t.Cleanup(func() { pc.Close(); l.Close() })
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			_, _ = pc.WriteTo(answer(buf[:n], false), from)
		}
	}()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var n uint16
				if binary.Read(c, binary.BigEndian, &n) != nil {
					return
				}
				q := make([]byte, n)
				if _, err := io.ReadFull(c, q); err != nil {
					return
				}
				a := answer(q, true)
				_, _ = c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(a))), a...))
			}()
		}
	}()
	return netip.MustParseAddrPort(pc.LocalAddr().String())
}

// TestHostileDNSAnswers: a server that answers with garbage, with a
// compression-pointer loop, or with 64 KB over UDP is up and broken; each
// is dns.malformed-answer, never "did not answer", dns.udp-blocked or a
// timeout (they used to be all three).
func TestHostileDNSAnswers(t *testing.T) {
	garbage := func(q []byte, _ bool) []byte {
		// The query's ID, then a header claiming 65535 questions.
		return append(append([]byte{}, q[:2]...), strings.Repeat("\xff", 40)...)
	}
	loop := func(q []byte, _ bool) []byte {
		a := append([]byte{}, q[:2]...)
		a = append(a, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0) // QR RD RA, 1 question, 1 answer
		a = append(a, 0xc0, 0x0c, 0, 1, 0, 1)             // the question's name points at itself
		return append(a, 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 10, 0, 0, 1)
	}
	huge := func(q []byte, _ bool) []byte {
		var m dns.Msg
		if err := m.Unpack(q); err != nil {
			return nil
		}
		r := new(dns.Msg)
		r.SetReply(&m)
		if m.Question[0].Qtype == dns.TypeA {
			for i := range 4000 {
				r.Answer = append(r.Answer, &dns.A{Hdr: dns.RR_Header{Name: m.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60},
					A: net.IPv4(10, byte(i>>16), byte(i>>8), byte(i))})
			}
		}
		r.Compress = true
		out, _ := r.Pack()
		return out
	}
	tests := []struct {
		name   string
		answer func([]byte, bool) []byte
		// where the malformed answer shows: both transports, or UDP only
		// (64 KB is a valid TCP message).
		udpOnly bool
	}{
		{"garbage", garbage, false},
		{"pointer loop", loop, false},
		{"64 KB over UDP", huge, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := hostileServer(t, tt.answer)
			p := testProfile("www.hostile.test")
			p.DNS.Types = []string{"A"}
			got := runPlanned(t, p, serverFacts(addr), nil, serverSpec, resolveSpec)
			for key, r := range got {
				t.Logf("%s: %s %v: %s", key, r.Status, codes(r), r.Summary)
				cs := codes(r)
				if !slices.Contains(cs, FindingMalformedAnswer.Code) {
					t.Errorf("%s: codes %v, want %s", key, cs, FindingMalformedAnswer.Code)
				}
				for _, wrong := range []string{FindingServerTimeout.Code, FindingUDPBlocked.Code, FindingTCPBlocked.Code, FindingQueryTimeout.Code, FindingServerUnreachable.Code} {
					if slices.Contains(cs, wrong) {
						t.Errorf("%s: codes %v: %s is a wrong label for a broken answer", key, cs, wrong)
					}
				}
				if strings.HasPrefix(key, "dns-server") && tt.udpOnly != strings.Contains(r.Summary+r.Findings[0].Message, "over UDP with") {
					t.Errorf("%s: %q does not say which transport broke", key, r.Findings[0].Message)
				}
			}
		})
	}
}
