package triage

import (
	"github.com/l2diag/l2diag/diag"
	dnscheck "github.com/l2diag/l2diag/diag/dns"
	hostcheck "github.com/l2diag/l2diag/diag/host"
	netcheck "github.com/l2diag/l2diag/diag/net"
	orgcheck "github.com/l2diag/l2diag/diag/org"
	permcheck "github.com/l2diag/l2diag/diag/perm"
)

// The finding codes the rules read, named by the FindingSpec that declares
// each in its category: renaming or removing a finding fails to compile
// here, and a changed code string follows. The short names keep the rule
// table readable; a rule may also name the spec's Code directly.
var (
	// net: link, address, gateway
	codeNoInterface    = netcheck.FindingNoInterface.Code
	codeLinkLocalOnly  = netcheck.FindingLinkLocalOnly.Code
	codeIfaceErrors    = netcheck.FindingIfaceErrors.Code
	codeNoDefaultRoute = netcheck.FindingNoDefaultRoute.Code
	codeGatewayDown    = netcheck.FindingGatewayDown.Code

	// net: reachability
	codePingNoAnswer    = netcheck.FindingPingNoAnswer.Code
	codePingNoRoute     = netcheck.FindingPingNoRoute.Code
	codePingLoss        = netcheck.FindingPingLoss.Code
	codePingSlow        = netcheck.FindingPingSlow.Code
	codePingTCPNoAnswer = netcheck.FindingPingTCPNoAnswer.Code
	codeNoResolve       = netcheck.FindingNoResolve.Code
	codeTCPOpen         = netcheck.FindingTCPOpen.Code
	codeTCPRefused      = netcheck.FindingTCPRefused.Code
	codeTCPFiltered     = netcheck.FindingTCPFiltered.Code
	codeTCPUnreachable  = netcheck.FindingTCPUnreachable.Code
	codeTCPSlow         = netcheck.FindingTCPSlow.Code
	codeTraceStops      = netcheck.FindingTraceLastHop.Code
	codeTraceReached    = netcheck.FindingTraceReached.Code
	codeTraceLossFrom   = netcheck.FindingTraceLossFrom.Code
	codeMTUBlackhole    = netcheck.FindingMTUBlackhole.Code

	// net: HTTP, TLS, proxy
	codeHTTPOK          = netcheck.FindingHTTPOK.Code
	codeHTTP5xx         = netcheck.FindingHTTPServerError.Code
	codeHTTP4xx         = netcheck.FindingHTTPClientError.Code
	codeHTTPProxyAuth   = netcheck.FindingHTTPProxyAuth.Code
	codeHTTPConnect     = netcheck.FindingHTTPConnect.Code
	codeHTTPTimeout     = netcheck.FindingHTTPTimeout.Code
	codeHTTPSlow        = netcheck.FindingHTTPSlow.Code
	codeHTTPMalformed   = netcheck.FindingHTTPMalformed.Code
	codeHTTPRedirLoop   = netcheck.FindingHTTPRedirectLoop.Code
	codeHTTPRedirMany   = netcheck.FindingHTTPTooManyRedirects.Code
	codeCaptivePortal   = netcheck.FindingCaptivePortal.Code
	codeNoInternet      = netcheck.FindingNoInternet.Code
	codeTLSExpired      = netcheck.FindingTLSExpired.Code
	codeTLSExpiring     = netcheck.FindingTLSExpiring.Code
	codeTLSNameMismatch = netcheck.FindingTLSNameMismatch.Code
	codeTLSUnknownCA    = netcheck.FindingTLSUnknownAuthority.Code
	codeTLSHandshake    = netcheck.FindingTLSHandshake.Code
	codeProxyDown       = netcheck.FindingProxyUnreachable.Code
	codeProxyInvalid    = netcheck.FindingProxyInvalid.Code
	codeProxyPACFailed  = netcheck.FindingProxyPACFailed.Code

	// runner
	codeCheckTimeout = diag.FindingTimeout.Code

	// this machine refused the socket (diag/internal/sockerr)
	codeNetLocalError  = netcheck.FindingLocalError.Code
	codeDNSLocalError  = dnscheck.FindingLocalError.Code
	codeHostLocalError = hostcheck.FindingLocalError.Code

	// host
	codeDiskFilling      = hostcheck.FindingDiskFilling.Code
	codeDiskFull         = hostcheck.FindingDiskFull.Code
	codeInodesLow        = hostcheck.FindingInodesLow.Code
	codeInodesExhausted  = hostcheck.FindingInodesExhausted.Code
	codeDiskReadOnly     = hostcheck.FindingDiskReadOnly.Code
	codeDiskMissing      = hostcheck.FindingDiskMissing.Code
	codeDiskUnresponsive = hostcheck.FindingDiskUnresponsive.Code
	codeOSStalled        = hostcheck.FindingOSStalled.Code
	codePathStalled      = permcheck.FindingPathStalled.Code
	codeMemoryLow        = hostcheck.FindingMemoryLow.Code
	codeMemoryCritical   = hostcheck.FindingMemoryCritical.Code
	codeSwapHeavy        = hostcheck.FindingSwapHeavy.Code
	codeMemoryHog        = hostcheck.FindingMemoryHog.Code
	codeCPUBusy          = hostcheck.FindingCPUBusy.Code
	codeLoadHigh         = hostcheck.FindingLoadHigh.Code
	codeZombies          = hostcheck.FindingZombies.Code
	codeClockSkew        = hostcheck.FindingClockSkew.Code
	codeClockSkewSevere  = hostcheck.FindingClockSkewSevere.Code
	codeClockUnsynced    = hostcheck.FindingClockUnsynced.Code
	codeNTPUnreachable   = hostcheck.FindingNTPUnreachable.Code
	codeNTPServerDown    = hostcheck.FindingNTPServerUnreachable.Code
	codeNTPServerUnsync  = hostcheck.FindingNTPServerUnsynced.Code
	codeServiceFailed    = hostcheck.FindingServiceFailed.Code
	codeServiceCritical  = hostcheck.FindingServiceFailedCritical.Code
	codeUptimeLong       = hostcheck.FindingUptimeLong.Code
	codeRebootPending    = hostcheck.FindingRebootPending.Code

	// perm
	codeNoICMP          = permcheck.FindingNoICMP.Code
	codePathDenied      = permcheck.FindingPathDenied.Code
	codePathACLDenied   = permcheck.FindingPathWinDenied.Code
	codePathMissing     = permcheck.FindingPathMissing.Code
	codePathReadOnly    = permcheck.FindingPathReadOnly.Code
	codePathImmutable   = permcheck.FindingPathImmutable.Code
	codePathMAC         = permcheck.FindingPathMAC.Code
	codePathUnexplained = permcheck.FindingPathUnexplained.Code
)

// dns
var (
	codeDNSConfigUnreadable = dnscheck.FindingConfigUnreadable.Code
	codeDNSConfigMalformed  = dnscheck.FindingConfigMalformed.Code
	codeDNSNoServer         = dnscheck.FindingNoServer.Code
	codeDNSStubNoUpstream   = dnscheck.FindingStubNoUpstream.Code
	codeDNSTooMany          = dnscheck.FindingTooManyServers.Code
	codeDNSNSSwitch         = dnscheck.FindingNSSwitchNoDNS.Code
	codeDNSServerDown       = dnscheck.FindingServerTimeout.Code
	codeDNSServerRejects    = dnscheck.FindingServerUnreachable.Code
	codeDNSRefused          = dnscheck.FindingServerRefused.Code
	codeDNSTCPBlocked       = dnscheck.FindingTCPBlocked.Code
	codeDNSUDPBlocked       = dnscheck.FindingUDPBlocked.Code
	codeDNSServerSlow       = dnscheck.FindingServerSlow.Code
	codeDNSNXDomain         = dnscheck.FindingNXDomain.Code
	codeDNSServfail         = dnscheck.FindingServFail.Code
	codeDNSSEC              = dnscheck.FindingDNSSEC.Code
	codeDNSEmpty            = dnscheck.FindingNoData.Code
	codeDNSTimeout          = dnscheck.FindingQueryTimeout.Code
	codeDNSQueryRefused     = dnscheck.FindingQueryRefused.Code
	codeDNSMalformed        = dnscheck.FindingMalformedAnswer.Code
	codeDNSTCPFallback      = dnscheck.FindingTruncatedTCPFailed.Code
	codeDNSHostsOverride    = dnscheck.FindingHostsOverride.Code
	codeDNSSystemDiffers    = dnscheck.FindingSystemDiffers.Code
	codeDNSSystemFailed     = dnscheck.FindingSystemFailed.Code
	codeDNSDisagree         = dnscheck.FindingServersDisagree.Code
	codeDNSHijack           = dnscheck.FindingHijack.Code
	codeDNSSearchUnresolved = dnscheck.FindingSearchUnresolved.Code
	codeDNSSearchUnexpected = dnscheck.FindingSearchUnexpected.Code
	codeDNSSearchShadowed   = dnscheck.FindingSearchShadowed.Code
	codeDNSPTRMismatch      = dnscheck.FindingPTRMismatch.Code
	codeDNSUnexpected       = dnscheck.FindingUnexpectedAnswer.Code
	codeDNSSystemUnexpected = dnscheck.FindingSystemUnexpected.Code
)

// perm: sudo, keys, temp
var (
	codeSudoTimeout       = permcheck.FindingSudoSlow.Code
	codeSudoHostname      = permcheck.FindingSudoHostname.Code
	codeSudoBroken        = permcheck.FindingSudoBroken.Code
	codeKeyExposed        = permcheck.FindingKeyExposed.Code
	codeKeyUnreadable     = permcheck.FindingKeyUnreadable.Code
	codeSSHStrictModes    = permcheck.FindingSSHStrictModes.Code
	codeCredentialExposed = permcheck.FindingCredentialExposed.Code
	codeTempMissing       = permcheck.FindingTempMissing.Code
	codeTempNotWritable   = permcheck.FindingTempNotWritable.Code
	codeTempNoSticky      = permcheck.FindingTempNoSticky.Code
	codeTempLowSpace      = permcheck.FindingTempLowSpace.Code
)

// The org category's codes (diag/org).
var (
	codeOrgDCNotFound    = orgcheck.FindingDCNotFound.Code
	codeOrgSRVPartial    = orgcheck.FindingDCSRVInconsistent.Code
	codeOrgDCUnreachable = orgcheck.FindingDCUnreachable.Code
	codeOrgDCPortBlocked = orgcheck.FindingDCPortBlocked.Code
	codeOrgDCOutsideVPN  = orgcheck.FindingDCOutsideVPN.Code
	codeOrgDCClockSkew   = orgcheck.FindingDCClockSkew.Code
	codeOrgVPNDNSOutside = orgcheck.FindingVPNDNSOutside.Code
	codeOrgWifiWeak      = orgcheck.FindingWifiWeak.Code
	codeOrgWifiWrongNet  = orgcheck.FindingWifiWrongNetwork.Code
	codeOrgIntranetOut   = orgcheck.FindingVPNIntranetOutside.Code
	codeOrgVPNSplitDNS   = orgcheck.FindingVPNSplitDNS.Code
	codeOrgLocalError    = orgcheck.FindingLocalError.Code
	codeOrgTGTExpired    = orgcheck.FindingTGTExpired.Code
	codeOrgDCPingSilent  = orgcheck.FindingDCPingSilent.Code
	codeOrgNoClientSite  = orgcheck.FindingDCNoClientSite.Code
	codeOrgDCNotInSite   = orgcheck.FindingDCNotInSite.Code
	codeOrgSecretStale   = orgcheck.FindingMachineSecretStale.Code
	codeOrgAccountGone   = orgcheck.FindingMachineAccountMissing.Code
	codeOrgGPOFailing    = orgcheck.FindingGPOFailing.Code
	codeOrgGPOStale      = orgcheck.FindingGPOStale.Code
)
