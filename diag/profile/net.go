package profile

import (
	"fmt"
	"net/netip"
	"net/url"
	"time"

	"github.com/l2diag/l2diag/diag/target"
)

// Net is the profile's `net:` section: targets and thresholds of the net checks.
// The net category owns this file and its part of default.yaml.
type Net struct {
	Ping  NetPing  `yaml:"ping"`
	TCP   NetTCP   `yaml:"tcp"`
	HTTP  NetHTTP  `yaml:"http"`
	Trace NetTrace `yaml:"trace"`
	Proxy NetProxy `yaml:"proxy"`
	// Interfaces tunes the interface check.
	Interfaces NetInterfaces `yaml:"interfaces"`
	MTU        NetMTU        `yaml:"mtu"`
}

// NetMTU configures the path MTU probe of the ping targets.
type NetMTU struct {
	Enabled bool `yaml:"enabled"`
	// Targets are probed besides the --ping targets.
	Targets []string `yaml:"targets"`
	// Timeout is how long the don't-fragment echoes of all sizes (sent at
	// once) wait for answers.
	Timeout Duration `yaml:"timeout"`
}

// NetPing configures the ping check.
type NetPing struct {
	// Targets are hosts pinged besides --ping, the gateways and DNS servers.
	Targets []string `yaml:"targets"`
	// Gateways and DNSServers add the discovered default gateways and DNS
	// servers to the targets.
	Gateways   bool `yaml:"gateways"`
	DNSServers bool `yaml:"dns_servers"`
	// Count is the most echo requests sent, Interval apart. An echo not
	// answered within Timeout counts as lost (sooner once replies have
	// shown the round trip: see docs/net.md).
	Count    int      `yaml:"count"`
	Interval Duration `yaml:"interval"`
	Timeout  Duration `yaml:"timeout"`
	// StopEarly lets the sequential loss test end the ping as soon as the
	// echoes so far settle the verdict; false always sends Count.
	StopEarly bool `yaml:"stop_early"`
	// LossWarnPct is the loss (in percent) the verdict is judged against:
	// the test tells loss of a quarter of it (healthy) from twice it
	// (lossy), see docs/decisions.md.
	LossWarnPct float64 `yaml:"loss_warn_pct"`
	// RTTWarn is the average round trip above which the result warns.
	RTTWarn Duration `yaml:"rtt_warn"`
	// FallbackPorts are connected to, timed, when ICMP is not permitted.
	FallbackPorts []int `yaml:"fallback_ports"`
}

// NetTCP configures the TCP connect check.
type NetTCP struct {
	// Targets are HOST:PORT pairs connected to besides --tcp.
	Targets []string `yaml:"targets"`
	// Timeout bounds each connect; no answer by then means "filtered".
	Timeout Duration `yaml:"timeout"`
	// ConnectWarn is the connect time above which the result warns.
	ConnectWarn Duration `yaml:"connect_warn"`
}

// NetHTTP configures the HTTP(S) check.
type NetHTTP struct {
	// Targets are URLs fetched besides --http.
	Targets []string `yaml:"targets"`
	// Connectivity are well-known endpoints whose answer is known; another
	// answer means a captive portal or an intercepting proxy.
	Connectivity []Connectivity `yaml:"connectivity"`
	// Timeout bounds each fetch, redirects included.
	Timeout Duration `yaml:"timeout"`
	// CertExpiryWarn is how long before expiry a certificate warns.
	CertExpiryWarn Duration `yaml:"cert_expiry_warn"`
	// SlowWarn is the total time above which a fetch warns.
	SlowWarn Duration `yaml:"slow_warn"`
	// MaxRedirects bounds the redirect chain followed.
	MaxRedirects int `yaml:"max_redirects"`
}

// Connectivity is a connectivity-check endpoint and the answer it gives
// when the internet is reachable without interference.
type Connectivity struct {
	URL    string `yaml:"url"`
	Status int    `yaml:"status"`
	// Body, when set, must be contained in the answer.
	Body string `yaml:"body"`
}

// NetTrace configures the path trace of failed targets.
type NetTrace struct {
	Enabled bool `yaml:"enabled"`
	MaxHops int  `yaml:"max_hops"`
	// Timeout is how long the trace waits for answers after sending all
	// probes at once.
	Timeout Duration `yaml:"timeout"`
	// Probes is how many probes each hop gets (loss per hop).
	Probes int `yaml:"probes"`
}

// NetProxy configures the proxy check.
type NetProxy struct {
	// Timeout bounds the connect to the proxy.
	Timeout Duration `yaml:"timeout"`
}

// NetInterfaces configures the interface check.
type NetInterfaces struct {
	// Sample is how long error and drop counters are watched.
	Sample Duration `yaml:"sample"`
}

// Hostnames returns the host names (not IP literals) of every net target
// in the profile, so the DNS checks resolve them too.
func (n Net) Hostnames() []string {
	var out []string
	seen := map[string]bool{}
	add := func(h string) {
		if h == "" || seen[h] {
			return
		}
		if _, err := netip.ParseAddr(h); err == nil {
			return
		}
		seen[h] = true
		out = append(out, h)
	}
	for _, h := range n.Ping.Targets {
		add(h)
	}
	for _, s := range n.TCP.Targets {
		if hp, err := target.ParseHostPort(s); err == nil {
			add(hp.Host)
		}
	}
	for _, s := range n.HTTP.Targets {
		if u, err := url.Parse(s); err == nil {
			add(u.Hostname())
		}
	}
	for _, c := range n.HTTP.Connectivity {
		if u, err := url.Parse(c.URL); err == nil {
			add(u.Hostname())
		}
	}
	for _, h := range n.MTU.Targets {
		add(h)
	}
	return out
}

// minWait is the shortest interval or timeout a net setting may have.
const minWait = 10 * time.Millisecond

// validateNet checks the net section in the order of the file; the first
// bad key is the one reported.
func (p *Profile) validateNet() error {
	n := &p.Net
	return firstError(
		eachEntry(p, "net.ping.targets", n.Ping.Targets, target.Host),
		p.intIn("net.ping.count", n.Ping.Count, 1, 100),
		p.netAtLeast("net.ping.interval", n.Ping.Interval, minWait),
		p.netAtLeast("net.ping.timeout", n.Ping.Timeout, minWait),
		p.errorIf(n.Ping.LossWarnPct < 0 || n.Ping.LossWarnPct > 100, "net.ping.loss_warn_pct",
			"%g is not a percentage from 0 to 100", n.Ping.LossWarnPct),
		p.netAtLeast("net.ping.rtt_warn", n.Ping.RTTWarn, time.Millisecond),
		p.errorIf(len(n.Ping.FallbackPorts) == 0, "net.ping.fallback_ports",
			"empty (list TCP ports for the unprivileged fallback, e.g. [443, 80, 22, 53])"),
		eachEntry(p, "net.ping.fallback_ports", n.Ping.FallbackPorts, func(port int) error {
			if port < 1 || port > 65535 {
				return fmt.Errorf("port %d is not a number from 1 to 65535", port)
			}
			return nil
		}),
		eachEntry(p, "net.tcp.targets", n.TCP.Targets, func(s string) error { _, err := target.ParseHostPort(s); return err }),
		p.netAtLeast("net.tcp.timeout", n.TCP.Timeout, minWait),
		p.netAtLeast("net.tcp.connect_warn", n.TCP.ConnectWarn, time.Millisecond),
		eachEntry(p, "net.http.targets", n.HTTP.Targets, func(s string) error { _, err := target.ParseURL(s); return err }),
		eachEntry(p, "net.http.connectivity", n.HTTP.Connectivity, func(c Connectivity) error {
			if _, err := target.ParseURL(c.URL); err != nil {
				return fmt.Errorf("url: %v", err)
			}
			if c.Status < 100 || c.Status > 599 {
				return fmt.Errorf("status %d is not an HTTP status from 100 to 599", c.Status)
			}
			return nil
		}),
		p.netAtLeast("net.http.timeout", n.HTTP.Timeout, minWait),
		p.errorIf(n.HTTP.CertExpiryWarn < 0, "net.http.cert_expiry_warn",
			"%s is negative (use e.g. 336h for 14 days, 0 to turn the warning off)", n.HTTP.CertExpiryWarn),
		p.netAtLeast("net.http.slow_warn", n.HTTP.SlowWarn, time.Millisecond),
		p.intIn("net.http.max_redirects", n.HTTP.MaxRedirects, 0, 30),
		p.intIn("net.trace.max_hops", n.Trace.MaxHops, 1, 64),
		p.intIn("net.trace.probes", n.Trace.Probes, 1, 5),
		p.netAtLeast("net.trace.timeout", n.Trace.Timeout, minWait),
		p.netAtLeast("net.proxy.timeout", n.Proxy.Timeout, minWait),
		eachEntry(p, "net.mtu.targets", n.MTU.Targets, target.Host),
		p.netAtLeast("net.mtu.timeout", n.MTU.Timeout, minWait),
		p.errorIf(n.Interfaces.Sample < 0, "net.interfaces.sample",
			"%s is negative (use e.g. 1s, or 0 to read the counters once)", n.Interfaces.Sample),
	)
}

// firstError returns the first error that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// eachEntry rejects the first entry of list that ok refuses, naming its
// position from 1.
func eachEntry[T any](p *Profile, key string, list []T, ok func(T) error) error {
	for i, v := range list {
		if err := ok(v); err != nil {
			return p.errorf(key, "entry %d: %v", i+1, err)
		}
	}
	return nil
}

// errorIf is the error for key when bad holds.
func (p *Profile) errorIf(bad bool, key, format string, args ...any) error {
	if bad {
		return p.errorf(key, format, args...)
	}
	return nil
}

// intIn rejects a count outside lo..hi.
func (p *Profile) intIn(key string, v, lo, hi int) error {
	return p.errorIf(v < lo || v > hi, key, "%d is out of range (use %d to %d)", v, lo, hi)
}

// netAtLeast rejects a duration below min, naming the key.
func (p *Profile) netAtLeast(key string, d Duration, min time.Duration) error {
	if d.D() < min {
		return p.errorf(key, "%s is too small (use at least %s, e.g. 2s)", d, min)
	}
	return nil
}
