package triage

import "fmt"

// rules is the table of triage rules, grouped by layer from the lowest up.
// Every rule sees every finding; the selection (select.go) decides which
// candidates stand, and the table's order only breaks ties between
// candidates that explain as much with the same confidence.
var rules = []Rule{
	// link and address
	// DHCP first: an interface with only a link-local address is also
	// reported as "no usable interface", a consequence.
	{Spec: specDHCPFailed, Uses: []string{codeLinkLocalOnly}, Match: ruleDHCPFailed},
	{Spec: specNoNetwork, Uses: []string{codeNoInterface}, Match: ruleNoNetwork},
	// gateway
	{Spec: specNoDefaultRoute, Uses: []string{codeNoDefaultRoute, codePingNoRoute, codeTCPUnreachable, codeNoInternet}, Match: ruleNoDefaultRoute},
	{Spec: specGatewayDown, Uses: []string{codeGatewayDown}, Match: ruleGatewayDown},
	{Spec: specGatewayNoPing, Uses: []string{codeGatewayDown}, Match: ruleGatewayNoPing},
	{Spec: specCaptivePortal, Uses: []string{codeCaptivePortal}, Match: ruleCaptivePortal},
	{Spec: specWifiWeak, Uses: []string{codeOrgWifiWeak}, Match: simple(Medium, message, codeOrgWifiWeak)},
	// DNS
	{Spec: specDNSNoServers, Uses: []string{codeDNSNoServer, codeDNSStubNoUpstream, codeDNSConfigUnreadable}, Match: ruleDNSNoServers},
	{Spec: specDNSAllDown, Uses: []string{codeDNSServerDown, codeDNSServerRejects, codeCheckTimeout}, Match: ruleDNSAllDown},
	{Spec: specDNSServerDown, Uses: []string{codeDNSServerDown, codeDNSServerRejects, codeCheckTimeout}, Match: ruleDNSServerDown},
	{Spec: specDNSHijack, Uses: []string{codeDNSHijack}, Match: ruleDNSHijack},
	{Spec: specDNSRefused, Uses: []string{codeDNSRefused}, Match: ruleDNSRefused},
	{Spec: specDNSSEC, Uses: []string{codeDNSSEC}, Match: ruleDNSSEC},
	{Spec: specHostsOverride, Uses: []string{codeDNSHostsOverride}, Match: ruleHostsOverride},
	{Spec: specDNSSystemBroken, Uses: []string{codeDNSNSSwitch, codeDNSSystemFailed}, Match: ruleDNSSystemBroken},
	// Before the disagreement and system-differs rules: a wrong answer
	// for a name with an expectation is the sharper reading of both.
	{Spec: specDNSWrongAnswer, Uses: []string{codeDNSUnexpected, codeDNSSystemUnexpected}, Match: ruleDNSWrongAnswer},
	{Spec: specDNSUDPBlocked, Uses: []string{codeDNSUDPBlocked}, Match: simple(High, headlineServers("answers over TCP but not over UDP: ordinary lookups fail", "answer over TCP but not over UDP: ordinary lookups fail"), codeDNSUDPBlocked)},
	{Spec: specDNSServfail, Uses: []string{codeDNSServfail, codeDNSTimeout, codeDNSQueryRefused, codeDNSMalformed}, Match: simple(Medium, headlineNames("a DNS server fails to resolve it (SERVFAIL, REFUSED, no answer or an unreadable one) although it answers other queries"), codeDNSServfail, codeDNSTimeout, codeDNSQueryRefused, codeDNSMalformed)},
	{Spec: specNXDomain, Uses: []string{codeDNSNXDomain, codeNoResolve}, Match: ruleNXDomain},
	{Spec: specDNSEmpty, Uses: []string{codeDNSEmpty}, Match: simple(Low, headlineNames("the name exists but has no record of the type asked"), codeDNSEmpty)},
	{Spec: specDNSTCPBlocked, Uses: []string{codeDNSTCPBlocked, codeDNSTCPFallback}, Match: simple(High, headlineServers("answers over UDP but not over TCP: large answers fail", "answer over UDP but not over TCP: large answers fail"), codeDNSTCPBlocked, codeDNSTCPFallback)},
	{Spec: specDNSSearch, Uses: []string{codeDNSSearchUnresolved, codeDNSSearchUnexpected}, Match: simple(Medium, headlineNames("the short name does not resolve through the expected search domain"), codeDNSSearchUnresolved, codeDNSSearchUnexpected)},
	{Spec: specDNSSystemDiffers, Uses: []string{codeDNSSystemDiffers}, Match: simple(Medium, headlineNames("the system resolver answers differently from DNS"), codeDNSSystemDiffers)},
	{Spec: specDNSDisagree, Uses: []string{codeDNSDisagree}, Match: ruleDNSDisagree},
	{Spec: specDNSSlow, Uses: []string{codeDNSServerSlow}, Match: simple(Low, headlineServers("answers slowly", "answer slowly"), codeDNSServerSlow)},
	{Spec: specDNSConfigWarn, Uses: []string{codeDNSConfigMalformed, codeDNSTooMany}, Match: simple(Medium, message, codeDNSConfigMalformed, codeDNSTooMany)},
	{Spec: specPTRMismatch, Uses: []string{codeDNSPTRMismatch}, Match: simple(Low, message, codeDNSPTRMismatch)},
	// the domain: its DNS, then the clock against a DC
	{Spec: specDCDNS, Uses: []string{codeOrgDCNotFound, codeOrgSRVPartial, codeOrgVPNDNSOutside}, Match: ruleDCDNS},
	{Spec: specVPNDNS, Uses: []string{codeOrgVPNDNSOutside}, Match: simple(Medium, message, codeOrgVPNDNSOutside)},
	{Spec: specDCClock, Uses: []string{codeOrgDCClockSkew}, Match: ruleDCClock},
	{Spec: specTGTExpired, Uses: []string{codeOrgTGTExpired}, Match: simple(High, message, codeOrgTGTExpired)},
	// the clock, before TLS
	{Spec: specClockSkew, Uses: []string{codeClockSkewSevere, codeClockSkew, codeClockUnsynced, codeTLSExpired, codeTLSExpiring}, Match: ruleClockSkew},
	// proxy
	{Spec: specProxyDown, Uses: []string{codeProxyDown}, Match: ruleProxyDown},
	{Spec: specProxyAuth, Uses: []string{codeHTTPProxyAuth}, Match: ruleProxyAuth},
	{Spec: specProxyCannotReach, Uses: []string{codeHTTPConnect, codeHTTPTimeout}, Match: ruleProxyCannotReach},
	// path and firewall
	{Spec: specNothingListening, Uses: []string{codeTCPRefused}, Match: ruleNothingListening},
	{Spec: specPortFiltered, Uses: []string{codeTCPFiltered}, Match: rulePortFiltered},
	{Spec: specSplitTunnel, Uses: []string{codeOrgDCOutsideVPN, codeOrgDCUnreachable}, Match: ruleSplitTunnel},
	{Spec: specDCUnreachable, Uses: []string{codeOrgDCUnreachable, codeOrgDCPortBlocked}, Match: simple(Medium, message, codeOrgDCUnreachable, codeOrgDCPortBlocked)},
	{Spec: specHostUnreachable, Uses: unreachableCodes, Match: ruleHostUnreachable},
	{Spec: specPacketLoss, Uses: []string{codePingLoss, codeTraceLossFrom, codeIfaceErrors}, Match: rulePacketLoss},
	{Spec: specMTUBlackhole, Uses: []string{codeMTUBlackhole}, Match: ruleMTUBlackhole},
	{Spec: specInterfaceErrors, Uses: []string{codeIfaceErrors}, Match: simple(Medium, message, codeIfaceErrors)},
	// TLS
	{Spec: specTLSInterception, Uses: []string{codeTLSUnknownCA}, Match: ruleTLSInterception},
	{Spec: specCertExpired, Uses: []string{codeTLSExpired}, Match: ruleCertExpired},
	{Spec: specCertName, Uses: []string{codeTLSNameMismatch}, Match: simple(High, hostsHeadline("The certificate of %s is not valid for that name."), codeTLSNameMismatch)},
	{Spec: specTLSHandshake, Uses: []string{codeTLSHandshake}, Match: simple(Medium, hostsHeadline("The TLS handshake with %s fails."), codeTLSHandshake)},
	// service
	{Spec: specServiceError, Uses: []string{codeHTTP5xx}, Match: ruleServiceError},
	{Spec: specServiceHang, Uses: []string{codeHTTPTimeout}, Match: ruleServiceHang},
	{Spec: specHTTPBroken, Uses: httpBrokenCodes, Match: simple(High, hostsHeadlineVerb("%s %s, but never with a usable page (a redirect loop, too many redirects or an answer that is not valid HTTP): the site, not the network.", "answers", "answer"), httpBrokenCodes...)},
	{Spec: specNoInternet, Uses: append([]string{codeNoInternet}, unreachableCodes...), Match: ruleNoInternet},
	{Spec: specCertExpiring, Uses: []string{codeTLSExpiring}, Match: simple(High, hostsHeadline("The certificate of %s expires soon."), codeTLSExpiring)},
	{Spec: specHTTPClient, Uses: []string{codeHTTP4xx}, Match: simple(Low, hostsHeadlineVerb("%s %s the request (HTTP 4xx).", "rejects", "reject"), codeHTTP4xx)},
	{Spec: specSlow, Uses: []string{codePingSlow, codeTCPSlow, codeHTTPSlow}, Match: simple(Low, hostsHeadline("The network to %s is slow."), codePingSlow, codeTCPSlow, codeHTTPSlow)},
	{Spec: specProxyInvalid, Uses: []string{codeProxyInvalid, codeProxyPACFailed}, Match: simple(High, message, codeProxyInvalid, codeProxyPACFailed)},
	// host resources
	{Spec: specLocalSocket, Uses: localErrorCodes, Match: ruleLocalSocket},
	{Spec: specDiskReadOnly, Uses: []string{codeDiskReadOnly}, Match: ruleDiskReadOnly},
	{Spec: specMountMissing, Uses: []string{codeDiskMissing, codeDiskUnresponsive, codeOSStalled, codePathStalled}, Match: ruleMountMissing},
	{Spec: specDiskFull, Uses: []string{codeDiskFull, codeInodesExhausted, codeDiskFilling, codeInodesLow}, Match: ruleDiskFull},
	{Spec: specMemory, Uses: []string{codeMemoryCritical, codeMemoryLow, codeSwapHeavy, codeMemoryHog}, Match: ruleMemory},
	{Spec: specCPU, Uses: []string{codeCPUBusy, codeLoadHigh}, Match: simple(Medium, message, codeCPUBusy, codeLoadHigh)},
	{Spec: specTimeSync, Uses: []string{codeNTPUnreachable, codeNTPServerDown, codeNTPServerUnsync, codeClockUnsynced}, Match: simple(Medium, message, codeNTPUnreachable, codeNTPServerDown, codeNTPServerUnsync, codeClockUnsynced)},
	{Spec: specServiceFailed, Uses: []string{codeServiceCritical, codeServiceFailed}, Match: simple(High, message, codeServiceCritical, codeServiceFailed)},
	{Spec: specRebootPending, Uses: []string{codeRebootPending, codeUptimeLong}, Match: simple(Low, message, codeRebootPending, codeUptimeLong)},
	{Spec: specZombies, Uses: []string{codeZombies}, Match: simple(Medium, message, codeZombies)},
	// permissions
	{Spec: specPathDenied, Uses: []string{codePathDenied, codePathACLDenied}, Match: rulePathDenied},
	{Spec: specPathReadOnly, Uses: []string{codePathReadOnly}, Match: simple(High, message, codePathReadOnly)},
	{Spec: specPathSpecial, Uses: []string{codePathImmutable, codePathMAC, codePathUnexplained}, Match: rulePathSpecial},
	{Spec: specPathMissing, Uses: []string{codePathMissing}, Match: simple(High, message, codePathMissing)},
	{Spec: specTemp, Uses: []string{codeTempMissing, codeTempNotWritable, codeTempNoSticky, codeTempLowSpace}, Match: simple(High, message, codeTempMissing, codeTempNotWritable, codeTempNoSticky, codeTempLowSpace)},
	{Spec: specSecretExposed, Uses: []string{codeKeyExposed, codeCredentialExposed}, Match: simple(High, message, codeKeyExposed, codeCredentialExposed)},
	{Spec: specSSHLogin, Uses: []string{codeSSHStrictModes, codeKeyUnreadable}, Match: simple(High, message, codeSSHStrictModes, codeKeyUnreadable)},
	{Spec: specSudo, Uses: []string{codeSudoTimeout, codeSudoHostname, codeSudoBroken}, Match: simple(Medium, message, codeSudoTimeout, codeSudoHostname, codeSudoBroken)},
	{Spec: specNoICMP, Uses: []string{codeNoICMP}, Match: simple(Low, message, codeNoICMP)},
}

// hostsHeadline formats a headline with the hosts (or targets) of the
// findings; without any, the first finding's message (never a headline
// with an empty name).
func hostsHeadline(format string) func([]Obs) string {
	return func(found []Obs) string {
		hs := headlineHosts(found)
		if len(hs) == 0 {
			return message(found)
		}
		return fmt.Sprintf(format, list(hs))
	}
}

// hostsHeadlineVerb is hostsHeadline whose verb agrees with the number of
// hosts: format has the subject, then the verb (one or many).
func hostsHeadlineVerb(format, one, many string) func([]Obs) string {
	return func(found []Obs) string {
		hs := headlineHosts(found)
		if len(hs) == 0 {
			return message(found)
		}
		return fmt.Sprintf(format, list(hs), verb(hs, one, many))
	}
}

// headlineHosts returns the hosts of the findings, or their targets.
func headlineHosts(found []Obs) []string {
	if hs := hosts(found); len(hs) > 0 {
		return hs
	}
	return targets(found)
}
