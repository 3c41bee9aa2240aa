// Package wire is the only place that speaks the DNS wire format. It wraps
// github.com/miekg/dns behind a few plain types so that moving to the
// library's successor touches this package alone.
package wire

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag/internal/sockerr"
	"github.com/miekg/dns"
)

// UDPSize is the EDNS0 buffer size we advertise: the 2020 DNS flag day
// value, small enough to avoid IP fragmentation, so answers above it come
// back truncated and are retried over TCP, as real resolvers do.
const UDPSize = 1232

// Transport is how a query travels.
type Transport string

// The transports.
const (
	UDP Transport = "udp"
	TCP Transport = "tcp"
)

// Query is one question to one server.
type Query struct {
	Server netip.AddrPort
	Name   string
	Type   uint16
	Via    Transport
	// CD sets the checking-disabled bit: the server returns data even when
	// DNSSEC validation fails.
	CD bool
	// RD asks for recursion; resolvers need it, authoritative servers ignore it.
	RD bool
}

// RR is one resource record of an answer, in presentation form.
type RR struct {
	Name string `json:"name"`
	Type string `json:"type"`
	TTL  uint32 `json:"ttl"`
	Data string `json:"data"`
}

// Response is what a server answered.
type Response struct {
	Rcode     string
	Truncated bool
	AD        bool
	AA        bool
	RA        bool
	Answer    []RR
	Size      int
	RTT       time.Duration
}

// ErrKind classifies why a query got no response.
type ErrKind string

// The kinds of failure, from the client's point of view.
const (
	// KindTimeout: nothing came back before the deadline (dropped packets).
	KindTimeout ErrKind = "timeout"
	// KindUnreachable: the network or the host said no (ICMP unreachable,
	// TCP reset, no route): something rejects rather than drops.
	KindUnreachable ErrKind = "unreachable"
	// KindLocal: this machine could not send the query at all (no socket,
	// an option the OS refuses): no evidence about the server.
	KindLocal ErrKind = "local"
	// KindMalformed: something answered, but not with a DNS message this
	// client can read: garbage, a compression-pointer loop, a message cut
	// short or larger than the UDP buffer. The server is up; its answer is
	// broken (or something in between rewrites it).
	KindMalformed ErrKind = "malformed"
	// KindOther: anything else.
	KindOther ErrKind = "other"
)

// Kind classifies an Exchange error with the classification every check
// shares (sockerr), so a WSAE* error reads as its POSIX twin does.
func Kind(err error) ErrKind {
	// miekg/dns reports what it cannot unpack as *dns.Error; the socket
	// errors it passes through are the net package's.
	var de *dns.Error
	if errors.As(err, &de) {
		return KindMalformed
	}
	switch sockerr.Classify(err) {
	case sockerr.None:
		return ""
	case sockerr.Timeout:
		return KindTimeout
	case sockerr.Refused, sockerr.Reset, sockerr.NoRoute, sockerr.Unreachable, sockerr.Permission:
		return KindUnreachable
	case sockerr.Local:
		return KindLocal
	}
	return KindOther
}

// Exchange sends q and waits for the answer until ctx's deadline.
func Exchange(ctx context.Context, q Query) (*Response, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(q.Name), q.Type)
	m.RecursionDesired = q.RD
	m.CheckingDisabled = q.CD
	// AD in a query asks a validating resolver to tell us whether it
	// validated (RFC 6840 5.7) without the size cost of the DO bit.
	m.AuthenticatedData = true
	m.SetEdns0(UDPSize, false)
	c := &dns.Client{Net: string(q.Via), UDPSize: UDPSize}
	if dl, ok := ctx.Deadline(); ok {
		c.Timeout = time.Until(dl)
		if c.Timeout <= 0 {
			return nil, fmt.Errorf("query %s: %w", q.Name, context.DeadlineExceeded)
		}
	} else {
		c.Timeout = 5 * time.Second
	}
	r, rtt, err := c.ExchangeContext(ctx, m, q.Server.String())
	if err != nil {
		return nil, err
	}
	resp := &Response{
		Rcode: RcodeName(r.Rcode), Truncated: r.Truncated, AD: r.AuthenticatedData,
		AA: r.Authoritative, RA: r.RecursionAvailable, Size: r.Len(), RTT: rtt,
	}
	for _, rr := range r.Answer {
		resp.Answer = append(resp.Answer, toRR(rr))
	}
	return resp, nil
}

func toRR(rr dns.RR) RR {
	h := rr.Header()
	full := rr.String()
	// Presentation form is "name ttl class type rdata"; keep the rdata.
	data := strings.TrimPrefix(full, h.String())
	return RR{Name: h.Name, Type: dns.TypeToString[h.Rrtype], TTL: h.Ttl, Data: strings.TrimSpace(data)}
}

// RcodeName returns the mnemonic of an rcode ("NXDOMAIN").
func RcodeName(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rc)
}

// The rcodes the checks tell apart.
var (
	NoError  = RcodeName(dns.RcodeSuccess)
	NXDomain = RcodeName(dns.RcodeNameError)
	ServFail = RcodeName(dns.RcodeServerFailure)
	Refused  = RcodeName(dns.RcodeRefused)
)

// The types the checks ask for themselves.
const (
	TypeA    = dns.TypeA
	TypeAAAA = dns.TypeAAAA
	TypeNS   = dns.TypeNS
	TypePTR  = dns.TypePTR
)

// TypeCode returns the code of a record type mnemonic ("MX"), case-insensitive.
func TypeCode(s string) (uint16, bool) {
	t, ok := dns.StringToType[strings.ToUpper(s)]
	return t, ok
}

// TypeName returns the mnemonic of a type code.
func TypeName(t uint16) string {
	if s, ok := dns.TypeToString[t]; ok {
		return s
	}
	return fmt.Sprintf("TYPE%d", t)
}

// Fqdn returns name with exactly one trailing dot.
func Fqdn(name string) string { return dns.Fqdn(name) }

// ReverseName returns the in-addr.arpa or ip6.arpa name of a.
func ReverseName(a netip.Addr) string {
	n, err := dns.ReverseAddr(a.Unmap().String())
	if err != nil {
		return ""
	}
	return n
}

// Addrs returns the addresses of the A and AAAA records of an answer, sorted.
func Addrs(rrs []RR) []string {
	var out []string
	for _, rr := range rrs {
		if rr.Type == "A" || rr.Type == "AAAA" {
			out = append(out, rr.Data)
		}
	}
	sort.Strings(out)
	return out
}
