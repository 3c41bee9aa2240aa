package diag

import (
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// MarkBackground flags the results of the built-in profile's background
// probes (its public TCP anchor and connectivity URLs, the traces and
// probes that follow them, and the lookups of their names) that are not about a host the user named, on
// the command line or in the profile's own targets. Triage ranks a
// conclusion drawn only from them after those about the user's targets:
// the ticket's subject comes first. p is the effective profile; a profile
// that lists a built-in probe again keeps it as background.
func MarkBackground(results []report.Result, p *profile.Profile, t *Targets) {
	builtin := profile.Default()
	bg := map[string]bool{}
	for _, s := range builtin.Net.TCP.Targets {
		bg[targetHost(s)] = true
	}
	for _, c := range builtin.Net.HTTP.Connectivity {
		bg[targetHost(c.URL)] = true
	}
	named := func(s string) {
		if h := targetHost(s); h != "" {
			delete(bg, h)
		}
	}
	if t != nil {
		for _, s := range t.Ping {
			named(s)
		}
		for _, hp := range t.TCP {
			named(hp.String())
		}
		for _, u := range t.HTTP {
			named(u.String())
		}
	}
	if p != nil {
		own := func(list, builtinList []string) {
			for _, s := range list {
				if !slices.Contains(builtinList, s) {
					named(s)
				}
			}
		}
		own(p.Net.Ping.Targets, builtin.Net.Ping.Targets)
		own(p.Net.TCP.Targets, builtin.Net.TCP.Targets)
		own(p.Net.HTTP.Targets, builtin.Net.HTTP.Targets)
		own(p.Net.MTU.Targets, builtin.Net.MTU.Targets)
	}
	delete(bg, "")
	for i := range results {
		r := &results[i]
		if (r.Category == "net" || r.Category == "dns") && bg[targetHost(r.Target)] {
			r.Background = true
		}
	}
}

// targetHost returns the lower-case host of a target: a URL, HOST:PORT,
// [V6]:PORT or a bare host.
func targetHost(s string) string {
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil {
			return strings.ToLower(u.Hostname())
		}
		return ""
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		return strings.ToLower(h)
	}
	return strings.ToLower(strings.Trim(s, "[]"))
}
