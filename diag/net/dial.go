package netcheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/l2diag/l2diag/diag/internal/sockerr"
	"github.com/l2diag/l2diag/report"
)

// deadlineMargin is how long before the check's deadline a probe stops
// waiting, so the check can still hand back what it saw (the runner only
// waits 150 ms past the deadline before it reports a bare timeout).
const deadlineMargin = 120 * time.Millisecond

// budget returns d, shortened so it ends deadlineMargin before ctx's
// deadline. It never returns less than a millisecond.
func budget(ctx context.Context, d time.Duration) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl) - deadlineMargin; left < d {
			d = left
		}
	}
	return max(d, time.Millisecond)
}

// within returns a context that ends after budget(ctx, d).
func within(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, budget(ctx, d))
}

// resolve returns the addresses of host (itself when it is an address).
func resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		if lerr := lookupLocal(err); lerr != nil {
			return nil, fmt.Errorf("net: resolve %s: this machine could not open a socket for the lookup: %w", host, lerr)
		}
		return nil, fmt.Errorf("net: resolve %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("net: resolve %s: no addresses", host)
	}
	out := make([]netip.Addr, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, a.Unmap())
	}
	return out, nil
}

// lookupLocal tells whether a failed lookup was this machine's own failure
// (no socket for the query: descriptor limit, a sandbox, wine's winsock)
// and returns that error; nil when the lookup reached the resolver's
// verdict or this machine can open sockets. Go's resolver keeps only the
// text of the socket error, and reports "no such host" when every query
// failed that way, so whatever the lookup said, the errno is found again
// by opening a UDP socket the way the query would (a connect on UDP sends
// nothing).
func lookupLocal(err error) error {
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		return nil
	}
	c, perr := net.Dial("udp", "127.0.0.1:53")
	if perr == nil {
		_ = c.Close()
		return nil
	}
	if !isLocal(perr) {
		return nil
	}
	return perr
}

// noResolve records that host did not resolve, or, when the lookup failed
// on this machine (lookupLocal), that this machine could not make the
// lookup: never "does not resolve" for a socket the OS refused.
func noResolve(res *report.Result, host string, err error) {
	ev := map[string]any{"host": host, "error": err.Error()}
	if isLocal(err) {
		res.Summary = fmt.Sprintf("This machine could not look up %s: %s.", host, rootCause(err))
		res.AddFinding(FindingLocalError.Finding(res.Summary, ev))
		return
	}
	res.Summary = fmt.Sprintf("%s does not resolve.", host)
	res.AddFinding(FindingNoResolve.Finding(res.Summary, ev))
}

// connState is how a connection attempt ended. The values are part of the
// JSON details ("state").
type connState string

const (
	stateOpen        connState = "open"
	stateRefused     connState = "refused"
	stateFiltered    connState = "filtered"
	stateUnreachable connState = "unreachable"
	stateNoRoute     connState = "no-route"
	stateError       connState = "error"
	// stateLocal: this machine could not make the attempt (no socket, an
	// option the OS refuses); nothing about the network is known.
	stateLocal connState = "local-error"
)

// classify tells apart why a connection attempt failed. Unreachable is an
// ICMP error or a failed ARP/ND on the subnet; no-route means the kernel had
// no route at all (nothing was sent); filtered means silence until the
// deadline.
func classify(err error) connState {
	switch {
	case err == nil:
		return stateOpen
	case isLocal(err):
		return stateLocal
	case isRefused(err):
		return stateRefused
	case isNoRoute(err):
		return stateNoRoute
	case isUnreachable(err):
		return stateUnreachable
	case isTimeout(err):
		return stateFiltered
	}
	return stateError
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// The errno tests are sockerr's, the one classification DNS shares, so a
// WSAE* error reads on Windows as its POSIX twin does elsewhere.
func isRefused(err error) bool     { return sockerr.In(err, sockerr.RefusedErrnos) }
func isNoRoute(err error) bool     { return sockerr.In(err, sockerr.NoRouteErrnos) }
func isUnreachable(err error) bool { return sockerr.In(err, sockerr.UnreachableErrnos) }

// isPermission reports whether err says the OS refused us a socket kind.
func isPermission(err error) bool {
	return errors.Is(err, os.ErrPermission) || sockerr.In(err, sockerr.PermissionErrnos)
}

// isLocal reports whether err is this machine's failure to make the
// attempt at all (no socket, an option the OS refuses).
func isLocal(err error) bool { return sockerr.IsLocal(err) }

// dialTCP connects to ap within timeout and reports how it went and how
// long the attempt took.
func dialTCP(ctx context.Context, ap netip.AddrPort, timeout time.Duration) (connState, time.Duration, error) {
	ctx, cancel := within(ctx, timeout)
	defer cancel()
	var d net.Dialer
	start := time.Now()
	c, err := d.DialContext(ctx, "tcp", ap.String())
	el := time.Since(start)
	if err == nil {
		_ = c.Close()
	}
	return classify(err), el, err
}

func family(a netip.Addr) string {
	if a.Unmap().Is4() {
		return "ipv4"
	}
	return "ipv6"
}
