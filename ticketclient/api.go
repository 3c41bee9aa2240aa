package ticketclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// maxResponse caps what is read of an answer: ticket APIs answer with small
// JSON documents; a huge body is an error page we only quote from.
const maxResponse = 4 << 20

// API sends requests to one HTTP ticket system. Idempotent requests (GET)
// are retried here; writes are not: Deliverer decides, because only it can
// check whether a lost answer hid a stored upload.
type API struct {
	System  string
	Base    *url.URL
	HTTP    *http.Client
	Auth    Auth
	Timeout time.Duration
	Backoff Backoff
	// Tokens, when set, supplies the bearer token of each request (OAuth)
	// instead of Auth; a 401 renews it once and sends the request again
	// (a 401 means the server did not act on it).
	Tokens TokenSource
	// AuthHint says which variables hold the credentials, for 401/403.
	AuthHint string
	// AnswerHint is the hint of an answer that is not the JSON the API
	// documents: usually the configured URL is not the system's address.
	AnswerHint string
	// Sleep waits between attempts; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Request is one call.
type Request struct {
	Op     string
	Method string
	// Path is appended to Base; its segments are already escaped.
	Path   string
	Query  url.Values
	Header http.Header
	// JSON, when set, is marshalled as the body.
	JSON any
	// Open, when set, streams the body; it is called again for a retry.
	Open          func() (io.ReadCloser, error)
	ContentLength int64
	Idempotent    bool
	// Timeout overrides the API's (uploads get more).
	Timeout time.Duration
}

// Response is a complete answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// URL is the request's full URL.
func (a *API) URL(r *Request) string {
	u := *a.Base
	u.Path = a.Base.Path + r.Path
	u.RawPath = ""
	if esc := a.Base.EscapedPath() + r.Path; esc != u.Path {
		u.RawPath = esc
	}
	if r.Query != nil {
		u.RawQuery = r.Query.Encode()
	}
	return u.String()
}

// Do sends r and returns a 2xx response, or a typed *Error.
func (a *API) Do(ctx context.Context, r *Request) (*Response, error) {
	attempts := 1
	if r.Idempotent {
		attempts = a.Backoff.attempts()
	}
	var last *Error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			if err := a.sleep(ctx, a.Backoff.Delay(i, last.RetryAfter)); err != nil {
				return nil, last
			}
		}
		resp, err := a.once(ctx, r)
		if a.Tokens != nil && isStatus(err, http.StatusUnauthorized) {
			// An access token expires (30 minutes on ServiceNow): renew
			// it once; a second 401 is the credentials' fault.
			if rerr := a.Tokens.Renew(ctx); rerr != nil {
				return nil, rerr
			}
			resp, err = a.once(ctx, r)
		}
		if err == nil {
			return resp, nil
		}
		if !errors.As(err, &last) || !last.Retryable || ctx.Err() != nil {
			return nil, err
		}
		if last.RetryAfter > a.Backoff.maxWait() {
			return nil, last
		}
	}
	return nil, last
}

// GetJSON sends an idempotent GET (retried by Do) and decodes the answer
// into into; an answer that does not decode is KindUnavailable.
func (a *API) GetJSON(ctx context.Context, op, path string, q url.Values, into any) error {
	resp, err := a.Do(ctx, &Request{Op: op, Method: http.MethodGet, Path: path, Query: q, Idempotent: true})
	if err != nil {
		return err
	}
	if err := json.Unmarshal(resp.Body, into); err != nil {
		return Errorf(KindUnavailable, a.System, op, a.AnswerHint, "unexpected answer: %v", err)
	}
	return nil
}

func (a *API) sleep(ctx context.Context, d time.Duration) error {
	if a.Sleep != nil {
		return a.Sleep(ctx, d)
	}
	return SleepCtx(ctx, d)
}

// SleepCtx waits d or until ctx ends.
func SleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (a *API) once(parent context.Context, r *Request) (*Response, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = a.Timeout
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()

	var body io.ReadCloser
	length := int64(0)
	var getBody func() (io.ReadCloser, error)
	header := http.Header{}
	switch {
	case r.JSON != nil:
		data, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: encode: %w", a.System, r.Op, err)
		}
		getBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		length = int64(len(data))
		header.Set("Content-Type", "application/json")
	case r.Open != nil:
		getBody = r.Open
		length = r.ContentLength
	}
	if getBody != nil {
		b, err := getBody()
		if err != nil {
			return nil, Errorf(KindConfig, a.System, r.Op, "", "read file: %v", err)
		}
		body = b
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, a.URL(r), body)
	if err != nil {
		if body != nil {
			body.Close()
		}
		return nil, fmt.Errorf("%s: %s: %w", a.System, r.Op, err)
	}
	if body != nil {
		req.ContentLength = length
		req.GetBody = getBody
		if length == 0 {
			req.Body = http.NoBody
		}
	}
	req.Header = header
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "l2diag")
	for k, v := range r.Header {
		req.Header[k] = v
	}
	a.Auth.Apply(req)
	if a.Tokens != nil {
		tok, err := a.Tokens.Token(ctx)
		if err != nil {
			if body != nil {
				body.Close()
			}
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}

	resp, err := a.HTTP.Do(req)
	if err != nil {
		return nil, a.transportError(r, err, ctx, timeout)
	}
	defer resp.Body.Close()
	data, rerr := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if rerr != nil && resp.StatusCode/100 == 2 {
		return nil, &Error{Kind: KindUnavailable, System: a.System, Op: r.Op, Retryable: true, MaybeSent: r.Method != http.MethodGet,
			Err: fmt.Errorf("answer cut off: %v", rerr), Status: resp.StatusCode}
	}
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
	if resp.StatusCode/100 == 2 {
		if err := a.checkJSON(r, out); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, a.statusError(r, out)
}

// checkJSON refuses a 2xx answer that is not JSON: every ticket API
// answers JSON, so an HTML page with 200 is an SSO login page or a proxy's
// block page, and the request never reached the API (or nobody can tell).
func (a *API) checkJSON(r *Request, resp *Response) error {
	ct := resp.Header.Get("Content-Type")
	if len(bytes.TrimSpace(resp.Body)) == 0 || strings.Contains(strings.ToLower(ct), "json") {
		return nil
	}
	if ct == "" {
		ct = "no Content-Type"
	}
	msg := fmt.Sprintf("%d answered with %s instead of the API's JSON", resp.Status, ct)
	if t := ParseErrorBody(resp.Body); t != "" {
		msg += fmt.Sprintf(" (%q)", t)
	}
	return &Error{Kind: KindUnavailable, System: a.System, Op: r.Op, Status: resp.Status, MaybeSent: r.Method != http.MethodGet,
		Err: errors.New(msg),
		Hint: "a login page (SSO) or a proxy's page answered instead of the ticket API: keep the URL at the instance's address, " +
			"make sure the proxy lets the API through and that the credentials are an API token, then try again (l2diag ticket check)"}
}

func isStatus(err error, code int) bool {
	var te *Error
	return errors.As(err, &te) && te.Status == code
}

// TokenSource supplies bearer tokens that expire (OAuth).
type TokenSource interface {
	// Token returns a valid access token, fetching one when needed.
	Token(ctx context.Context) (string, error)
	// Renew drops the current token (the server called it expired) and
	// fetches a new one.
	Renew(ctx context.Context) error
}

func (a *API) transportError(r *Request, err error, ctx context.Context, timeout time.Duration) error {
	e := &Error{Kind: KindUnavailable, System: a.System, Op: r.Op, Retryable: true,
		MaybeSent: r.Method != http.MethodGet}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var ne net.Error
	proxy := a.proxyName()
	switch {
	case proxy != "" && strings.Contains(err.Error(), "Proxy Authentication Required"):
		// The CONNECT was refused: nothing reached the ticket system.
		e.Kind, e.Retryable, e.MaybeSent = KindAuth, false, false
		e.Err = fmt.Errorf("the proxy %s wants authentication (407 Proxy Authentication Required)", proxy)
		e.Hint = proxyAuthHint(proxy, a.Base.Host)
	case proxy != "" && errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		e.MaybeSent = false
		e.Err = fmt.Errorf("cannot connect to the proxy %s: %v", proxy, opErr.Err)
		e.Hint = "check the proxy setting (HTTPS_PROXY, or the system's proxy) and that the proxy is up"
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		e.Err = fmt.Errorf("no answer from %s within %s", a.Base.Host, timeout)
		e.Hint = "the server or a proxy is slow or hanging; try again later, or raise the timeout (timeout in the config file)"
	case errors.As(err, &dnsErr):
		e.Err = fmt.Errorf("cannot resolve %s: %v", a.Base.Host, dnsErr.Err)
		e.MaybeSent = false
		e.Hint = "check the URL and DNS (l2diag run --only dns --dns-name " + a.Base.Hostname() + ")"
	case errors.As(err, &opErr) && opErr.Op == "dial":
		e.Err = fmt.Errorf("cannot connect to %s: %v", a.Base.Host, opErr.Err)
		e.MaybeSent = false
		e.Hint = "check the network path (l2diag run --only net --tcp " + a.Base.Host + ") and the proxy variables HTTPS_PROXY/NO_PROXY"
	case isTLSError(err):
		e.Kind, e.Retryable, e.MaybeSent = KindConfig, false, false
		e.Err = fmt.Errorf("TLS with %s failed: %v", a.Base.Host, unwrapURL(err))
		e.Hint = "for a corporate CA set ca_file in the config or pass --ca-file FILE"
	default:
		e.Err = fmt.Errorf("connection to %s failed: %v", a.Base.Host, unwrapURL(err))
		if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			e.Err = fmt.Errorf("connection to %s was cut (%v)", a.Base.Host, unwrapURL(err))
		}
	}
	return e
}

// proxyName is the proxy the client uses for the base URL, without any
// password, or "" for a direct connection.
func (a *API) proxyName() string {
	tr, ok := a.HTTP.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil {
		return ""
	}
	u, err := tr.Proxy(&http.Request{Method: http.MethodGet, URL: a.Base, Header: http.Header{}})
	if err != nil || u == nil {
		return ""
	}
	return u.Redacted()
}

func proxyAuthHint(proxy, host string) string {
	return "l2diag sends proxy credentials only as Basic, from the proxy URL (HTTPS_PROXY=http://user:password@" + strings.TrimPrefix(strings.TrimPrefix(proxy, "http://"), "https://") +
		"); a proxy that wants the Windows login (NTLM, Kerberos) needs an exception for " + host + ": ask the network team to let it through without authentication"
}

func isTLSError(err error) bool {
	var cve *tls.CertificateVerificationError
	var rhe tls.RecordHeaderError
	if errors.As(err, &cve) || errors.As(err, &rhe) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "x509:") || strings.Contains(s, "tls: ")
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func (a *API) statusError(r *Request, resp *Response) *Error {
	msg := ParseErrorBody(resp.Body)
	e := &Error{System: a.System, Op: r.Op, Status: resp.Status}
	detail := func(s string) error {
		if msg != "" {
			return fmt.Errorf("%s: %s", s, msg)
		}
		return errors.New(s)
	}
	switch code := resp.Status; {
	case (code == http.StatusUnauthorized || code == http.StatusForbidden) && resp.Header.Get("X-Authentication-Denied-Reason") != "":
		// Jira DC: after failed logins it wants a CAPTCHA solved in the
		// browser and refuses the API even good credentials meanwhile.
		reason, login := deniedReason(resp.Header.Get("X-Authentication-Denied-Reason"))
		e.Kind = KindAuth
		e.Err = fmt.Errorf("%d login denied: %s", code, reason)
		e.Hint = "the server locked API logins for this account"
		if strings.Contains(strings.ToUpper(reason), "CAPTCHA") {
			e.Hint = "too many failed logins: the account must solve a CAPTCHA in the browser first"
		}
		if login != "" {
			e.Hint += fmt.Sprintf("; log in once in a browser at %s, then check the token (%s)", redactURL(login), a.AuthHint)
		} else {
			e.Hint += "; log in once in a browser, then check the token (" + a.AuthHint + ")"
		}
	case code == http.StatusProxyAuthRequired:
		proxy := a.proxyName()
		e.Kind = KindAuth
		e.Err = fmt.Errorf("the proxy %s wants authentication (407 Proxy Authentication Required)", proxy)
		e.Hint = proxyAuthHint(proxy, a.Base.Host)
	case code == http.StatusUnauthorized:
		e.Kind = KindAuth
		e.Err = detail("401 credentials refused")
		e.Hint = a.AuthHint
	case code == http.StatusForbidden:
		e.Kind = KindAuth
		e.Err = detail("403 not permitted")
		e.Hint = "the account lacks the permission for this (browse, attach or comment on the project); ask the ticket system's admin"
		if strings.Contains(msg, "XSRF") {
			e.Hint = "the server's XSRF check refused the request; a proxy may strip the X-Atlassian-Token header"
		}
	case code == http.StatusNotFound:
		e.Kind = KindNotFound
		e.Err = detail("404 not found")
		e.Hint = "check the ticket key, and that the account may see the ticket (404 also means 'not visible to you')"
	case code == http.StatusRequestEntityTooLarge:
		e.Kind = KindTooLarge
		e.Err = detail("413 too large")
		e.Hint = "shrink the bundle (l2diag run --only CATEGORY, or fewer raw files) or ask the admin to raise the attachment limit"
	case code == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
		e.Retryable = true
		e.RetryAfter = RetryAfter(resp.Header, time.Now())
		e.Err = detail("429 rate limited")
		if reason := resp.Header.Get("RateLimit-Reason"); reason != "" {
			e.Err = fmt.Errorf("%w (%s)", e.Err, reason)
		}
		e.Hint = "the server limits request rates; try again later (l2diag ticket outbox flush)"
	case code == http.StatusServiceUnavailable, code == http.StatusBadGateway, code == http.StatusGatewayTimeout:
		e.Kind = KindUnavailable
		e.Retryable = true
		// A proxy's 502/504 may come after the backend stored the upload.
		e.MaybeSent = code != http.StatusServiceUnavailable && r.Method != http.MethodGet
		e.RetryAfter = RetryAfter(resp.Header, time.Now())
		e.Err = detail(fmt.Sprintf("%d %s", code, http.StatusText(code)))
		e.Hint = "the ticket system is down or overloaded; try again later (l2diag ticket outbox flush)"
	case code/100 == 3:
		e.Kind = KindUnavailable
		loc := resp.Header.Get("Location")
		e.Err = fmt.Errorf("%d redirect to %s", code, redactURL(loc))
		if a.isLoginRedirect(loc) {
			// Pointing the URL at the SSO host would only send the token
			// to the wrong server.
			e.Kind = KindAuth
			e.Hint = "the server sent the request to a login page: it did not accept the credentials as an API login. Keep the URL at " +
				a.Base.Scheme + "://" + a.Base.Host + " and check the credentials (" + a.AuthHint + "); an SSO gateway in front of the API must let token requests through"
		} else {
			e.Hint = "the configured URL is not the API's address; set it to the address the server redirects to (scheme and host of " + redactURL(loc) + ")"
		}
	case code == http.StatusLengthRequired:
		e.Kind = KindUnavailable
		e.Err = detail("411 length required (a proxy refused the upload)")
	default:
		e.Kind = KindUnavailable
		e.Retryable = code >= 500
		e.MaybeSent = code >= 500 && r.Method != http.MethodGet
		e.Err = detail(fmt.Sprintf("%d %s", code, http.StatusText(code)))
	}
	return e
}

// isLoginRedirect tells a redirect to a login page or identity provider
// from one to the instance's right address (http to https, a new host
// name), by the target's host and path.
func (a *API) isLoginRedirect(loc string) bool {
	u, err := url.Parse(loc)
	if err != nil {
		return false
	}
	u = a.Base.ResolveReference(u)
	p := strings.ToLower(u.Path + "?" + u.RawQuery)
	for _, w := range []string{"login", "logon", "signin", "sign-in", "saml", "sso", "adfs", "oauth", "authorize", "auth/realms", "idp", "navpage.do", "external_logout"} {
		if strings.Contains(p, w) {
			return true
		}
	}
	host := strings.ToLower(u.Hostname())
	for _, w := range []string{"login.", "sso.", "idp.", "adfs.", "auth.", "okta", "microsoftonline", "pingone", "onelogin"} {
		if strings.Contains(host, w) {
			return true
		}
	}
	return false
}

// deniedReason splits Jira's X-Authentication-Denied-Reason,
// "CAPTCHA_CHALLENGE; login-url=https://host/login.jsp".
func deniedReason(v string) (reason, loginURL string) {
	parts := strings.Split(v, ";")
	reason = strings.TrimSpace(parts[0])
	for _, p := range parts[1:] {
		if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "login-url") {
			loginURL = strings.TrimSpace(val)
		}
	}
	return reason, loginURL
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable Location)"
	}
	return u.Redacted()
}

// RetryAfter reads Retry-After (seconds or an HTTP date) and, failing that,
// X-RateLimit-Reset (ISO 8601 on Jira, Unix seconds on ServiceNow).
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			return t.Sub(now)
		}
	}
	if v := strings.TrimSpace(h.Get("X-RateLimit-Reset")); v != "" {
		if t, err := time.Parse(time.RFC3339, v); err == nil && t.After(now) {
			return t.Sub(now)
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > now.Unix() && n < now.Unix()+86400 {
			return time.Unix(n, 0).Sub(now)
		}
	}
	return 0
}

// ParseErrorBody extracts a message from an error answer, leniently: Jira's
// {"errorMessages":[],"errors":{}}, ServiceNow's {"error":{"message","detail"}},
// a bare {"message"}, or plain text/HTML (XSRF check failed), shortened.
func ParseErrorBody(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	var doc struct {
		ErrorMessages []string        `json:"errorMessages"`
		Errors        map[string]any  `json:"errors"`
		Error         json.RawMessage `json:"error"`
		Message       string          `json:"message"`
		Detail        string          `json:"detail"`
	}
	if b[0] == '{' && json.Unmarshal(b, &doc) == nil {
		var parts []string
		parts = append(parts, doc.ErrorMessages...)
		for _, k := range sortedKeys(doc.Errors) {
			parts = append(parts, fmt.Sprintf("%s: %v", k, doc.Errors[k]))
		}
		if len(doc.Error) > 0 {
			var sn struct{ Message, Detail string }
			if json.Unmarshal(doc.Error, &sn) == nil {
				if sn.Message != "" {
					parts = append(parts, sn.Message)
				}
				if sn.Detail != "" && sn.Detail != sn.Message {
					parts = append(parts, sn.Detail)
				}
			} else {
				var s string
				if json.Unmarshal(doc.Error, &s) == nil && s != "" {
					parts = append(parts, s)
				}
			}
		}
		if doc.Message != "" {
			parts = append(parts, doc.Message)
		}
		if len(parts) > 0 {
			return shorten(strings.Join(parts, "; "))
		}
	}
	s := string(b)
	if i := strings.Index(strings.ToLower(s), "<title>"); i >= 0 {
		if j := strings.Index(strings.ToLower(s[i:]), "</title>"); j > 0 {
			s = s[i+7 : i+j]
		}
	}
	return shorten(strings.Join(strings.Fields(s), " "))
}

func shorten(s string) string {
	const max = 300
	r := []rune(s)
	if len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
