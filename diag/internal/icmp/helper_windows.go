//go:build windows

package icmp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows' ICMP helper API (iphlpapi.dll), which ping.exe and tracert.exe
// use: the OS sends the echo and parses what comes back, and no
// privilege is needed. x/sys/windows has no wrappers for it.
var (
	modIphlpapi         = windows.NewLazySystemDLL("iphlpapi.dll")
	procIcmpCreateFile  = modIphlpapi.NewProc("IcmpCreateFile")
	procIcmp6CreateFile = modIphlpapi.NewProc("Icmp6CreateFile")
	procIcmpSendEcho2   = modIphlpapi.NewProc("IcmpSendEcho2")
	procIcmp6SendEcho2  = modIphlpapi.NewProc("Icmp6SendEcho2")
	procIcmpCloseHandle = modIphlpapi.NewProc("IcmpCloseHandle")
)

// ipOptionInformation is IP_OPTION_INFORMATION; Go lays it out as C
// does on 32- and 64-bit Windows (the pointer aligned to its size).
type ipOptionInformation struct {
	TTL, TOS, Flags, OptionsSize uint8
	OptionsData                  uintptr
}

// icmpEchoReply is ICMP_ECHO_REPLY of this process's bitness (28 bytes
// on 32-bit, 40 on 64-bit: Data and OptionsData are pointers).
type icmpEchoReply struct {
	Address            uint32 // IPAddr: the address bytes in memory order
	Status             uint32
	RoundTripTime      uint32
	DataSize, Reserved uint16
	Data               uintptr
	Options            ipOptionInformation
}

// ICMPV6_ECHO_REPLY is IPV6_ADDRESS_EX (packed: port 2, flowinfo 4,
// address 16, scope 4 = 26 bytes), then Status and RoundTripTime aligned
// to 4: read by offset, as Go cannot express the packed member.
const (
	icmp6ReplyAddr   = 6
	icmp6ReplyStatus = 28
)

// helperPayload is the echo's data: 32 bytes, as ping.exe sends.
var helperPayload = []byte("l2diag-echo-l2diag-echo-l2diag-e")

// helperReplyBuf is the reply buffer: one reply, its copy of the
// payload, 8 bytes for an ICMP error and an IO_STATUS_BLOCK, with room to
// spare; uint64 elements keep it aligned for the reply struct.
type helperReplyBuf [64]uint64

// winHelper is an open ICMP handle for one address family.
type winHelper struct {
	h  windows.Handle
	v6 bool
}

func openHelper(v6 bool) (Helper, error) {
	create := procIcmpCreateFile
	if v6 {
		create = procIcmp6CreateFile
	}
	if err := create.Find(); err != nil {
		return nil, fmt.Errorf("icmp helper: %w", err)
	}
	r, _, err := create.Call()
	if h := windows.Handle(r); h != windows.InvalidHandle && h != 0 {
		return &winHelper{h: h, v6: v6}, nil
	}
	return nil, fmt.Errorf("icmp helper: %s: %w", create.Name, err)
}

// Echo implements Helper.
func (h *winHelper) Echo(dst netip.Addr, ttl int, timeout time.Duration) (Reply, error) {
	opts := ipOptionInformation{TTL: uint8(min(max(ttl, 0), 255))}
	var optp uintptr
	if ttl > 0 {
		optp = uintptr(unsafe.Pointer(&opts))
	}
	ms := uintptr(max(timeout.Milliseconds(), 1))
	var buf helperReplyBuf
	var n uintptr
	var callErr error
	if h.v6 {
		src := windows.RawSockaddrInet6{Family: windows.AF_INET6}
		to := windows.RawSockaddrInet6{Family: windows.AF_INET6, Addr: dst.As16(), Scope_id: zoneIndex(dst.Zone())}
		n, _, callErr = procIcmp6SendEcho2.Call(uintptr(h.h), 0, 0, 0,
			uintptr(unsafe.Pointer(&src)), uintptr(unsafe.Pointer(&to)),
			uintptr(unsafe.Pointer(&helperPayload[0])), uintptr(len(helperPayload)), optp,
			uintptr(unsafe.Pointer(&buf)), unsafe.Sizeof(buf), ms)
	} else {
		a4 := dst.As4()
		n, _, callErr = procIcmpSendEcho2.Call(uintptr(h.h), 0, 0, 0,
			uintptr(binary.LittleEndian.Uint32(a4[:])),
			uintptr(unsafe.Pointer(&helperPayload[0])), uintptr(len(helperPayload)), optp,
			uintptr(unsafe.Pointer(&buf)), unsafe.Sizeof(buf), ms)
	}
	if n == 0 {
		// No reply: the last error is the IP status (IP_REQ_TIMED_OUT)
		// or why the call failed.
		var errno windows.Errno
		if errors.As(callErr, &errno) && isIPStatus(uint32(errno)) {
			return Reply{Status: uint32(errno)}, nil
		}
		return Reply{}, fmt.Errorf("icmp helper: echo to %s: %w", dst, callErr)
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&buf)), unsafe.Sizeof(buf))
	if h.v6 {
		return Reply{
			Status: binary.LittleEndian.Uint32(b[icmp6ReplyStatus:]),
			From:   netip.AddrFrom16([16]byte(b[icmp6ReplyAddr : icmp6ReplyAddr+16])).Unmap(),
		}, nil
	}
	r := (*icmpEchoReply)(unsafe.Pointer(&buf))
	var from [4]byte
	binary.LittleEndian.PutUint32(from[:], r.Address)
	return Reply{Status: r.Status, From: netip.AddrFrom4(from)}, nil
}

// zoneIndex is the interface index of an IPv6 zone ("12" or "Ethernet"),
// which a link-local destination needs; 0 when there is none.
func zoneIndex(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n)
	}
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifi.Index)
	}
	return 0
}

// IP_STATUS values lie in [ipStatusBase, ipStatusEnd).
const (
	ipStatusBase = 11000
	ipStatusEnd  = 11050
)

func isIPStatus(v uint32) bool { return v >= ipStatusBase && v < ipStatusEnd }

// Close implements Helper.
func (h *winHelper) Close() { _, _, _ = procIcmpCloseHandle.Call(uintptr(h.h)) }
