package main

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/l2diag/l2diag/netproxy"
)

// pacFetchTimeout bounds fetching the OS's PAC script before an upload: a
// proxy configuration server that hangs must not hold the ticket step.
const pacFetchTimeout = 5 * time.Second

// ticketProxy chooses the proxy of each ticket request as the user's
// browser would: the environment's proxy variables when set, else the
// OS's settings (on Windows WinINET for the user, WinHTTP for SYSTEM, with
// the bypass list and a PAC script). nil means the environment's (or none).
func ticketProxy(ctx context.Context) func(*http.Request) (*url.URL, error) {
	pctx, cancel := context.WithTimeout(ctx, pacFetchTimeout)
	defer cancel()
	return proxyFrom(netproxy.Discover(pctx, netproxy.SystemHost()))
}

// proxyFrom turns a chooser into http.Transport's Proxy; nil when the
// environment decides (NewHTTPClient's default) or nothing is configured.
func proxyFrom(c *netproxy.Chooser) func(*http.Request) (*url.URL, error) {
	if c == nil || c.Env.Configured() || !c.Effective().Configured() {
		return nil
	}
	return func(req *http.Request) (*url.URL, error) {
		ch, _ := c.ForURL(req.Context(), req.URL)
		return ch.Proxy, nil
	}
}
