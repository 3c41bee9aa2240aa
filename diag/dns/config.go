package dnscheck

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

var configSpec = diag.Spec{
	ID: "dns-config", Category: diag.CategoryDNS, Phase: diag.PhaseDiscover,
	Finds:    "the resolver configuration in effect: servers, search list, options, systemd-resolved upstreams, nsswitch; malformed lines",
	Findings: []diag.FindingSpec{FindingConfigUnreadable, FindingConfigMalformed, FindingNoServer, FindingStubNoUpstream, FindingTooManyServers, FindingNSSwitchNoDNS},
	Plan: diag.Once(func(_ context.Context, env *diag.Env) report.Result {
		return runConfig(env, systemPaths)
	}),
}

// runConfig reads the configuration from p, publishes the servers and
// search list as facts and reports what is wrong with it.
func runConfig(env *diag.Env, p Paths) report.Result {
	var res report.Result
	c, raw, err := systemConfig(p)
	if err != nil {
		res.Summary = "The resolver configuration could not be read."
		res.AddFinding(FindingConfigUnreadable.Finding(err.Error(), map[string]any{"path": p.ResolvConf}))
		diag.SetFact(env.Facts, diag.FactDNSServers, []netip.AddrPort{})
		return res
	}
	for _, f := range raw {
		env.Evidence.AddFile(f.Name, f.Path, f.Data)
	}
	servers := c.Servers
	if c.Stub {
		// Query the stub (what applications use) and its upstreams (where
		// the answers come from), so a broken upstream is pinned down.
		servers = append(append([]netip.AddrPort(nil), c.Servers...), c.Upstreams...)
	}
	for _, sc := range scopedServers(c) {
		servers = appendNew(servers, sc)
	}
	diag.SetFact(env.Facts, diag.FactDNSServers, servers)
	diag.SetFact(env.Facts, diag.FactSearchDomains, c.Search)
	if len(c.Scoped) > 0 {
		diag.SetFact(env.Facts, diag.FactScopedDNS, c.Scoped)
	}
	res.SetDetail("config", c)
	res.SetMetric("servers", float64(len(c.Servers)))
	res.SetMetric("search_domains", float64(len(c.Search)))

	for _, lp := range c.Problems {
		msg := fmt.Sprintf("%s line %d: %s", lp.File, lp.Line, lp.Why)
		if lp.Line == 0 {
			msg = fmt.Sprintf("%s: %s", lp.File, lp.Why)
		}
		res.AddFinding(FindingConfigMalformed.Finding(msg, map[string]any{"file": lp.File, "line": lp.Line, "text": lp.Text}))
	}
	switch {
	case len(c.Servers) == 0:
		res.AddFinding(FindingNoServer.Finding(fmt.Sprintf("%s names no DNS server.", c.Source), map[string]any{"source": c.Source}))
	case c.Stub && len(c.Upstreams) == 0:
		why := "it lists no upstream server"
		if c.UpstreamError != "" {
			why = c.UpstreamError
		}
		res.AddFinding(FindingStubNoUpstream.Finding(
			fmt.Sprintf("%s points at the systemd-resolved stub %s, but %s: %s.", c.Source, c.Servers[0].Addr(), c.StubSource, why),
			map[string]any{"stub": c.Servers[0].String(), "upstream_source": c.StubSource}))
	}
	if len(c.Servers) > maxNameservers && c.Source != "GetAdaptersAddresses" {
		var ignored []string
		for _, s := range c.Servers[maxNameservers:] {
			ignored = append(ignored, s.Addr().String())
		}
		res.AddFinding(FindingTooManyServers.Finding(
			fmt.Sprintf("%s lists %d nameservers; %s are ignored.", c.Source, len(c.Servers), strings.Join(ignored, ", ")),
			map[string]any{"ignored": ignored}))
	}
	if c.NSSwitchHosts != "" && !nsswitchUsesDNS(c.NSSwitchHosts) {
		res.AddFinding(FindingNSSwitchNoDNS.Finding(
			fmt.Sprintf("nsswitch.conf has hosts: %s, without dns or resolve.", c.NSSwitchHosts),
			map[string]any{"hosts": c.NSSwitchHosts}))
	}
	if res.Summary == "" {
		res.Summary = configSummary(c)
	}
	return res
}

func configSummary(c *Config) string {
	var sv []string
	for _, s := range c.Servers {
		sv = append(sv, s.Addr().String())
	}
	s := fmt.Sprintf("%d server(s) from %s: %s", len(c.Servers), c.Source, strings.Join(sv, ", "))
	if len(sv) == 0 {
		s = "No server from " + c.Source
	}
	if c.Stub {
		var up []string
		for _, u := range c.Upstreams {
			up = append(up, u.Addr().String())
		}
		s += fmt.Sprintf(" (systemd-resolved stub; upstreams: %s)", strings.Join(up, ", "))
	}
	if len(c.Search) > 0 {
		s += "; search " + strings.Join(c.Search, " ")
	}
	return s + "."
}

func scopedServers(c *Config) []netip.AddrPort {
	var out []netip.AddrPort
	for _, l := range c.Scoped {
		out = append(out, l...)
	}
	return out
}

func appendNew(list []netip.AddrPort, more ...netip.AddrPort) []netip.AddrPort {
	for _, m := range more {
		found := false
		for _, x := range list {
			if x == m {
				found = true
			}
		}
		if !found {
			list = append(list, m)
		}
	}
	return list
}
