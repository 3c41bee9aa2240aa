package netcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/netproxy"
	"github.com/l2diag/l2diag/report"
)

// bodyLimit is how much of an answer is read: enough to compare a
// connectivity check's body and quote a portal's page, no more.
const bodyLimit = 64 << 10

var httpSpec = diag.Spec{
	ID: "net-http", Category: diag.CategoryNet, Phase: diag.PhaseProbe,
	Finds: "HTTP(S) status, phase timings, redirects, proxy, TLS and certificate problems; captive portals",
	Timeout: func(p *profile.Profile) diag.Duration {
		return diag.Duration(p.Net.HTTP.Timeout.D() + 500*time.Millisecond)
	},
	Sockets:  fixedSockets(4), // the connection, a proxy's, a redirect's, the resolver
	Findings: []diag.FindingSpec{FindingNoResolve, FindingLocalError, FindingHTTPOK, FindingHTTPServerError, FindingHTTPProxyAuth, FindingHTTPClientError, FindingHTTPConnect, FindingHTTPMalformed, FindingHTTPRedirectLoop, FindingHTTPTooManyRedirects, FindingHTTPTimeout, FindingHTTPSlow, FindingCaptivePortal, FindingNoInternet, FindingTLSExpired, FindingTLSExpiring, FindingTLSNameMismatch, FindingTLSUnknownAuthority, FindingTLSHandshake},
	Plan:     planHTTP,
}

// planHTTP plans one fetch per URL: --http targets, the profile's targets
// and its connectivity checks, each once.
func planHTTP(in *diag.PlanInput) []diag.Instance {
	type job struct {
		u    *url.URL
		conn *profile.Connectivity
	}
	var jobs []job
	seen := map[string]bool{}
	add := func(u *url.URL, c *profile.Connectivity) {
		if !seen[u.String()] {
			seen[u.String()] = true
			jobs = append(jobs, job{u, c})
		}
	}
	for _, u := range in.Targets.HTTP {
		add(u, nil)
	}
	hp := in.Profile.Net.HTTP
	for _, t := range hp.Targets {
		if u, err := target.ParseURL(t); err == nil {
			add(u, nil)
		}
	}
	for i := range hp.Connectivity {
		if u, err := target.ParseURL(hp.Connectivity[i].URL); err == nil {
			add(u, &hp.Connectivity[i])
		}
	}
	fact, _ := diag.GetFact(in.Facts, diag.FactProxy)
	chooser, _ := diag.GetFact(in.Facts, diag.FactProxyChooser)
	var checks []diag.Instance
	for _, j := range jobs {
		checks = append(checks, diag.Instance{Target: j.u.Redacted(), Run: func(ctx context.Context, env *diag.Env) report.Result {
			return runHTTP(ctx, env.Profile.Net.HTTP, j.u, j.conn, proxyFunc(ctx, fact, chooser))
		}})
	}
	return checks
}

// fetch is what one HTTP exchange (with its redirects) observed.
type fetch struct {
	mu       sync.Mutex
	phase    string // what was going on last: dns, connect, tls, request, response
	host     string // host of the connection being made
	dns      time.Duration
	connect  time.Duration
	tls      time.Duration
	wrote    time.Time
	ttfb     time.Duration
	proxy    string
	proxyWhy string // which rule chose the proxy (or direct)
	redirect []string
	// capped: the chain was cut at max_redirects; the last answer is a
	// redirect nobody followed.
	capped   bool
	state    *tls.ConnectionState
	certHost string
	certErr  error
}

func (f *fetch) set(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
}

func (f *fetch) trace() *httptrace.ClientTrace {
	var dnsStart, connStart, tlsStart time.Time
	return &httptrace.ClientTrace{
		GetConn: func(hostPort string) {
			f.set(func() {
				f.phase = "dns"
				if h, _, err := net.SplitHostPort(hostPort); err == nil {
					f.host = h
				}
			})
		},
		DNSStart: func(httptrace.DNSStartInfo) { f.set(func() { f.phase, dnsStart = "dns", time.Now() }) },
		DNSDone:  func(httptrace.DNSDoneInfo) { f.set(func() { f.dns += time.Since(dnsStart) }) },
		ConnectStart: func(string, string) {
			f.set(func() {
				f.phase = "connect"
				if connStart.IsZero() {
					connStart = time.Now()
				}
			})
		},
		ConnectDone: func(_, _ string, err error) {
			f.set(func() {
				if err == nil {
					f.connect += time.Since(connStart)
				}
				connStart = time.Time{}
			})
		},
		TLSHandshakeStart: func() { f.set(func() { f.phase, tlsStart = "tls", time.Now() }) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { f.set(func() { f.tls += time.Since(tlsStart) }) },
		WroteRequest: func(httptrace.WroteRequestInfo) {
			f.set(func() { f.phase, f.wrote = "waiting for the response", time.Now() })
		},
		GotFirstResponseByte: func() {
			f.set(func() { f.phase, f.ttfb = "reading the response", time.Since(f.wrote) })
		},
	}
}

func runHTTP(ctx context.Context, hp profile.NetHTTP, u *url.URL, conn *profile.Connectivity, proxyFn func(*url.URL) (*url.URL, string, error)) report.Result {
	var res report.Result
	f := &fetch{phase: "dns"}
	roots, rootsErr := x509.SystemCertPool()
	if rootsErr != nil {
		roots = nil // crypto/x509 then uses the platform verifier
	}
	tr := &http.Transport{
		Proxy: func(r *http.Request) (*url.URL, error) {
			p, why, err := proxyFn(r.URL)
			f.set(func() {
				f.proxyWhy = why
				if p != nil {
					f.proxy = p.Redacted()
				}
			})
			return p, err
		},
		DialContext:       (&net.Dialer{}).DialContext,
		ForceAttemptHTTP2: true,
		// Browsers refuse headers past about 256 KiB; reading a hostile
		// server's endless header stops there too.
		MaxResponseHeaderBytes: maxHeaderBytes,
		DisableKeepAlives:      true,
		TLSClientConfig: &tls.Config{
			// Verification is done in VerifyConnection so that every
			// certificate problem can be told apart and described; a
			// connection that fails it is still aborted.
			InsecureSkipVerify: true,
			VerifyConnection: func(cs tls.ConnectionState) error {
				host := cs.ServerName
				f.mu.Lock()
				if host == "" {
					host = f.host
				}
				f.state, f.certHost = &cs, host
				f.mu.Unlock()
				if err := verifyChain(cs, host, roots); err != nil {
					f.set(func() { f.certErr = err })
					return err
				}
				return nil
			},
		},
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			f.set(func() { f.redirect = append(f.redirect, req.URL.Redacted()) })
			if conn != nil {
				// A connectivity check never redirects; a portal does.
				return http.ErrUseLastResponse
			}
			if len(via) > hp.MaxRedirects {
				f.set(func() { f.capped = true })
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
	ctx, cancel := within(ctx, hp.Timeout.D())
	defer cancel()
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, f.trace()), http.MethodGet, u.String(), nil)
	if err != nil {
		return diag.Errored(fmt.Errorf("net: http request %s: %w", u.Redacted(), err))
	}
	req.Header.Set("User-Agent", "l2diag")
	start := time.Now()
	resp, err := client.Do(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(io.LimitReader(resp.Body, bodyLimit))
		_ = resp.Body.Close()
		if err != nil && len(body) > 0 {
			err = nil // a cut-off body still tells what answered
		}
	}
	total := time.Since(start)
	f.mu.Lock()
	defer f.mu.Unlock()
	res.SetMetric("dns_ms", diag.Millis(f.dns))
	res.SetMetric("connect_ms", diag.Millis(f.connect))
	res.SetMetric("tls_ms", diag.Millis(f.tls))
	if f.ttfb > 0 {
		res.SetMetric("first_byte_ms", diag.Millis(f.ttfb))
	}
	res.SetMetric("total_ms", diag.Millis(total))
	res.SetDetail("proxy", cmpOr(f.proxy, "none"))
	if f.proxyWhy != "" {
		res.SetDetail("proxy_reason", f.proxyWhy)
	}
	if len(f.redirect) > 0 {
		res.SetDetail("redirects", f.redirect)
	}
	if f.state != nil {
		res.SetDetail("tls", tlsDetails(f.state, f.certErr == nil))
	}
	ev := map[string]any{"url": u.Redacted(), "proxy": cmpOr(f.proxy, "none")}
	if f.certErr != nil {
		certFindings(&res, f.state, f.certHost, f.certErr, roots, ev)
		var msgs []string
		for _, f := range res.Findings {
			msgs = append(msgs, f.Message)
		}
		res.Summary = "Certificate rejected: " + strings.Join(msgs, " ")
		return res
	}
	if err != nil {
		httpError(&res, u, conn, f, err, hp.Timeout.D(), ev)
		return res
	}
	res.SetMetric("status", float64(resp.StatusCode))
	res.SetDetail("status", resp.Status)
	ev["status"] = resp.StatusCode
	if f.state != nil {
		expiring(&res, f.state, hp.CertExpiryWarn.D(), ev)
	}
	switch {
	case resp.StatusCode == http.StatusProxyAuthRequired:
		ev["proxy_authenticate"] = resp.Header.Values("Proxy-Authenticate")
		res.Summary = fmt.Sprintf("The proxy %s demands authentication (407) for %s.", f.proxy, u.Redacted())
		res.AddFinding(FindingHTTPProxyAuth.Finding(res.Summary, ev))
	case conn != nil && !connectivityOK(conn, resp.StatusCode, body):
		ev["want_status"] = conn.Status
		if loc := resp.Header.Get("Location"); loc != "" {
			ev["location"] = loc
		}
		ev["body_start"] = snippet(body)
		res.Summary = fmt.Sprintf("%s answered %s instead of its known %d: a captive portal or an intercepting proxy.", u.Redacted(), resp.Status, conn.Status)
		res.AddFinding(FindingCaptivePortal.Finding(res.Summary, ev))
	case f.capped && resp.StatusCode >= 300 && resp.StatusCode < 400:
		redirectFinding(&res, u, f.redirect, hp.MaxRedirects, ev)
	case resp.StatusCode >= 500:
		res.Summary = fmt.Sprintf("%s answered %s: the server side fails.", u.Redacted(), resp.Status)
		res.AddFinding(FindingHTTPServerError.Finding(res.Summary, ev))
	case resp.StatusCode >= 400:
		res.Summary = fmt.Sprintf("%s answered %s.", u.Redacted(), resp.Status)
		res.AddFinding(FindingHTTPClientError.Finding(res.Summary, ev))
	default:
		res.Summary = fmt.Sprintf("%s answered %s in %.0f ms.", u.Redacted(), resp.Status, diag.Millis(total))
		res.AddFinding(FindingHTTPOK.Finding(res.Summary, ev))
	}
	for _, fd := range res.Findings {
		if fd.Code == FindingTLSExpiring.Code {
			res.Summary += " " + fd.Message
		}
	}
	if total > hp.SlowWarn.D() {
		msg := fmt.Sprintf("The fetch took %.0f ms (threshold %s): dns %.0f, connect %.0f, tls %.0f, first byte %.0f ms.",
			diag.Millis(total), hp.SlowWarn, diag.Millis(f.dns), diag.Millis(f.connect), diag.Millis(f.tls), diag.Millis(f.ttfb))
		res.Summary += " " + msg
		res.AddFinding(FindingHTTPSlow.Finding(msg, map[string]any{"total_ms": diag.Millis(total), "threshold": hp.SlowWarn.String()}))
	}
	return res
}

// httpError explains a fetch that got no answer.
func httpError(res *report.Result, u *url.URL, conn *profile.Connectivity, f *fetch, err error, timeout time.Duration, ev map[string]any) {
	ev["error"] = rootCause(err)
	ev["phase"] = f.phase
	var dnsErr *net.DNSError
	var fs diag.FindingSpec
	var msg string
	switch st := classify(err); {
	case st == stateLocal || lookupLocal(err) != nil:
		// Not the site's fault and not "no internet": say so even for a
		// connectivity endpoint.
		res.Summary = fmt.Sprintf("This machine could not open a connection for %s: %s.", u.Redacted(), rootCause(err))
		res.AddFinding(FindingLocalError.Finding(res.Summary, ev))
		return
	case errors.As(err, &dnsErr):
		fs, msg = FindingNoResolve, fmt.Sprintf("%s does not resolve (%s).", dnsErr.Name, dnsErr.Err)
	case st == stateFiltered:
		fs, msg = FindingHTTPTimeout, fmt.Sprintf("%s did not answer within %s (stuck at: %s).", u.Redacted(), timeout, f.phase)
	case st == stateRefused || st == stateUnreachable || st == stateNoRoute:
		ev["state"] = string(st)
		fs, msg = FindingHTTPConnect, fmt.Sprintf("Cannot connect to %s: %s.", hostOf(u, f), rootCause(err))
	case malformedHTTP(err):
		ev["state"] = "malformed answer"
		fs, msg = FindingHTTPMalformed, fmt.Sprintf("%s answered, but not with valid HTTP: %s.", hostOf(u, f), rootCause(err))
	case f.phase == "tls":
		fs, msg = FindingTLSHandshake, fmt.Sprintf("The TLS handshake with %s failed: %s.", hostOf(u, f), rootCause(err))
	default:
		fs, msg = FindingHTTPConnect, fmt.Sprintf("Fetching %s failed: %s.", u.Redacted(), rootCause(err))
	}
	res.Summary = msg
	if conn != nil {
		// A connectivity endpoint that cannot be reached is the answer to
		// "is there internet": say it in those words.
		res.Summary = "No internet: " + msg
		res.AddFinding(FindingNoInternet.Finding(res.Summary, ev))
		return
	}
	res.AddFinding(fs.Finding(msg, ev))
}

// maxHeaderBytes caps the response header the HTTP check reads.
const maxHeaderBytes = 256 << 10

// malformedHTTP reports whether the server answered with something that
// is not HTTP: a status line or header that does not parse, or a header
// past maxHeaderBytes. net/http has no error types for these.
func malformedHTTP(err error) bool {
	msg := err.Error()
	for _, s := range []string{"malformed HTTP", "malformed MIME header", "server response headers exceeded", "invalid header field"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// redirectFinding explains a redirect chain cut at max_redirects: a loop
// (a URL comes back) fails, a long chain warns.
func redirectFinding(res *report.Result, u *url.URL, chain []string, limit int, ev map[string]any) {
	ev["redirects"], ev["max_redirects"] = chain, limit
	seen := map[string]bool{u.Redacted(): true}
	for _, c := range chain {
		if seen[c] {
			ev["loops_at"] = c
			res.Summary = fmt.Sprintf("%s redirects in a loop: %s comes back after %d redirects; a browser gives up with \"too many redirects\".", u.Redacted(), c, len(chain))
			res.AddFinding(FindingHTTPRedirectLoop.Finding(res.Summary, ev))
			return
		}
		seen[c] = true
	}
	res.Summary = fmt.Sprintf("%s still redirects after %d redirects (max_redirects %d); the last one points to %s.", u.Redacted(), len(chain)-1, limit, chain[len(chain)-1])
	res.AddFinding(FindingHTTPTooManyRedirects.Finding(res.Summary, ev))
}

func hostOf(u *url.URL, f *fetch) string {
	if f.proxy != "" {
		return "the proxy " + f.proxy
	}
	return u.Host
}

func connectivityOK(c *profile.Connectivity, status int, body []byte) bool {
	return status == c.Status && (c.Body == "" || strings.Contains(string(body), c.Body))
}

// proxyFunc returns the proxy for a URL and why: the environment's, else
// the OS settings' choice for this very URL (bypass list, the scheme's
// proxy, the PAC script), else the one discovery published.
func proxyFunc(ctx context.Context, fact string, chooser *netproxy.Chooser) func(*url.URL) (*url.URL, string, error) {
	env := httpproxy.FromEnvironment()
	envFn := env.ProxyFunc()
	return func(u *url.URL) (*url.URL, string, error) {
		p, err := envFn(u)
		if p != nil || err != nil || env.HTTPProxy != "" || env.HTTPSProxy != "" {
			return p, "environment", err
		}
		if chooser != nil {
			// A failing PAC script falls back as WinINET does; net-proxy
			// reports the script's error.
			c, _ := chooser.ForURL(ctx, u)
			return c.Proxy, c.Source + ": " + c.Reason, nil
		}
		if fact == "" {
			return nil, "", nil
		}
		pu, err := url.Parse(fact)
		return pu, "net-proxy", err
	}
}

func snippet(b []byte) string {
	s := strings.ToValidUTF8(string(b), "?")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
