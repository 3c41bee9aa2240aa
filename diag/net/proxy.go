package netcheck

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// proxySetting is one proxy setting found, as shown in details.settings.
// Values are redacted: a proxy URL may carry a password.
type proxySetting struct {
	Source string `json:"source"` // "env:HTTPS_PROXY", "windows:ProxyServer", ...
	Scheme string `json:"scheme"` // which requests use it: http, https, all, pac
	Value  string `json:"value"`
	url    *url.URL
}

func proxySpec() diag.Spec {
	s := &diag.Spec{
		ID: "net-proxy", Category: diag.CategoryNet, Phase: diag.PhaseDiscover,
		Finds: "the proxy configuration in effect (environment, Windows settings, PAC/WPAD) and whether the proxy answers",
		Timeout: func(p *profile.Profile) diag.Duration {
			return diag.Duration(2*p.Net.Proxy.Timeout.D() + 500*time.Millisecond)
		},
	}
	s.Plan = func(*diag.PlanInput) []diag.Check { return []diag.Check{diag.New(s, "", runProxy)} }
	return *s
}

func runProxy(ctx context.Context, env *diag.Env) report.Result {
	var res report.Result
	settings, invalid := envProxies()
	osSettings, osInvalid, noProxy := osProxies(ctx)
	settings = append(settings, osSettings...)
	invalid = append(invalid, osInvalid...)
	for _, s := range invalid {
		res.AddFinding(FindingProxyInvalid.Finding(fmt.Sprintf("%s is set to %q, which is not a proxy URL.", s.Source, s.Value),
			map[string]any{"source": s.Source, "value": s.Value}))
	}
	shown := append(append([]proxySetting{}, settings...), invalid...)
	if shown == nil {
		shown = []proxySetting{}
	}
	res.SetDetail("settings", shown)
	if np := cmpOr(httpproxy.FromEnvironment().NoProxy, noProxy); np != "" {
		res.SetDetail("no_proxy", np)
	}
	// The proxy an https://… request uses, for the http check and triage.
	var effective string
	for _, s := range settings {
		if s.url != nil && (s.Scheme == "https" || s.Scheme == "all") && effective == "" {
			effective = s.url.Redacted()
		}
	}
	diag.SetFact(env.Facts, diag.FactProxy, effective)

	// Each distinct proxy endpoint once: does it accept connections?
	seen := map[string]bool{}
	var names []string
	for _, s := range settings {
		if s.Scheme == "pac" {
			res.AddFinding(FindingProxyPAC.Finding(fmt.Sprintf("Proxy auto-configuration is set (%s: %s); l2diag does not run PAC scripts.", s.Source, s.Value),
				map[string]any{"source": s.Source, "url": s.Value}))
			names = append(names, "PAC "+s.Value)
			continue
		}
		if s.url == nil || seen[s.url.Host] {
			continue
		}
		seen[s.url.Host] = true
		names = append(names, s.url.Redacted())
		if !env.Quiet { // --only without net: the setting is a fact, no probe
			probeProxy(ctx, &res, env.Profile.Net.Proxy, s)
		}
	}
	res.SetMetric("proxies", float64(len(seen)))
	switch {
	case len(names) == 0 && len(invalid) == 0:
		res.Summary = "No proxy configured: connections go direct."
	case len(names) == 0:
		res.Summary = "A proxy setting is present but unusable."
	default:
		res.Summary = "Proxy in effect: " + strings.Join(names, ", ") + "."
		for _, f := range res.Findings {
			if f.Code == FindingProxyUnreachable.Code {
				res.Summary = f.Message
			}
		}
	}
	return res
}

func probeProxy(ctx context.Context, res *report.Result, pp profile.NetProxy, s proxySetting) {
	host, port := s.url.Hostname(), s.url.Port()
	if port == "" {
		port = map[string]string{"https": "443", "socks5": "1080"}[s.url.Scheme]
		if port == "" {
			port = "80"
		}
	}
	ev := map[string]any{"source": s.Source, "proxy": s.url.Redacted()}
	rctx, cancel := within(ctx, pp.Timeout.D())
	addrs, err := resolve(rctx, host)
	cancel()
	if err != nil {
		ev["error"] = rootCause(err)
		res.AddFinding(FindingProxyUnreachable.Finding(fmt.Sprintf("The proxy %s (from %s) does not resolve.", s.url.Redacted(), s.Source), ev))
		return
	}
	p, _ := netip.ParseAddrPort(net.JoinHostPort(addrs[0].String(), port))
	st, el, err := dialTCP(ctx, p, pp.Timeout.D())
	ev["address"], ev["state"] = p.String(), string(st)
	if st != stateOpen {
		ev["error"] = rootCause(err)
		res.AddFinding(FindingProxyUnreachable.Finding(fmt.Sprintf("The proxy %s (from %s) does not accept connections: %s.", s.url.Redacted(), s.Source, rootCause(err)), ev))
		return
	}
	ev["connect_ms"] = ms(el)
	res.SetMetric("proxy_connect_ms", ms(el))
	res.AddFinding(FindingProxyConfigured.Finding(fmt.Sprintf("The proxy %s (from %s) accepts connections (%.1f ms).", s.url.Redacted(), s.Source, ms(el)), ev))
}

// envProxies reads the proxy variables Go programs, curl and most tools
// honour (either case; the upper-case one wins, as in httpproxy).
func envProxies() (ok, invalid []proxySetting) {
	vars := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY":
			if v != "" && (vars[strings.ToUpper(k)] == "" || k == strings.ToUpper(k)) {
				vars[strings.ToUpper(k)] = v
			}
		}
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		scheme := strings.ToLower(strings.TrimSuffix(k, "_PROXY"))
		s := proxySetting{Source: "env:" + k, Scheme: scheme}
		if u := parseProxy(vars[k]); u != nil {
			s.url, s.Value = u, u.Redacted()
			ok = append(ok, s)
		} else {
			s.Value = redactRaw(vars[k])
			invalid = append(invalid, s)
		}
	}
	return ok, invalid
}

// parseProxy parses a proxy value as httpproxy does: a bare host:port
// means http://host:port.
func parseProxy(v string) *url.URL {
	if !strings.Contains(v, "://") {
		v = "http://" + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Hostname() == "" {
		return nil
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
		return u
	}
	return nil
}

// redactRaw hides a password in a value that is not even a URL.
func redactRaw(v string) string {
	if i := strings.LastIndex(v, "@"); i >= 0 {
		if j := strings.Index(v, "://"); j >= 0 && j < i {
			return v[:j+3] + "***@" + v[i+1:]
		}
		return "***@" + v[i+1:]
	}
	return v
}
