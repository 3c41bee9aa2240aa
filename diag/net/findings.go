package netcheck

import (
	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// Interface findings.
var (
	FindingNoInterface = diag.FindingSpec{
		Code: "net.no-interface-up", Status: report.StatusFail,
		Meaning: "No network interface besides loopback is up with an address.",
		Hint:    "Plug in the cable or join the Wi-Fi, and check the adapter is enabled (Linux: ip link; Windows: ncpa.cpl).",
	}
	FindingLinkLocalOnly = diag.FindingSpec{
		Code: "net.link-local-only", Status: report.StatusFail,
		Meaning: "An interface that is up has only a link-local (APIPA 169.254.x.x) IPv4 address: DHCP got no answer.",
		Hint:    "Renew the DHCP lease (Windows: ipconfig /renew; Linux: dhclient -v IFACE or nmcli device reapply IFACE); if it fails again, check the switch port/VLAN and the DHCP server.",
	}
	FindingIfaceErrors = diag.FindingSpec{
		Code: "net.interface-errors", Status: report.StatusWarn,
		Meaning: "An interface's error or drop counters rose while l2diag watched them.",
		Hint:    "Check the cable, the switch port and duplex settings (Linux: ethtool -S IFACE; Windows: Get-NetAdapterStatistics); on Wi-Fi, the signal.",
	}
)

// Gateway findings.
var (
	FindingNoDefaultRoute = diag.FindingSpec{
		Code: "net.no-default-route", Status: report.StatusFail,
		Meaning: "There is no default route: nothing outside the local subnets is reachable.",
		Hint:    "Renew the DHCP lease or set a gateway (Linux: ip route add default via GATEWAY; Windows: route print, ipconfig /renew).",
	}
	FindingGatewayDown = diag.FindingSpec{
		Code: "net.gateway-no-answer", Status: report.StatusFail,
		Meaning: "The default gateway did not answer any ping.",
		Hint:    "Check the link to the router/firewall (cable, Wi-Fi, VLAN); some gateways refuse ping, so compare with a TCP target behind it before escalating to the network team.",
	}
)

// Ping findings.
var (
	FindingPingNoAnswer = diag.FindingSpec{
		Code: "net.ping-no-answer", Status: report.StatusFail,
		Meaning: "The host answered none of the echo requests (100% loss).",
		Hint:    "The host is down, or a firewall drops ICMP on the way; see the trace result for where the path stops, and try a TCP port it serves.",
	}
	FindingPingNoRoute = diag.FindingSpec{
		Code: "net.ping-no-route", Status: report.StatusFail,
		Meaning: "The operating system has no route to the host (network or host unreachable): nothing was sent.",
		Hint:    "Check the default route and the VPN (Linux: ip route get ADDRESS; Windows: route print).",
	}
	FindingPingLoss = diag.FindingSpec{
		Code: "net.ping-loss", Status: report.StatusWarn,
		Meaning: "Echo requests get lost: a sequential test over up to 100 echoes judged the loss above the profile's loss_warn_pct, counting its uncertainty (the evidence gives the estimate, its 95% interval and how many of how many were lost).",
		Hint:    "Loss on the gateway points at the local link (cable, Wi-Fi signal, duplex); loss only further away points at the provider or WAN link.",
	}
	FindingPingSlow = diag.FindingSpec{
		Code: "net.ping-slow", Status: report.StatusWarn,
		Meaning: "The average round trip is above the profile's rtt_warn.",
		Hint:    "Compare with the gateway's round trip: slow already there means a congested local link or Wi-Fi; slow only far away means the WAN or VPN.",
	}
	FindingPingUnprivileged = diag.FindingSpec{
		Code: "net.ping-unprivileged", Status: report.StatusOK,
		Meaning: "ICMP echo is not permitted for this user, so reachability was measured with timed TCP connects (the result is degraded).",
		Hint:    "Allow unprivileged ping (Linux: sysctl -w net.ipv4.ping_group_range=\"0 2147483647\") or give l2diag CAP_NET_RAW (setcap cap_net_raw+ep $(command -v l2diag)), or run it as root/administrator.",
	}
	FindingPingRateLimited = diag.FindingSpec{
		Code: "net.ping-rate-limited", Status: report.StatusOK,
		Meaning: "Echo replies were missing at full rate (100/s) but not at a slower rate: the target limits how fast it answers ping (control-plane policing on a router, a firewall rule), which is not packet loss.",
		Hint:    "Nothing to fix on the path; judge loss from targets behind this one, or from a slower ping (ping -i 0.5).",
	}
	FindingPingTCPNoAnswer = diag.FindingSpec{
		Code: "net.ping-tcp-no-answer", Status: report.StatusWarn,
		Meaning: "Without ICMP, none of the fallback TCP ports answered before the timeout; the host may be down or may drop these ports.",
		Hint:    "Run l2diag with ping permission (see net.ping-unprivileged) to tell a down host from a filtering one.",
	}
	FindingNoResolve = diag.FindingSpec{
		Code: "net.no-resolve", Status: report.StatusFail,
		Meaning: "The host name does not resolve to any address.",
		Hint:    "Check the name's spelling and the DNS results in the dns category; on a VPN, check the VPN's DNS servers are in use.",
	}
)

// TCP findings.
var (
	FindingTCPOpen = diag.FindingSpec{
		Code: "net.tcp-open", Status: report.StatusOK,
		Meaning:  "The TCP connect succeeded: something listens and the path is open.",
		Hint:     "Nothing to do at the network layer; if the application still fails, look at the service itself (http check, its logs).",
		Evidence: tcpEvidence,
	}
	FindingTCPRefused = diag.FindingSpec{
		Code: "net.tcp-refused", Status: report.StatusFail,
		Meaning:  "The host answered but refused the connection: nothing listens on that port (or a firewall sends resets).",
		Hint:     "Check the service runs and listens on this port and address (Linux: ss -ltnp; Windows: netstat -ano | findstr LISTEN).",
		Evidence: tcpEvidence,
	}
	FindingTCPFiltered = diag.FindingSpec{
		Code: "net.tcp-filtered", Status: report.StatusFail,
		Meaning:  "No answer before the timeout: a firewall on the way silently drops the connection (or the host is off).",
		Hint:     "Ask the firewall owner to allow this port from this machine's address; the trace result shows the last hop that answered.",
		Evidence: tcpEvidence,
	}
	FindingLocalError = diag.FindingSpec{
		Code: "net.local-error", Status: report.StatusError,
		Meaning: "This machine could not make the connection attempt at all (no socket, a socket option the OS refuses, no buffers or descriptors): an error of this computer or of its network stack, not of the network or the server.",
		Hint:    "Check this machine's network stack: security software that hooks sockets (Windows: netsh winsock show catalog; netsh winsock reset and a reboot repair it), the descriptor limit (ulimit -n), then run l2diag again.",
	}
	FindingTCPUnreachable = diag.FindingSpec{
		Code: "net.tcp-unreachable", Status: report.StatusFail,
		Meaning:  "The host or network is unreachable: no route, no ARP/ND answer on the local subnet, or a router reported it unreachable.",
		Hint:     "Check the address is right and the host is powered and connected; for remote hosts, check routes and VPN (ip route get ADDRESS; tracert on Windows).",
		Evidence: tcpEvidence,
	}
	FindingTCPSlow = diag.FindingSpec{
		Code: "net.tcp-slow", Status: report.StatusWarn,
		Meaning: "The TCP connect took longer than the profile's connect_warn.",
		Hint:    "Compare with ping round trips to the same host; a slow connect with fast pings points at an overloaded service or a SYN-inspecting firewall.",
	}
)

// HTTP and TLS findings.
var (
	FindingHTTPOK = diag.FindingSpec{
		Code: "net.http-ok", Status: report.StatusOK,
		Meaning: "The URL answered with a non-error status.",
		Hint:    "Nothing to do at the network layer.",
	}
	FindingHTTPServerError = diag.FindingSpec{
		Code: "net.http-5xx", Status: report.StatusFail,
		Meaning: "The server (or a gateway/proxy in front of it) answered with a 5xx server error.",
		Hint:    "The network path works; the service behind the URL is failing: escalate to its owner with the status and time (a 502/504 often means the backend behind a load balancer is down).",
	}
	FindingHTTPProxyAuth = diag.FindingSpec{
		Code: "net.http-proxy-auth", Status: report.StatusFail,
		Meaning: "The proxy demands authentication (407 Proxy Authentication Required).",
		Hint:    "Configure proxy credentials for this user (the proxy's realm is in the evidence) or ask for the machine to be exempted; check the user's proxy password has not expired.",
	}
	FindingHTTPClientError = diag.FindingSpec{
		Code: "net.http-4xx", Status: report.StatusWarn,
		Meaning: "The server answered with a 4xx client error (not found, forbidden, ...).",
		Hint:    "The network path works; check the URL and the user's access rights to it.",
	}
	FindingHTTPConnect = diag.FindingSpec{
		Code: "net.http-connect-failed", Status: report.StatusFail,
		Meaning: "The HTTP(S) connection could not be made (refused, filtered, unreachable); the reason is in the evidence.",
		Hint:    "See the tcp result for the same host and port, and the proxy result when a proxy is configured.",
	}
	FindingHTTPMalformed = diag.FindingSpec{
		Code: "net.http-malformed-answer", Status: report.StatusFail,
		Meaning: "The server (or a device in between) answered, but not with valid HTTP: a status line or header that does not parse, or a header larger than 256 KiB.",
		Hint:    "The port answers with another protocol or a broken server: check what listens there (`curl -v`), and whether a proxy or inspection device rewrites the answer.",
	}
	FindingHTTPRedirectLoop = diag.FindingSpec{
		Code: "net.http-redirect-loop", Status: report.StatusFail,
		Meaning: "The site redirects in a loop: a URL of the chain comes back, so no browser ever gets the page.",
		Hint:    "Usually the site's own configuration (HTTP↔HTTPS or www rules fighting) or a login/SSO cookie that is not kept: try in a private window, then hand the chain in the evidence to the site's owner.",
	}
	FindingHTTPTooManyRedirects = diag.FindingSpec{
		Code: "net.http-too-many-redirects", Status: report.StatusWarn,
		Meaning: "The redirect chain was still going at the profile's max_redirects; the page itself was never fetched.",
		Hint:    "Raise net.http.max_redirects in the profile if the chain is legitimate, or hand the chain in the evidence to the site's owner.",
	}
	FindingHTTPTimeout = diag.FindingSpec{
		Code: "net.http-timeout", Status: report.StatusFail,
		Meaning: "The server did not answer before the timeout; the phase that hung is in the evidence.",
		Hint:    "A hang after connect points at an overloaded server or an intercepting device; a hang in connect at a firewall dropping the port.",
	}
	FindingHTTPSlow = diag.FindingSpec{
		Code: "net.http-slow", Status: report.StatusWarn,
		Meaning: "The fetch took longer than the profile's slow_warn; the phase timings show where the time went.",
		Hint:    "Slow dns points at the resolver, slow connect at the path, slow first byte at the server.",
	}
	FindingCaptivePortal = diag.FindingSpec{
		Code: "net.captive-portal", Status: report.StatusFail,
		Meaning: "A connectivity-check URL answered with something other than its known answer: a captive portal (hotel, guest Wi-Fi) or an intercepting proxy.",
		Hint:    "Open a browser to http://neverssl.com or the URL in the evidence and complete the portal's login; on a corporate network, check the proxy's block page.",
	}
	FindingNoInternet = diag.FindingSpec{
		Code: "net.no-internet", Status: report.StatusFail,
		Meaning: "A well-known internet connectivity endpoint could not be reached: this machine has no internet access (the reason is in the evidence).",
		Hint:    "Check the gateway and default route results first; if the local network works, the firewall, proxy or provider blocks the way out.",
	}
	FindingTLSExpired = diag.FindingSpec{
		Code: "net.tls-expired", Status: report.StatusFail,
		Meaning: "The server's certificate has expired (or is not valid yet: check this machine's clock).",
		Hint:    "Renew the certificate on the server; if it is not expired by the calendar, fix this machine's clock (timedatectl; w32tm /resync).",
	}
	FindingTLSExpiring = diag.FindingSpec{
		Code: "net.tls-expiring-soon", Status: report.StatusWarn,
		Meaning: "The server's certificate expires within the profile's cert_expiry_warn.",
		Hint:    "Tell the service owner to renew the certificate before the date in the evidence.",
	}
	FindingTLSNameMismatch = diag.FindingSpec{
		Code: "net.tls-name-mismatch", Status: report.StatusFail,
		Meaning: "The server's certificate is not valid for the host name in the URL.",
		Hint:    "Use a name listed in the certificate's SANs (in the evidence), or have the certificate reissued with this name.",
	}
	FindingTLSUnknownAuthority = diag.FindingSpec{
		Code: "net.tls-unknown-authority", Status: report.StatusFail,
		Meaning: "The certificate chain ends at an issuer this machine does not trust; a corporate TLS-inspecting proxy is the usual cause.",
		Hint:    "If the issuer named is your company's inspection CA, install that CA in the system trust store; otherwise treat it as interception and do not proceed.",
	}
	FindingTLSHandshake = diag.FindingSpec{
		Code: "net.tls-handshake-failed", Status: report.StatusFail,
		Meaning: "The TLS handshake failed for another reason (protocol version, cipher, reset during handshake).",
		Hint:    "Compare with `openssl s_client -connect HOST:PORT -servername HOST`; an intercepting device or an outdated server are the usual causes.",
	}
)

// Proxy findings.
var (
	FindingProxyConfigured = diag.FindingSpec{
		Code: "net.proxy-configured", Status: report.StatusOK,
		Meaning: "A proxy is configured and answers on its port; HTTP(S) traffic goes through it.",
		Hint:    "When web access fails, test the same URL with and without the proxy.",
	}
	FindingProxyUnreachable = diag.FindingSpec{
		Code: "net.proxy-unreachable", Status: report.StatusFail,
		Meaning: "The configured proxy does not accept connections: every HTTP(S) request through it fails.",
		Hint:    "Check the proxy host and port in the evidence, or remove the stale setting (environment HTTPS_PROXY/HTTP_PROXY; Windows: Settings > Network > Proxy).",
	}
	FindingProxyInvalid = diag.FindingSpec{
		Code: "net.proxy-invalid", Status: report.StatusWarn,
		Meaning: "A proxy setting is present but cannot be parsed as a proxy URL.",
		Hint:    "Set it as http://HOST:PORT (the variable and its value are in the evidence).",
	}
	FindingProxyPAC = diag.FindingSpec{
		Code: "net.proxy-pac", Status: report.StatusOK,
		Meaning: "A proxy auto-configuration script (PAC) is set; l2diag fetches it and evaluates it for each URL of the run (details.per_url says which proxy each uses and why). WPAD discovery itself is not run.",
		Hint:    "Fetch the PAC URL in the evidence to see the rules, or test the URL in a browser.",
	}
	FindingProxyPACFailed = diag.FindingSpec{
		Code: "net.proxy-pac-failed", Status: report.StatusWarn,
		Meaning: "The proxy auto-configuration script could not be fetched, does not compile, or failed for a URL: browsers then fall back to the fixed proxy or go direct, which may be blocked.",
		Hint:    "Open the PAC URL in the evidence from this machine (it must be reachable without the proxy); fix the script's error, or the AutoConfigURL in Internet Options / the GPO that sets it.",
	}
)

// Trace findings.
var (
	FindingTraceLastHop = diag.FindingSpec{
		Code: "net.trace-stops", Status: report.StatusWarn,
		Meaning:  "The path trace did not reach the target; the last hop that answered is in the message and evidence.",
		Hint:     "The problem lies just after the last answering hop: give its address to the team owning that router or firewall.",
		Evidence: traceEvidence,
	}
	FindingTraceReached = diag.FindingSpec{
		Code: "net.trace-reached", Status: report.StatusOK,
		Meaning: "The path trace reached the target, so routing works; the failure is on the target itself (port, service or ICMP policy).",
		Hint:    "Look at the target host's firewall and service rather than the network path.",
	}
	FindingTraceLossFrom = diag.FindingSpec{
		Code: "net.trace-loss-from-hop", Status: report.StatusWarn,
		Meaning: "Echoes to the hops of a lossy path place the loss: it starts at the hop named (or at the destination) and persists to the destination, while the hops before it answer without loss.",
		Hint:    "Give the network team the link into the hop named (the hop before it and the hop itself are in the evidence); loss already at the first hop is the local link (cable, Wi-Fi, switch port).",
	}
	FindingTraceUnprivileged = diag.FindingSpec{
		Code: "net.trace-unprivileged", Status: report.StatusSkipped,
		Meaning: "The trace needs raw ICMP sockets, Linux IP_RECVERR or Windows' ICMP helper API, and none of them can see the routers on the way here: not allowed for this user, or (under wine without CAP_NET_RAW) ICMP that never receives the routers' replies.",
		Hint:    "Run l2diag as root/administrator, or give it CAP_NET_RAW (setcap cap_net_raw+ep $(command -v l2diag)).",
	}
)

// MTU findings.
var (
	FindingMTUBlackhole = diag.FindingSpec{
		Code: "net.mtu-blackhole", Status: report.StatusFail,
		Meaning:  "Large packets to the target are dropped without the ICMP \"fragmentation needed\" that path MTU discovery relies on: connections open, then hang on big transfers (TLS handshakes, file copies).",
		Hint:     "Lower the MTU of the VPN/tunnel interface to the path MTU in the evidence (Linux: ip link set dev IFACE mtu N; Windows: netsh interface ipv4 set subinterface IFACE mtu=N), or clamp TCP MSS on the router, and let ICMP type 3 code 4 (IPv6: packet too big) through the firewalls.",
		Evidence: mtuEvidence,
	}
)

// Findings lists every finding code the network checks emit.
func Findings() []diag.FindingSpec {
	return diag.FindingsOf(Specs())
}

// tcpEvidence is what every TCP connect finding carries.
var tcpEvidence = []diag.EvidenceKey{
	{Name: "address", Meaning: "the address and port tried (ADDRESS:PORT)"},
	{Name: "family", Meaning: "ipv4 or ipv6"},
	{Name: "state", Meaning: "how the attempt ended: open, refused, filtered, unreachable, no-route, local-error or error"},
	{Name: "connect_ms", Meaning: "the connect time in milliseconds"},
	{Name: "error", Meaning: "the error, when the attempt failed"},
}

// traceEvidence is what a trace that stops carries.
var traceEvidence = []diag.EvidenceKey{
	{Name: "destination", Meaning: "the address traced to"},
	{Name: "path", Meaning: "the hops that answered, in order (A > B > C)"},
	{Name: "last_hop", Meaning: "the last hop that answered (empty: not even the first)"},
	{Name: "last_hop_ttl", Meaning: "its distance in hops"},
	{Name: "note", Meaning: "what the last hop reported, when it sent an ICMP error (network unreachable, ...)"},
}

// mtuEvidence is what a path MTU black hole carries.
var mtuEvidence = []diag.EvidenceKey{
	{Name: "address", Meaning: "the address probed"},
	{Name: "path_mtu", Meaning: "the largest packet size that got through, in bytes"},
	{Name: "lost_mtu", Meaning: "the largest size that vanished without an ICMP too big"},
}
