package orgcheck

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/l2diag/l2diag/diag/internal/sockerr"
)

// The SRV names a Windows DC locator (and sssd's ad provider) asks.
func srvNames(domain string) []string {
	return []string{"_ldap._tcp.dc._msdcs." + domain, "_kerberos._tcp." + domain}
}

// srvAnswer is one server's answer to one SRV name.
type srvAnswer struct {
	Server netip.AddrPort
	Name   string
	// Found: SRV records came back. Missing: the server answered without
	// them (NXDOMAIN, NODATA, REFUSED, SERVFAIL). Neither: no answer.
	Found, Missing bool
	Rcode          string
	Records        []*dns.SRV
	// Addrs are the A/AAAA records the server added for the targets.
	Addrs map[string][]netip.Addr
	Err   error
}

// querySRV asks one server for name's SRV records, over UDP and again over
// TCP when the answer is truncated (a domain with many DCs).
func querySRV(ctx context.Context, server netip.AddrPort, name string, timeout time.Duration) srvAnswer {
	a := srvAnswer{Server: server, Name: name}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeSRV)
	m.SetEdns0(1232, false)
	var r *dns.Msg
	for _, via := range []string{"udp", "tcp"} {
		qctx, cancel := context.WithTimeout(ctx, timeout)
		c := &dns.Client{Net: via, UDPSize: 1232, Timeout: timeout}
		var err error
		r, _, err = c.ExchangeContext(qctx, m, server.String())
		cancel()
		if err != nil {
			a.Err = fmt.Errorf("org: query %s at %s over %s: %w", name, server, via, err)
			return a
		}
		if !r.Truncated {
			break
		}
	}
	a.Rcode = dns.RcodeToString[r.Rcode]
	for _, rr := range r.Answer {
		if s, ok := rr.(*dns.SRV); ok && s.Target != "." {
			a.Records = append(a.Records, s)
		}
	}
	a.Addrs = map[string][]netip.Addr{}
	for _, rr := range r.Extra {
		if ip, ok := addrOf(rr); ok {
			n := strings.ToLower(rr.Header().Name)
			a.Addrs[n] = append(a.Addrs[n], ip)
		}
	}
	a.Found = len(a.Records) > 0
	a.Missing = !a.Found
	return a
}

// queryAddrs resolves a DC's host name at server (A, then AAAA).
func queryAddrs(ctx context.Context, server netip.AddrPort, host string, timeout time.Duration) ([]netip.Addr, error) {
	var out []netip.Addr
	var firstErr error
	for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(host), t)
		qctx, cancel := context.WithTimeout(ctx, timeout)
		r, _, err := (&dns.Client{Net: "udp", Timeout: timeout}).ExchangeContext(qctx, m, server.String())
		cancel()
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("org: resolve %s at %s: %w", host, server, err)
			}
			continue
		}
		for _, rr := range r.Answer {
			if ip, ok := addrOf(rr); ok {
				out = append(out, ip)
			}
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	return nil, firstErr
}

// addrOf returns the address of an A or AAAA record.
func addrOf(rr dns.RR) (netip.Addr, bool) {
	switch x := rr.(type) {
	case *dns.A:
		return netip.AddrFromSlice(x.A.To4())
	case *dns.AAAA:
		return netip.AddrFromSlice(x.AAAA)
	}
	return netip.Addr{}, false
}

// dcHost is one domain controller as the SRV records name it.
type dcHost struct {
	Name     string
	Priority uint16
	Weight   uint16
	Addrs    []netip.Addr
}

// dcHosts merges the _ldap SRV records all servers returned into DCs in
// the locator's order: lowest priority first, then highest weight, then
// name (a stable order makes the run reproducible).
func dcHosts(answers []srvAnswer) []dcHost {
	byName := map[string]*dcHost{}
	for _, a := range answers {
		if !strings.HasPrefix(a.Name, "_ldap.") {
			continue
		}
		for _, r := range a.Records {
			n := strings.ToLower(r.Target)
			h := byName[n]
			if h == nil {
				h = &dcHost{Name: strings.TrimSuffix(n, "."), Priority: r.Priority, Weight: r.Weight}
				byName[n] = h
			}
			for _, ip := range a.Addrs[n] {
				if !containsAddr(h.Addrs, ip) {
					h.Addrs = append(h.Addrs, ip)
				}
			}
		}
	}
	out := make([]dcHost, 0, len(byName))
	for _, h := range byName {
		out = append(out, *h)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Priority != out[j].Priority {
			return out[i].Priority < out[j].Priority
		}
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func containsAddr(list []netip.Addr, a netip.Addr) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// isLocal reports whether err means this machine could not send at all.
func isLocal(err error) bool { return err != nil && sockerr.IsLocal(err) }

// errKind words a socket error for evidence: timeout, refused, ...
func errKind(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return string(sockerr.Timeout)
	}
	return string(sockerr.Classify(err))
}
