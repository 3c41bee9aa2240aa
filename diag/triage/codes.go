package triage

// The finding codes the rules read. They are copies of the category
// packages' codes (kept as strings so triage does not break while a
// category is being edited); TestCodesRegistered fails when one of them is
// no longer emitted by any check, so a rename cannot pass silently.
const (
	// net: link, address, gateway
	codeNoInterface    = "net.no-interface-up"
	codeLinkLocalOnly  = "net.link-local-only"
	codeIfaceErrors    = "net.interface-errors"
	codeNoDefaultRoute = "net.no-default-route"
	codeGatewayDown    = "net.gateway-no-answer"

	// net: reachability
	codePingNoAnswer    = "net.ping-no-answer"
	codePingNoRoute     = "net.ping-no-route"
	codePingLoss        = "net.ping-loss"
	codePingSlow        = "net.ping-slow"
	codePingTCPNoAnswer = "net.ping-tcp-no-answer"
	codeNoResolve       = "net.no-resolve"
	codeTCPOpen         = "net.tcp-open"
	codeTCPRefused      = "net.tcp-refused"
	codeTCPFiltered     = "net.tcp-filtered"
	codeTCPUnreachable  = "net.tcp-unreachable"
	codeTCPSlow         = "net.tcp-slow"
	codeTraceStops      = "net.trace-stops"
	codeTraceReached    = "net.trace-reached"
	codeTraceLossFrom   = "net.trace-loss-from-hop"
	codeMTUBlackhole    = "net.mtu-blackhole"

	// net: HTTP, TLS, proxy
	codeHTTPOK          = "net.http-ok"
	codeHTTP5xx         = "net.http-5xx"
	codeHTTP4xx         = "net.http-4xx"
	codeHTTPProxyAuth   = "net.http-proxy-auth"
	codeHTTPConnect     = "net.http-connect-failed"
	codeHTTPTimeout     = "net.http-timeout"
	codeHTTPSlow        = "net.http-slow"
	codeHTTPMalformed   = "net.http-malformed-answer"
	codeHTTPRedirLoop   = "net.http-redirect-loop"
	codeHTTPRedirMany   = "net.http-too-many-redirects"
	codeCaptivePortal   = "net.captive-portal"
	codeNoInternet      = "net.no-internet"
	codeTLSExpired      = "net.tls-expired"
	codeTLSExpiring     = "net.tls-expiring-soon"
	codeTLSNameMismatch = "net.tls-name-mismatch"
	codeTLSUnknownCA    = "net.tls-unknown-authority"
	codeTLSHandshake    = "net.tls-handshake-failed"
	codeProxyDown       = "net.proxy-unreachable"
	codeProxyInvalid    = "net.proxy-invalid"
	codeProxyPACFailed  = "net.proxy-pac-failed"

	// runner
	codeCheckTimeout = "check.timeout"

	// this machine refused the socket (diag/internal/sockerr)
	codeNetLocalError  = "net.local-error"
	codeDNSLocalError  = "dns.local-error"
	codeHostLocalError = "host.local-error"

	// host
	codeDiskFilling      = "host.disk-filling"
	codeDiskFull         = "host.disk-full"
	codeInodesLow        = "host.inodes-low"
	codeInodesExhausted  = "host.inodes-exhausted"
	codeDiskReadOnly     = "host.disk-readonly"
	codeDiskMissing      = "host.disk-missing"
	codeDiskUnresponsive = "host.disk-unresponsive"
	codeOSStalled        = "host.os-query-stalled"
	codePathStalled      = "perm.path-stalled"
	codeMemoryLow        = "host.memory-low"
	codeMemoryCritical   = "host.memory-critical"
	codeSwapHeavy        = "host.swap-heavy"
	codeMemoryHog        = "host.process-memory-hog"
	codeCPUBusy          = "host.cpu-busy"
	codeLoadHigh         = "host.load-high"
	codeZombies          = "host.zombies"
	codeClockSkew        = "host.clock-skew"
	codeClockSkewSevere  = "host.clock-skew-severe"
	codeClockUnsynced    = "host.clock-unsynchronized"
	codeNTPUnreachable   = "host.ntp-unreachable"
	codeNTPServerDown    = "host.ntp-server-unreachable"
	codeNTPServerUnsync  = "host.ntp-server-unsynchronized"
	codeServiceFailed    = "host.service-failed"
	codeServiceCritical  = "host.service-failed-critical"
	codeUptimeLong       = "host.uptime-long"
	codeRebootPending    = "host.reboot-pending"

	// perm
	codeNoICMP          = "perm.identity-no-icmp"
	codePathDenied      = "perm.path-denied"
	codePathACLDenied   = "perm.path-acl-denied"
	codePathMissing     = "perm.path-missing"
	codePathReadOnly    = "perm.path-readonly"
	codePathImmutable   = "perm.path-immutable"
	codePathMAC         = "perm.path-mac-denied"
	codePathUnexplained = "perm.path-denied-unexplained"
)

// dns
const (
	codeDNSConfigUnreadable = "dns.config-unreadable"
	codeDNSConfigMalformed  = "dns.config-malformed"
	codeDNSNoServer         = "dns.no-server"
	codeDNSStubNoUpstream   = "dns.stub-no-upstream"
	codeDNSTooMany          = "dns.too-many-servers"
	codeDNSNSSwitch         = "dns.nsswitch-no-dns"
	codeDNSServerDown       = "dns.server-timeout"
	codeDNSServerRejects    = "dns.server-unreachable"
	codeDNSRefused          = "dns.server-refused"
	codeDNSTCPBlocked       = "dns.tcp-blocked"
	codeDNSUDPBlocked       = "dns.udp-blocked"
	codeDNSServerSlow       = "dns.server-slow"
	codeDNSNXDomain         = "dns.nxdomain"
	codeDNSServfail         = "dns.servfail"
	codeDNSSEC              = "dns.dnssec-failed"
	codeDNSEmpty            = "dns.no-data"
	codeDNSTimeout          = "dns.query-timeout"
	codeDNSQueryRefused     = "dns.query-refused"
	codeDNSMalformed        = "dns.malformed-answer"
	codeDNSTCPFallback      = "dns.tcp-fallback-failed"
	codeDNSHostsOverride    = "dns.hosts-override"
	codeDNSSystemDiffers    = "dns.system-differs"
	codeDNSSystemFailed     = "dns.system-failed"
	codeDNSDisagree         = "dns.servers-disagree"
	codeDNSHijack           = "dns.nxdomain-hijack"
	codeDNSSearchUnresolved = "dns.search-unresolved"
	codeDNSSearchUnexpected = "dns.search-unexpected"
	codeDNSPTRMismatch      = "dns.ptr-mismatch"
	codeDNSUnexpected       = "dns.unexpected-answer"
	codeDNSSystemUnexpected = "dns.system-unexpected-answer"
)

// perm: sudo, keys, temp
const (
	codeSudoTimeout       = "perm.sudo-timeout"
	codeSudoHostname      = "perm.sudo-unresolvable-host"
	codeSudoBroken        = "perm.sudo-broken"
	codeKeyExposed        = "perm.key-exposed"
	codeKeyUnreadable     = "perm.key-unreadable"
	codeSSHStrictModes    = "perm.ssh-strictmodes"
	codeCredentialExposed = "perm.credential-exposed"
	codeTempMissing       = "perm.temp-missing"
	codeTempNotWritable   = "perm.temp-not-writable"
	codeTempNoSticky      = "perm.temp-no-sticky"
	codeTempLowSpace      = "perm.temp-low-space"
)

// The org category's codes (diag/org).
const (
	codeOrgDCNotFound    = "org.dc-not-found"
	codeOrgSRVPartial    = "org.dc-srv-inconsistent"
	codeOrgDCUnreachable = "org.dc-unreachable"
	codeOrgDCPortBlocked = "org.dc-port-blocked"
	codeOrgDCOutsideVPN  = "org.dc-outside-vpn"
	codeOrgDCClockSkew   = "org.dc-clock-skew"
	codeOrgVPNDNSOutside = "org.vpn-dns-outside"
	codeOrgWifiWeak      = "org.wifi-weak-signal"
	codeOrgWifiWrongNet  = "org.wifi-wrong-network"
	codeOrgLocalError    = "org.local-error"
	codeOrgTGTExpired    = "org.kerberos-tgt-expired"
	codeOrgDCPingSilent  = "org.dc-ldap-ping-silent"
	codeOrgNoClientSite  = "org.dc-no-client-site"
	codeOrgDCNotInSite   = "org.dc-not-in-site"
)
