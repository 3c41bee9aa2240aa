//go:build !linux && !windows && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package orgcheck

// tunnelRoutes does not list routes on this OS; full versus split tunnel
// is still told by the route to a public address.
func tunnelRoutes(string) ([]string, bool) { return nil, false }
