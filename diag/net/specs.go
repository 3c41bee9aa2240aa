// Package netcheck holds the network checks (category `net`): interfaces,
// default routes, ping, TCP connects, HTTP(S) with TLS details, the proxy in
// effect, and a path trace of failed targets. docs/net.md describes them.
package netcheck

import "github.com/l2diag/l2diag/diag"

// Specs lists the network checks, in the order reports show them.
func Specs() []diag.Spec {
	return []diag.Spec{
		interfacesSpec,
		gatewaySpec,
		pingSpec,
		tcpSpec,
		httpSpec,
		mtuSpec,
		proxySpec,
		traceSpec,
	}
}
