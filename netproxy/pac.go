package netproxy

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// pacTimeout bounds one FindProxyForURL call when the caller's context has
// no deadline: browsers give a PAC script a few seconds before they give
// up on it; a loop in a script must not hang a run.
const pacTimeout = 5 * time.Second

// Host is what the PAC helper functions ask of this machine: name
// resolution for dnsResolve/isInNet/isResolvable, this machine's address
// for myIpAddress, and the clock for the date and time functions. Tests
// and callers that must not touch the network supply their own.
type Host struct {
	// Resolve returns the IPv4 addresses of host (as browsers'
	// dnsResolve does), or an error.
	Resolve func(ctx context.Context, host string) ([]string, error)
	// MyIP returns this machine's primary IPv4 address.
	MyIP func() string
	// Now returns the current time (local time zone unless the script
	// asks for "GMT").
	Now func() time.Time
}

// PAC is a compiled proxy auto-config script. It is safe for concurrent
// use: each evaluation gets a fresh JavaScript runtime, as a script may
// keep state in globals.
type PAC struct {
	src  string
	prog *goja.Program
	host Host
}

// ParsePAC compiles a PAC script. It fails when the script is not valid
// JavaScript or defines no FindProxyForURL function (checked on first use).
func ParsePAC(src string, host Host) (*PAC, error) {
	prog, err := goja.Compile("proxy.pac", src, false)
	if err != nil {
		return nil, fmt.Errorf("pac: %w", err)
	}
	if host.Now == nil {
		host.Now = time.Now
	}
	return &PAC{src: src, prog: prog, host: host}, nil
}

// ErrPACTimeout is returned when FindProxyForURL did not return before the
// deadline (an endless loop, a slow dnsResolve).
var ErrPACTimeout = errors.New("pac: FindProxyForURL did not return before the deadline")

// FindProxy runs FindProxyForURL(url, host) for u and returns the script's
// answer ("PROXY p:8080; DIRECT"). As browsers do, https URLs are passed
// with the path and query stripped.
func (p *PAC) FindProxy(ctx context.Context, u *url.URL) (string, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, pacTimeout)
		defer cancel()
	}
	vm := goja.New()
	p.install(ctx, vm)
	stop := context.AfterFunc(ctx, func() { vm.Interrupt(ErrPACTimeout) })
	defer stop()
	if _, err := vm.RunProgram(p.prog); err != nil {
		return "", pacErr(err)
	}
	fn, ok := goja.AssertFunction(vm.Get("FindProxyForURL"))
	if !ok {
		return "", errors.New("pac: the script defines no FindProxyForURL function")
	}
	arg := u.String()
	if u.Scheme == "https" || u.Scheme == "wss" {
		arg = u.Scheme + "://" + u.Host + "/"
	}
	v, err := fn(goja.Undefined(), vm.ToValue(arg), vm.ToValue(u.Hostname()))
	if err != nil {
		return "", pacErr(err)
	}
	if goja.IsUndefined(v) || goja.IsNull(v) {
		return "", errors.New("pac: FindProxyForURL returned nothing")
	}
	return v.String(), nil
}

func pacErr(err error) error {
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		if e, ok := ie.Value().(error); ok {
			return e
		}
		return ErrPACTimeout
	}
	return fmt.Errorf("pac: %w", err)
}

// Entry is one element of a PAC answer.
type Entry struct {
	// Kind is DIRECT, PROXY, HTTPS, SOCKS, SOCKS4 or SOCKS5.
	Kind string `json:"kind"`
	// Host is host:port (empty for DIRECT).
	Host string `json:"host,omitempty"`
}

// URL returns the proxy as a URL a Go transport understands (nil for
// DIRECT and for kinds Go cannot use, such as SOCKS4).
func (e Entry) URL() *url.URL {
	scheme := map[string]string{"PROXY": "http", "HTTP": "http", "HTTPS": "https", "SOCKS": "socks5", "SOCKS5": "socks5"}[e.Kind]
	if scheme == "" || e.Host == "" {
		return nil
	}
	return &url.URL{Scheme: scheme, Host: e.Host}
}

// ParseResult splits a PAC answer ("PROXY a:8080; SOCKS b:1080; DIRECT")
// into its entries, in order. Unknown or malformed elements are returned
// as an error naming them, with the entries that did parse.
func ParseResult(s string) ([]Entry, error) {
	var out []Entry
	var bad []string
	for _, part := range strings.Split(s, ";") {
		f := strings.Fields(part)
		switch {
		case len(f) == 0:
			continue
		case len(f) == 1 && strings.EqualFold(f[0], "DIRECT"):
			out = append(out, Entry{Kind: "DIRECT"})
		case len(f) == 2:
			k := strings.ToUpper(f[0])
			switch k {
			case "PROXY", "HTTP", "HTTPS", "SOCKS", "SOCKS4", "SOCKS5":
				out = append(out, Entry{Kind: k, Host: f[1]})
			default:
				bad = append(bad, strings.TrimSpace(part))
			}
		default:
			bad = append(bad, strings.TrimSpace(part))
		}
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("pac: the answer %q has elements no browser understands: %s", s, strings.Join(bad, ", "))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pac: the answer %q names no proxy and not DIRECT", s)
	}
	return out, nil
}
