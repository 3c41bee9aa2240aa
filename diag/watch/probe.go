package watch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag/internal/sockerr"
	"github.com/miekg/dns"

	"github.com/l2diag/l2diag/diag/internal/icmp"
)

// prober sends one probe and says what came back. It must return by
// ctx's deadline.
type prober interface {
	probe(ctx context.Context) (ok bool, rtt time.Duration, why string, local bool)
}

// icmpProber sends one echo request per probe.
type icmpProber struct {
	addr       netip.Addr
	privileged bool
}

func (p *icmpProber) probe(ctx context.Context) (bool, time.Duration, string, bool) {
	pg := icmp.New(p.addr, p.privileged, 1, time.Second, remaining(ctx))
	err := pg.RunWithContext(ctx)
	st := pg.Statistics()
	if st.PacketsRecv > 0 {
		return true, st.AvgRtt, "", false
	}
	if serr := pg.FirstSendError(); serr != nil {
		err = serr
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return false, 0, short(err), sockerr.IsLocal(err)
	}
	return false, 0, "timeout", false
}

// helperProber sends one echo per probe through Windows' ICMP helper API,
// as ping.exe does; each probe opens its own handle (a probe a second
// makes that nothing), so one target may resolve to either family.
type helperProber struct {
	addr netip.Addr
}

func (p *helperProber) probe(ctx context.Context) (bool, time.Duration, string, bool) {
	h, err := icmp.OpenHelper(p.addr.Is6())
	if err != nil {
		return false, 0, short(err), true
	}
	defer h.Close()
	t0 := time.Now()
	r, err := h.Echo(p.addr, 0, remaining(ctx))
	rtt := time.Since(t0)
	switch {
	case err != nil:
		return false, 0, short(err), true
	case r.Status == icmp.StatusSuccess && r.From == p.addr.WithZone(""):
		return true, rtt, "", false
	case r.Status == icmp.StatusSuccess:
		return false, 0, "reply from " + r.From.String(), false
	}
	return false, 0, icmp.StatusText(r.Status, p.addr.Is6()), false
}

// tcpProber times a TCP connect; a refused connect is an answer (the host
// is up and sent a reset). With several ports (the ping fallback) the
// first answer wins.
type tcpProber struct {
	addrs []string
}

func (p *tcpProber) probe(ctx context.Context) (bool, time.Duration, string, bool) {
	type res struct {
		ok    bool
		rtt   time.Duration
		why   string
		local bool
	}
	ch := make(chan res, len(p.addrs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, a := range p.addrs {
		go func() {
			start := time.Now()
			var d net.Dialer
			c, err := d.DialContext(ctx, "tcp", a)
			rtt := time.Since(start)
			switch {
			case err == nil:
				_ = c.Close()
				ch <- res{ok: true, rtt: rtt}
			case sockerr.Classify(err) == sockerr.Refused:
				ch <- res{ok: true, rtt: rtt}
			case ctx.Err() != nil:
				ch <- res{why: "timeout"}
			default:
				ch <- res{why: short(err), local: sockerr.IsLocal(err)}
			}
		}()
	}
	var last res
	for range p.addrs {
		r := <-ch
		if r.ok {
			return true, r.rtt, "", false
		}
		if last.why == "" || last.why == "timeout" {
			last = r
		}
	}
	return false, 0, last.why, last.local
}

// dnsProber asks one server for one name over UDP (TCP when truncated).
// NOERROR and NXDOMAIN are answers; SERVFAIL and REFUSED are failures.
type dnsProber struct {
	server string
	name   string
	// anyAnswer counts every answer as up (SERVFAIL and REFUSED too):
	// the name is l2diag's own choice (the root), which a resolver
	// without an upstream may refuse, so only silence is a failure.
	anyAnswer bool
}

func (p *dnsProber) probe(ctx context.Context) (bool, time.Duration, string, bool) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(p.name), dns.TypeA)
	m.RecursionDesired = true
	c := &dns.Client{Net: "udp", Timeout: remaining(ctx)}
	start := time.Now()
	r, _, err := c.ExchangeContext(ctx, m, p.server)
	if err == nil && r != nil && r.Truncated {
		c.Net = "tcp"
		r, _, err = c.ExchangeContext(ctx, m, p.server)
	}
	rtt := time.Since(start)
	switch {
	case err != nil:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || ctx.Err() != nil {
			return false, 0, "timeout", false
		}
		return false, 0, short(err), sockerr.IsLocal(err)
	case r.Rcode == dns.RcodeSuccess || r.Rcode == dns.RcodeNameError || p.anyAnswer:
		return true, rtt, "", false
	}
	return false, 0, strings.ToLower(dns.RcodeToString[r.Rcode]), false
}

// httpProber fetches a URL without following redirects; any answer below
// 500 is up.
type httpProber struct {
	url    string
	client *http.Client
}

func newHTTPProber(url string) *httpProber {
	tr := &http.Transport{
		Proxy:             http.ProxyFromEnvironment,
		DisableKeepAlives: true, // every probe measures a fresh connection
		TLSClientConfig:   &tls.Config{MinVersion: tls.VersionTLS12},
	}
	return &httpProber{url: url, client: &http.Client{Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (p *httpProber) probe(ctx context.Context) (bool, time.Duration, string, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return false, 0, short(err), true
	}
	req.Header.Set("User-Agent", "l2diag-watch")
	start := time.Now()
	resp, err := p.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, 0, "timeout", false
		}
		return false, 0, short(err), sockerr.IsLocal(err)
	}
	_ = resp.Body.Close()
	rtt := time.Since(start)
	if resp.StatusCode >= 500 {
		return false, 0, fmt.Sprintf("http %d", resp.StatusCode), false
	}
	return true, rtt, "", false
}

// pingMethod decides how a ping target is probed: Windows' ICMP helper
// API (as net-ping), ICMP datagram sockets, raw ICMP, or (without the
// privilege for either) timed TCP connects to the fallback ports. It
// returns the prober and its method's name.
func pingMethod(addr netip.Addr, fallbackPorts []int) (prober, string) {
	if runtime.GOOS == "windows" {
		if h, err := icmp.OpenHelper(addr.Is6()); err == nil {
			h.Close()
			return &helperProber{addr: addr}, "icmp-helper"
		}
	}
	kinds := []bool{false, true}
	if runtime.GOOS == "windows" {
		kinds = []bool{true} // no ICMP datagram sockets; pro-bing's "privileged" mode works unprivileged there
	}
	for _, priv := range kinds {
		err := icmp.New(addr, priv, 1, time.Second, 10*time.Millisecond).Run()
		if err == nil || !(errors.Is(err, os.ErrPermission) || sockerr.In(err, sockerr.PermissionErrnos)) {
			return &icmpProber{addr: addr, privileged: priv}, "icmp"
		}
	}
	var addrs []string
	for _, port := range fallbackPorts {
		addrs = append(addrs, netip.AddrPortFrom(addr, uint16(port)).String())
	}
	return &tcpProber{addrs: addrs}, "tcp connect (no ICMP permission)"
}

// short reduces an error to its last cause, for an event line.
func short(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return strings.TrimSuffix(s, ".")
}

func remaining(ctx context.Context) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		return max(time.Until(dl), time.Millisecond)
	}
	return 2 * time.Second
}
