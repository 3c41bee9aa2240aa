package diag

import (
	"net/netip"
	"sync"

	"github.com/l2diag/l2diag/netproxy"
)

// FactKey names one fact of type T that discovery checks publish and later
// checks read. Keys are declared here so every category can read them.
type FactKey[T any] struct{ name string }

// NewFactKey declares a fact key.
func NewFactKey[T any](name string) FactKey[T] { return FactKey[T]{name: name} }

// The facts the discovery phase publishes.
var (
	// FactDNSServers are the resolvers the machine uses, in its order.
	FactDNSServers = NewFactKey[[]netip.AddrPort]("dns_servers")
	// FactSearchDomains is the resolver's search list.
	FactSearchDomains = NewFactKey[[]string]("search_domains")
	// FactGateways are the default gateways (IPv4 and IPv6).
	FactGateways = NewFactKey[[]netip.Addr]("gateways")
	// FactLocalAddrs are the machine's own unicast addresses.
	FactLocalAddrs = NewFactKey[[]netip.Addr]("local_addrs")
	// FactScopedDNS are per-namespace resolvers (Windows NRPT, macOS
	// /etc/resolver/DOMAIN): names under a namespace are asked only of its
	// servers. Keys as the OS spells them (".corp.example" for a suffix).
	FactScopedDNS = NewFactKey[map[string][]netip.AddrPort]("scoped_dns_servers")
	// FactProxy is the proxy URL in effect for HTTPS, empty when none.
	FactProxy = NewFactKey[string]("proxy")
	// FactProxyChooser picks the proxy for each URL as the machine's
	// HTTP stack would (bypass list, per-scheme proxies, PAC).
	FactProxyChooser = NewFactKey[*netproxy.Chooser]("proxy_choice")
)

// Facts is what discovery found, safe for concurrent use.
type Facts struct {
	mu sync.RWMutex
	m  map[string]any
}

// NewFacts returns an empty fact set.
func NewFacts() *Facts { return &Facts{m: map[string]any{}} }

// SetFact publishes a fact.
func SetFact[T any](f *Facts, k FactKey[T], v T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.m[k.name] = v
}

// GetFact reads a fact; ok is false when nobody published it (tri-state:
// "not discovered" is not "discovered empty").
func GetFact[T any](f *Facts, k FactKey[T]) (v T, ok bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	x, ok := f.m[k.name]
	if !ok {
		return v, false
	}
	v, ok = x.(T)
	return v, ok
}

// Snapshot copies every fact, for the bundle.
func (f *Facts) Snapshot() map[string]any {
	f.mu.RLock()
	defer f.mu.RUnlock()
	out := make(map[string]any, len(f.m))
	for k, v := range f.m {
		out[k] = v
	}
	return out
}
