package diag

import (
	"net/netip"
	"net/url"

	"github.com/l2diag/l2diag/diag/target"
)

// Targets are the ad-hoc targets given on the command line; they add to the
// profile's. The CLI validates them before anything runs.
type Targets struct {
	Ping       []string
	TCP        []target.HostPort
	HTTP       []*url.URL
	DNSNames   []string
	DNSServers []netip.AddrPort
	Paths      []target.Path
	// DNSExpect is what --dns-name NAME=IP[,IP] says names must resolve
	// to, keyed by the lower-case name without a trailing dot; it
	// overrides the profile's expectation for the same name.
	DNSExpect map[string]target.Expectation
}
