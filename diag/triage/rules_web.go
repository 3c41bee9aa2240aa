package triage

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// Proxy, TLS and the service: the path works, so the failure is in what
// sits on it (a proxy, an intercepting device, a certificate) or in the
// service itself.

// webFailure explains HTTP-level failures (for a broken proxy).
var webFailure = codeIn(codeHTTPConnect, codeHTTPTimeout, codeNoInternet, codeCaptivePortal, codeHTTPSlow, codeTLSHandshake)

var specProxyDown = Spec{
	Code: "cause.proxy-unreachable", Layer: LayerProxyTLS, Status: report.StatusFail, Escalation: Network,
	Title:   "Proxy unreachable",
	Meaning: "The configured proxy does not accept connections, so every web request through it fails.",
	Causes:  []string{"a stale proxy setting (the proxy was replaced or is only reachable on the office network)", "the proxy service is down"},
	Fix:     "Check the proxy setting (environment HTTPS_PROXY/HTTP_PROXY; Windows: Settings > Network > Proxy); remove it if stale, otherwise give the network team the proxy's address.",
	Why:     "Drawn from net.proxy-unreachable; explains the HTTP failures (connect, timeout, no internet).",
}

func ruleProxyDown(v *View) []Match {
	found := v.Find(codeProxyDown)
	if len(found) == 0 {
		return nil
	}
	// The proxy check has no target: the proxy is in its evidence.
	var proxies []string
	for _, o := range found {
		if p := cmp.Or(o.Ev("proxy"), o.Ev("address"), o.Target); p != "" && !contains(proxies, p) {
			proxies = append(proxies, p)
		}
	}
	head := "The configured proxy does not accept connections, so every web request through it fails."
	if len(proxies) > 0 {
		head = fmt.Sprintf("The proxy %s %s connections, so every web request through it fails.", list(proxies), verb(proxies, "does not accept", "do not accept"))
	}
	return []Match{{Headline: head, Confidence: High, Evidence: found, Explains: webFailure}}
}

var specProxyCannotReach = Spec{
	Code: "cause.proxy-cannot-reach", Layer: LayerProxyTLS, Status: report.StatusFail, Escalation: Network,
	Title:   "The proxy cannot reach the site",
	Meaning: "Web requests go through a proxy that accepts connections, but the proxy cannot fetch the site for this machine: the failure lies beyond the proxy.",
	Causes:  []string{"an internal site sent to an internet proxy that cannot resolve or reach it (NO_PROXY lacks it)", "the proxy's own upstream or firewall blocks the site", "the proxy's policy denies the site"},
	Fix:     "For an internal site add it to NO_PROXY (and the browser's proxy bypass list); otherwise give the proxy team the URL and the proxy's error from the evidence.",
	Why:     "Drawn from net.http-connect-failed and net.http-timeout whose evidence names a proxy, when nothing says the proxy itself is down (cause.proxy-down explains those first); explains the web failures to the same hosts.",
}

func ruleProxyCannotReach(v *View) []Match {
	var found []Obs
	var proxies []string
	for _, o := range v.Find(codeHTTPConnect, codeHTTPTimeout) {
		if p := o.Ev("proxy"); p != "" && p != "none" {
			found = append(found, o)
			if !slices.Contains(proxies, p) {
				proxies = append(proxies, p)
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	hs := hosts(found)
	if len(hs) == 0 {
		hs = targets(found)
	}
	head := fmt.Sprintf("The proxy %s accepts connections but cannot reach %s: %s", list(proxies), list(hs), message(found))
	return []Match{{
		Headline: head, Confidence: Medium, Evidence: found,
		Explains: func(o Obs) bool { return webFailure(o) && sameHost(hs...)(o) },
	}}
}

var specProxyAuth = Spec{
	Code: "cause.proxy-auth", Layer: LayerProxyTLS, Status: report.StatusFail, Escalation: ResolveHere,
	Title:   "Proxy demands authentication",
	Meaning: "The proxy answers 407: it wants credentials this user or program does not send.",
	Causes:  []string{"the user's password changed or expired and the stored proxy credentials are stale", "a program that cannot do the proxy's authentication (NTLM/Kerberos)", "the machine is not in the group the proxy allows"},
	Fix:     "Configure proxy credentials for this user or program (the realm is in the evidence), or ask for the machine to be exempted.",
	Why:     "Drawn from net.http-proxy-auth; explains the other HTTP failures.",
}

func ruleProxyAuth(v *View) []Match {
	found := v.Find(codeHTTPProxyAuth)
	if len(found) == 0 {
		return nil
	}
	return []Match{{
		Headline:   "The proxy demands authentication (407) for " + list(targets(found)) + ".",
		Confidence: High, Evidence: found, Explains: webFailure,
	}}
}

var specProxyInvalid = Spec{
	Code: "cause.proxy-misconfigured", Layer: LayerProxyTLS, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "Proxy setting unusable",
	Meaning: "A proxy variable or setting is present but is not a proxy URL, or the proxy auto-config (PAC) script cannot be fetched or fails; programs ignore it, fail or fall back to another way out.",
	Causes:  []string{"a typo in HTTP_PROXY/HTTPS_PROXY", "a value without scheme or port", "a PAC URL that is unreachable without the proxy, or a script error"},
	Fix:     "Set it as http://HOST:PORT, or remove it; for a PAC script, open its URL from this machine and fix the script or the AutoConfigURL.",
	Why:     "Drawn from net.proxy-invalid and net.proxy-pac-failed.",
}

// interceptors are words in the issuer of well-known TLS-inspecting
// products: with them, an unknown authority is interception, not a private CA.
var interceptors = []string{"proxy", "inspect", "intercept", "zscaler", "fortinet", "fortigate", "palo alto", "bluecoat", "blue coat", "netskope", "sophos", "checkpoint", "check point", "forcepoint", "mitm", "websense", "cisco umbrella"}

var specTLSInterception = Spec{
	Code: "cause.tls-interception", Layer: LayerProxyTLS, Status: report.StatusFail, Escalation: Security,
	Title:   "TLS intercepted (unknown authority)",
	Meaning: "Servers present certificates issued by an authority this machine does not trust: a TLS-inspecting proxy re-signs the traffic, or the service uses a private CA this machine lacks.",
	Causes:  []string{"a corporate TLS-inspection proxy whose CA is not installed here", "a private CA of the service, not distributed to this machine", "an attacker intercepting traffic"},
	Fix:     "If the issuer in the evidence is the organisation's inspection CA, install that CA in the system trust store; if it is unknown, stop and report it to the security team.",
	Why:     "Drawn from net.tls-unknown-authority; high confidence of interception when several hosts show the same issuer or the issuer is a known inspection product. Explains the other TLS findings of those hosts.",
}

func ruleTLSInterception(v *View) []Match {
	found := v.Find(codeTLSUnknownCA)
	if len(found) == 0 {
		return nil
	}
	issuer := evOr(found, "issuer")
	hs := hosts(found)
	m := Match{Confidence: Medium, Evidence: found, Explains: func(o Obs) bool {
		return slices.Contains(hs, o.Host) && strings.HasPrefix(o.Code, "net.")
	}}
	known := false
	for _, w := range interceptors {
		if strings.Contains(strings.ToLower(issuer), w) {
			known = true
		}
	}
	by := ""
	if issuer != "" {
		by = " (issuer " + issuer + ")"
	}
	switch {
	case len(hs) > 1 || known:
		m.Confidence = High
		verb := "present"
		if len(hs) == 1 {
			verb = "presents"
		}
		m.Headline = fmt.Sprintf("HTTPS is intercepted: %s %s certificates from an authority this machine does not trust%s.", list(hs), verb, by)
	default:
		m.Headline = fmt.Sprintf("The certificate of %s is issued by an authority this machine does not trust%s: a TLS-inspecting proxy or a private CA.", list(hs), by)
	}
	return []Match{m}
}

var specCertExpired = Spec{
	Code: "cause.cert-expired", Layer: LayerProxyTLS, Status: report.StatusFail, Escalation: Application,
	Title:   "Certificate expired",
	Meaning: "A server's certificate has expired (with this machine's clock correct), so clients refuse the connection.",
	Causes:  []string{"the certificate was not renewed", "automatic renewal (ACME) failed", "the new certificate was installed but the service not reloaded"},
	Fix:     "Ask the service's owner to renew the certificate (the expiry date is in the evidence) and reload the service.",
	Why:     "Drawn from net.tls-expired when the clock is not skewed (cause.clock-skew is evaluated first and explains expiry findings).",
}

func ruleCertExpired(v *View) []Match {
	order, groups := byHost(v.Find(codeTLSExpired))
	var out []Match
	for _, h := range order {
		g := groups[h]
		when := evOr(g, "not_after")
		head := fmt.Sprintf("The certificate of %s has expired", h)
		if when != "" {
			head += " (" + when + ")"
		}
		out = append(out, Match{Headline: head + ".", Confidence: High, Evidence: g, Hosts: []string{h}, Explains: func(o Obs) bool {
			return o.Host == h && slices.Contains([]string{codeHTTPConnect, codeTLSHandshake, codeNoInternet}, o.Code)
		}})
	}
	return out
}

var specCertName = Spec{
	Code: "cause.cert-name-mismatch", Layer: LayerProxyTLS, Status: report.StatusFail, Escalation: Application,
	Title:   "Certificate name mismatch",
	Meaning: "A server's certificate is not valid for the name used to reach it.",
	Causes:  []string{"the service is reached by an alias not in the certificate", "a load balancer serving the wrong certificate (SNI)", "DNS points the name at the wrong server"},
	Fix:     "Use a name the certificate lists (its SANs are in the evidence), or ask the service's owner to reissue it with this name.",
	Why:     "Drawn from net.tls-name-mismatch.",
}

var specCertExpiring = Spec{
	Code: "cause.cert-expiring", Layer: LayerProxyTLS, Status: report.StatusWarn, Escalation: Application,
	Title:   "Certificate expires soon",
	Meaning: "A server's certificate expires within the profile's warning period.",
	Causes:  []string{"renewal not yet done or automatic renewal failing"},
	Fix:     "Tell the service's owner to renew it before the date in the evidence.",
	Why:     "Drawn from net.tls-expiring-soon.",
}

var specTLSHandshake = Spec{
	Code: "cause.tls-handshake", Layer: LayerProxyTLS, Status: report.StatusFail, Escalation: Application,
	Title:   "TLS handshake fails",
	Meaning: "The TLS handshake fails for a reason other than the certificate: protocol version, ciphers, or a device resetting the connection.",
	Causes:  []string{"an outdated server (TLS 1.0/1.1 only)", "an intercepting device that breaks the handshake", "a client certificate required"},
	Fix:     "Compare with openssl s_client -connect HOST:PORT -servername HOST, and give the service's owner the error from the evidence.",
	Why:     "Drawn from net.tls-handshake-failed.",
}

var specServiceError = Spec{
	Code: "cause.service-error", Layer: LayerService, Status: report.StatusFail, Escalation: Application,
	Title:   "Service failing (HTTP 5xx)",
	Meaning: "The network path and TLS work; the service answers with a server error.",
	Causes:  []string{"the application or its backend (database) is down", "a load balancer with no healthy backend (502/503/504)", "an overload"},
	Fix:     "Escalate to the service's owner with the URL, the status and the time of the run; nothing to fix on this machine.",
	Why:     "Drawn from net.http-5xx; the network is proven to work by the answer itself.",
}

func ruleServiceError(v *View) []Match {
	order, groups := byHost(v.Find(codeHTTP5xx))
	var out []Match
	for _, h := range order {
		g := groups[h]
		code := evOr(g, "status")
		what := "a server error"
		if code != "" {
			what = "HTTP " + code
		}
		out = append(out, Match{
			Headline:   fmt.Sprintf("%s answers with %s: the service fails, the network path works.", list(targets(g)), what),
			Confidence: High, Evidence: g, Explains: sameHost(h), Hosts: []string{h},
		})
	}
	return out
}

var specServiceHang = Spec{
	Code: "cause.service-timeout", Layer: LayerService, Status: report.StatusFail, Escalation: Application,
	Title:   "Service does not respond",
	Meaning: "The connection to the service is made but it sends no answer before the timeout.",
	Causes:  []string{"the application hangs or is overloaded", "a backend it waits on (database, another API) is slow or down", "an inspecting device holding the request"},
	Fix:     "Escalate to the service's owner with the URL and the phase timings in the evidence.",
	Why:     "Drawn from net.http-timeout when the host is proven up (its port opens or it answers otherwise); without that proof the timeout is part of cause.host-unreachable.",
}

func ruleServiceHang(v *View) []Match {
	order, groups := byHost(v.Find(codeHTTPTimeout))
	var out []Match
	for _, h := range order {
		g := groups[h]
		phase := evOr(g, "phase")
		up := hostAnswers(v, idents(g)...)
		if len(up) == 0 && (phase == "" || phase == "dns" || phase == "connect") {
			continue
		}
		out = append(out, Match{
			Headline:   fmt.Sprintf("%s accepts the connection but does not answer in time: the service hangs.", list(targets(g))),
			Confidence: Medium, Evidence: g, Cites: up, Explains: sameHost(h), Hosts: []string{h},
		})
	}
	return out
}

var specHTTPClient = Spec{
	Code: "cause.http-client-error", Layer: LayerService, Status: report.StatusWarn, Escalation: Application,
	Title:   "Request rejected (HTTP 4xx)",
	Meaning: "The service answers but rejects the request: not found, forbidden, unauthorised.",
	Causes:  []string{"a wrong URL (moved or renamed)", "the user lacks access rights", "a proxy's block page"},
	Fix:     "Check the URL and the user's rights with the service's owner.",
	Why:     "Drawn from net.http-4xx; low confidence, since a 4xx is often what the URL is meant to answer.",
}

var specHTTPBroken = Spec{
	Code: "cause.http-broken", Layer: LayerService, Status: report.StatusFail, Escalation: Application,
	Title:   "Site answers wrongly",
	Meaning: "The server answers, so the network path works, but never with a usable page: it redirects in a loop or too many times, or its answer is not valid HTTP.",
	Causes:  []string{"HTTP-to-HTTPS or www rules of the site fighting each other", "a login or SSO cookie that is not kept", "another protocol, or a broken server or inspection device, on the port"},
	Fix:     "Hand the site's owner the redirect chain or the answer from the evidence; for a redirect loop, try a private browser window first (a stale cookie).",
	Why:     "Drawn from net.http-redirect-loop, net.http-too-many-redirects and net.http-malformed-answer; these also prove the host answers.",
}

var httpBrokenCodes = []string{codeHTTPRedirLoop, codeHTTPRedirMany, codeHTTPMalformed}
