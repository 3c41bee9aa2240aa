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
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/netproxy"
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

var proxySpec = diag.Spec{
	ID: "net-proxy", Category: diag.CategoryNet, Phase: diag.PhaseDiscover,
	Finds: "the proxy configuration in effect (environment, Windows WinINET for the user, WinHTTP for services and SYSTEM, PAC evaluated per URL) and whether the proxy answers",
	Timeout: func(p *profile.Profile) diag.Duration {
		return diag.Duration(3*p.Net.Proxy.Timeout.D() + 500*time.Millisecond)
	},
	Findings: []diag.FindingSpec{FindingProxyConfigured, FindingProxyUnreachable, FindingProxyInvalid, FindingProxyPAC, FindingProxyPACFailed, FindingLocalError},
	Plan:     planProxy,
}

// planProxy plans one check of the proxy in effect for the URLs the run
// fetches.
func planProxy(in *diag.PlanInput) []diag.Instance {
	// The URLs the run fetches: each gets its own proxy choice.
	var urls []*url.URL
	if in.Targets != nil {
		urls = append(urls, in.Targets.HTTP...)
	}
	for _, t := range in.Profile.Net.HTTP.Targets {
		if u, err := target.ParseURL(t); err == nil {
			urls = append(urls, u)
		}
	}
	for _, c := range in.Profile.Net.HTTP.Connectivity {
		if u, err := target.ParseURL(c.URL); err == nil {
			urls = append(urls, u)
		}
	}
	return []diag.Instance{{Run: func(ctx context.Context, env *diag.Env) report.Result { return runProxy(ctx, env, urls) }}}
}

// pacHost lets a PAC script resolve names and learn this machine's
// address through the OS resolver, bounded by the script's deadline.
func pacHost(env *diag.Env) netproxy.Host {
	return netproxy.Host{
		Resolve: netproxy.ResolveIPv4,
		MyIP: func() string {
			addrs, _ := diag.GetFact(env.Facts, diag.FactLocalAddrs)
			for _, a := range addrs {
				if a.Is4() && !a.IsLoopback() && !a.IsLinkLocalUnicast() {
					return a.String()
				}
			}
			return ""
		},
	}
}

func runProxy(ctx context.Context, env *diag.Env, urls []*url.URL) report.Result {
	var res report.Result
	settings, invalid := envProxies()
	pctx, cancel := within(ctx, env.Profile.Net.Proxy.Timeout.D())
	chooser := netproxy.Discover(pctx, pacHost(env))
	cancel()
	osSettings, osInvalid := osProxies(chooser.OS)
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
	eff := chooser.Effective()
	if np := httpproxy.FromEnvironment().NoProxy; np != "" {
		res.SetDetail("no_proxy", np)
	} else if eff != nil && len(eff.Bypass) > 0 {
		res.SetDetail("no_proxy", strings.Join(eff.Bypass, ";"))
	}
	if chooser.OS.Applies != "" {
		res.SetDetail("os_settings_apply", chooser.OS.Applies)
		res.SetDetail("os_settings_why", chooser.OS.Why)
	}
	for _, e := range chooser.OS.Errors {
		res.Degraded = true
		res.SetDetail("os_settings_error", e)
	}
	// The proxy an https://… request uses when no script decides, for
	// the http check and triage.
	var effective string
	if eff != nil {
		for _, k := range []string{"https", "all"} {
			if p := eff.Proxies[k]; p != nil && effective == "" {
				effective = p.Redacted()
			}
		}
	}
	diag.SetFact(env.Facts, diag.FactProxy, effective)
	diag.SetFact(env.Facts, diag.FactProxyChooser, chooser)
	choosePerURL(ctx, &res, env, chooser, urls)

	// Each distinct proxy endpoint once: does it accept connections?
	seen := map[string]bool{}
	var names []string
	for _, s := range settings {
		if s.Scheme == "pac" {
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

// choosePerURL reports which proxy each URL of the run uses and why (the
// bypass entry, the scheme's entry, the PAC answer), and a PAC script
// that could not be fetched or run.
func choosePerURL(ctx context.Context, res *report.Result, env *diag.Env, chooser *netproxy.Chooser, urls []*url.URL) {
	eff := chooser.Effective()
	if eff == nil {
		return
	}
	if eff.PACURL != "" {
		ev := map[string]any{"source": eff.Source, "url": eff.PACURL}
		switch {
		case chooser.PACError != nil:
			ev["error"] = diag.ErrText(chooser.PACError)
			res.AddFinding(FindingProxyPACFailed.Finding(fmt.Sprintf("The proxy auto-config script %s could not be used: %s.", eff.PACURL, diag.ErrText(chooser.PACError)), ev))
		default:
			res.AddFinding(FindingProxyPAC.Finding(fmt.Sprintf("Proxy auto-configuration from %s (%s) is evaluated for each URL.", eff.PACURL, eff.Source), ev))
		}
	}
	if eff.AutoDetect && eff.PACURL == "" {
		res.AddFinding(FindingProxyPAC.Finding(fmt.Sprintf("Automatic proxy detection (WPAD) is on (%s); l2diag does not run WPAD discovery, so URLs are judged without it.", eff.Source),
			map[string]any{"source": eff.Source}))
	}
	var per []map[string]any
	for _, u := range urls {
		c, err := chooser.ForURL(ctx, u)
		m := map[string]any{"url": u.Redacted(), "proxy": c.ProxyText, "reason": c.Reason, "source": c.Source}
		if err != nil {
			m["error"] = diag.ErrText(err)
			if !hasCode(res, FindingProxyPACFailed.Code) {
				res.AddFinding(FindingProxyPACFailed.Finding(fmt.Sprintf("The proxy auto-config script failed for %s: %s; %s is used instead.", u.Redacted(), diag.ErrText(err), c.ProxyText),
					map[string]any{"source": eff.Source, "url": eff.PACURL, "error": diag.ErrText(err)}))
			}
		}
		per = append(per, m)
	}
	if len(per) > 0 {
		res.SetDetail("per_url", per)
	}
}

func hasCode(res *report.Result, code string) bool {
	for _, f := range res.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

// osProxies lists the OS settings that apply for details.settings, with
// the sources and schemes earlier versions showed.
func osProxies(o netproxy.OSSettings) (ok, invalid []proxySetting) {
	s := o.Effective()
	if s == nil {
		return nil, nil
	}
	prefix := "windows:"
	server := "ProxyServer"
	if s.Source == "winhttp" {
		prefix, server = "windows:winhttp:", "WinHttpSettings"
	}
	if s.PACURL != "" {
		ok = append(ok, proxySetting{Source: prefix + "AutoConfigURL", Scheme: "pac", Value: s.PACURL})
	}
	if s.AutoDetect {
		ok = append(ok, proxySetting{Source: prefix + "AutoDetect", Scheme: "pac", Value: "WPAD (automatic detection)"})
	}
	for _, scheme := range []string{"all", "http", "https", "socks"} {
		if u := s.Proxies[scheme]; u != nil {
			ok = append(ok, proxySetting{Source: prefix + server, Scheme: scheme, Value: u.Redacted(), url: u})
		}
	}
	for _, v := range s.Invalid {
		invalid = append(invalid, proxySetting{Source: prefix + server, Scheme: "all", Value: redactRaw(v)})
	}
	return ok, invalid
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
		if isLocal(err) {
			res.AddFinding(FindingLocalError.Finding(fmt.Sprintf("This machine could not look up the proxy %s (from %s): %s.", s.url.Redacted(), s.Source, rootCause(err)), ev))
			return
		}
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
	ev["connect_ms"] = diag.Millis(el)
	res.SetMetric("proxy_connect_ms", diag.Millis(el))
	res.AddFinding(FindingProxyConfigured.Finding(fmt.Sprintf("The proxy %s (from %s) accepts connections (%.1f ms).", s.url.Redacted(), s.Source, diag.Millis(el)), ev))
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
func parseProxy(v string) *url.URL { return netproxy.ParseProxy(v) }

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
