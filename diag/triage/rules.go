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
	simpleRule(specWifiWeak, Medium, message, codeOrgWifiWeak),
	simpleRule(specWifiWrongNetwork, High, message, codeOrgWifiWrongNet),
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
	simpleRule(specDNSUDPBlocked, High, headlineServers("answers over TCP but not over UDP: ordinary lookups fail", "answer over TCP but not over UDP: ordinary lookups fail"), codeDNSUDPBlocked),
	simpleRule(specDNSServfail, Medium, headlineNames("a DNS server fails to resolve it (SERVFAIL, REFUSED, no answer or an unreadable one) although it answers other queries"), codeDNSServfail, codeDNSTimeout, codeDNSQueryRefused, codeDNSMalformed),
	{Spec: specNXDomain, Uses: []string{codeDNSNXDomain, codeNoResolve}, Match: ruleNXDomain},
	simpleRule(specDNSEmpty, Low, headlineNames("the name exists but has no record of the type asked"), codeDNSEmpty),
	simpleRule(specDNSTCPBlocked, High, headlineServers("answers over UDP but not over TCP: large answers fail", "answer over UDP but not over TCP: large answers fail"), codeDNSTCPBlocked, codeDNSTCPFallback),
	{Spec: specDNSSearch, Uses: []string{codeDNSSearchUnresolved, codeDNSSearchUnexpected, codeDNSSearchShadowed}, Match: ruleSearchDomain},
	simpleRule(specDNSSystemDiffers, Medium, headlineNames("the system resolver answers differently from DNS"), codeDNSSystemDiffers),
	{Spec: specDNSDisagree, Uses: []string{codeDNSDisagree}, Match: ruleDNSDisagree},
	simpleRule(specDNSSlow, Low, headlineDNSSlow, codeDNSServerSlow),
	simpleRule(specDNSConfigWarn, Medium, message, codeDNSConfigMalformed, codeDNSTooMany),
	simpleRule(specPTRMismatch, Low, message, codeDNSPTRMismatch),
	// the domain: its DNS, then the clock against a DC
	{Spec: specDCDNS, Uses: []string{codeOrgDCNotFound, codeOrgSRVPartial, codeOrgVPNDNSOutside, codeOrgVPNSplitDNS}, Match: ruleDCDNS},
	simpleRule(specVPNDNS, Medium, message, codeOrgVPNDNSOutside, codeOrgVPNSplitDNS),
	{Spec: specDCClock, Uses: []string{codeOrgDCClockSkew}, Match: ruleDCClock},
	simpleRule(specTGTExpired, High, message, codeOrgTGTExpired),
	simpleRule(specMachineTrust, High, message, codeOrgSecretStale, codeOrgAccountGone),
	{Spec: specGPO, Uses: []string{codeOrgGPOFailing, codeOrgGPOStale, codeOrgDCNotFound, codeOrgSRVPartial, codeOrgDCUnreachable, codeOrgDCPingSilent}, Match: ruleGPO},
	// the clock, before TLS
	{Spec: specClockSkew, Uses: []string{codeClockSkewSevere, codeClockSkew, codeClockUnsynced, codeTLSExpired, codeTLSExpiring}, Match: ruleClockSkew},
	// proxy
	{Spec: specProxyDown, Uses: []string{codeProxyDown}, Match: ruleProxyDown},
	{Spec: specProxyAuth, Uses: []string{codeHTTPProxyAuth}, Match: ruleProxyAuth},
	{Spec: specProxyCannotReach, Uses: []string{codeHTTPConnect, codeHTTPTimeout}, Match: ruleProxyCannotReach},
	// path and firewall
	{Spec: specNothingListening, Uses: []string{codeTCPRefused}, Match: ruleNothingListening},
	{Spec: specIPv6Broken, Uses: []string{codeTCPOpen, codeTCPFiltered, codeTCPUnreachable}, Match: ruleIPv6Broken},
	{Spec: specPortFiltered, Uses: []string{codeTCPFiltered}, Match: rulePortFiltered},
	{Spec: specSplitTunnel, Uses: []string{codeOrgDCOutsideVPN, codeOrgIntranetOut, codeOrgDCUnreachable}, Match: ruleSplitTunnel},
	simpleRule(specDCUnreachable, Medium, message, codeOrgDCUnreachable, codeOrgDCPortBlocked, codeOrgDCPingSilent),
	simpleRule(specADSite, Medium, message, codeOrgNoClientSite, codeOrgDCNotInSite),
	{Spec: specHostUnreachable, Uses: unreachableCodes, Match: ruleHostUnreachable},
	{Spec: specPacketLoss, Uses: []string{codePingLoss, codeTraceLossFrom, codeIfaceErrors}, Match: rulePacketLoss},
	{Spec: specMTUBlackhole, Uses: []string{codeMTUBlackhole}, Match: ruleMTUBlackhole},
	simpleRule(specInterfaceErrors, Medium, message, codeIfaceErrors),
	// TLS
	{Spec: specTLSInterception, Uses: []string{codeTLSUnknownCA}, Match: ruleTLSInterception},
	{Spec: specCertExpired, Uses: []string{codeTLSExpired}, Match: ruleCertExpired},
	simpleRule(specCertName, High, hostsHeadline("The certificate of %s is not valid for that name."), codeTLSNameMismatch),
	simpleRule(specTLSHandshake, Medium, hostsHeadline("The TLS handshake with %s fails."), codeTLSHandshake),
	// service
	{Spec: specServiceError, Uses: []string{codeHTTP5xx}, Match: ruleServiceError},
	{Spec: specServiceHang, Uses: []string{codeHTTPTimeout}, Match: ruleServiceHang},
	simpleRule(specHTTPBroken, High, hostsHeadlineVerb("%s %s, but never with a usable page (a redirect loop, too many redirects or an answer that is not valid HTTP): the site, not the network.", "answers", "answer"), httpBrokenCodes...),
	{Spec: specNoInternet, Uses: append([]string{codeNoInternet}, unreachableCodes...), Match: ruleNoInternet},
	simpleRule(specCertExpiring, High, hostsHeadline("The certificate of %s expires soon."), codeTLSExpiring),
	simpleRule(specHTTPClient, Low, hostsHeadlineVerb("%s %s the request (HTTP 4xx).", "rejects", "reject"), codeHTTP4xx),
	simpleRule(specSlow, Low, hostsHeadline("The network to %s is slow."), codePingSlow, codeTCPSlow, codeHTTPSlow),
	simpleRule(specProxyInvalid, High, message, codeProxyInvalid, codeProxyPACFailed),
	// host resources
	{Spec: specLocalSocket, Uses: localErrorCodes, Match: ruleLocalSocket},
	{Spec: specDiskReadOnly, Uses: []string{codeDiskReadOnly}, Match: ruleDiskReadOnly},
	{Spec: specMountMissing, Uses: []string{codeDiskMissing, codeDiskUnresponsive, codeOSStalled, codePathStalled}, Match: ruleMountMissing},
	{Spec: specDiskFull, Uses: []string{codeDiskFull, codeInodesExhausted, codeDiskFilling, codeInodesLow}, Match: ruleDiskFull},
	{Spec: specMemory, Uses: []string{codeMemoryCritical, codeMemoryLow, codeSwapHeavy, codeMemoryHog}, Match: ruleMemory},
	simpleRule(specCPU, Medium, message, codeCPUBusy, codeLoadHigh),
	simpleRule(specTimeSync, Medium, message, codeNTPUnreachable, codeNTPServerDown, codeNTPServerUnsync, codeClockUnsynced),
	simpleRule(specServiceFailed, High, message, codeServiceCritical, codeServiceFailed),
	simpleRule(specRebootPending, Low, message, codeRebootPending, codeUptimeLong),
	simpleRule(specZombies, Medium, message, codeZombies),
	// permissions
	{Spec: specPathDenied, Uses: []string{codePathDenied, codePathACLDenied}, Match: rulePathDenied},
	simpleRule(specPathReadOnly, High, message, codePathReadOnly),
	{Spec: specPathSpecial, Uses: []string{codePathImmutable, codePathMAC, codePathUnexplained}, Match: rulePathSpecial},
	simpleRule(specPathMissing, High, message, codePathMissing),
	simpleRule(specTemp, High, message, codeTempMissing, codeTempNotWritable, codeTempNoSticky, codeTempLowSpace),
	simpleRule(specSecretExposed, High, message, codeKeyExposed, codeCredentialExposed),
	simpleRule(specSSHLogin, High, message, codeSSHStrictModes, codeKeyUnreadable),
	simpleRule(specSudo, Medium, message, codeSudoTimeout, codeSudoHostname, codeSudoBroken),
	simpleRule(specNoICMP, Low, message, codeNoICMP),
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
