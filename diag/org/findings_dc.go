package orgcheck

import (
	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// The findings of the LDAP ping (site) and the machine account.
var (
	FindingDCPingSilent = diag.FindingSpec{
		Code: "org.dc-ldap-ping-silent", Status: report.StatusWarn,
		Meaning:  "A domain controller answers over TCP but not the LDAP ping on UDP 389 (CLDAP): the Windows DC locator and sssd find and choose DCs with this ping, so \"the domain is not available\" although the DC is up.",
		Hint:     "Ask the network team to allow UDP 389 (and UDP 88, 464) from this network to the DCs; test with nltest /dsgetdc:DOMAIN /force (Windows) or adcli info DOMAIN (Linux).",
		Evidence: []diag.EvidenceKey{{Name: "address", Meaning: "the DC address that answered over TCP"}, {Name: "error", Meaning: "why the ping got no answer"}},
	}
	FindingDCNoClientSite = diag.FindingSpec{
		Code: "org.dc-no-client-site", Status: report.StatusWarn,
		Meaning:  "The domain controller's answer to the LDAP ping names no AD site for this machine: its subnet is not defined in AD Sites and Services, so logons, group policy and DFS referrals may go to any DC, across the WAN.",
		Hint:     "Ask the directory administrators to add this client subnet to the right site (AD Sites and Services, New-ADReplicationSubnet); Windows DCs log NETLOGON event 5807 for such clients.",
		Evidence: []diag.EvidenceKey{{Name: "dc", Meaning: "the DC that answered"}, {Name: "dc_site", Meaning: "the DC's own site"}, {Name: "client_address", Meaning: "this machine's address the ping left from, the one the DC looked up"}},
	}
	FindingDCNotInSite = diag.FindingSpec{
		Code: "org.dc-not-in-site", Status: report.StatusWarn,
		Meaning:  "This machine's AD site (as a domain controller names it) has no domain controller that answered the LDAP ping: logons, group policy and file referrals are served from another site, over the WAN, and fail when that link does.",
		Hint:     "If the site should have its own DCs, check they are registered in DNS (_ldap._tcp.SITE._sites.dc._msdcs.DOMAIN) and reachable; if the site has no DC by design, check the subnet is mapped to the right site and the site links' costs.",
		Evidence: []diag.EvidenceKey{{Name: "client_site", Meaning: "the client's site named by the DC"}, {Name: "dcs", Meaning: "the DCs that answered, each with its site"}, {Name: "site_dcs", Meaning: "the DCs the site's own SRV name lists"}},
	}

	machineEvidence = []diag.EvidenceKey{
		{Name: "account", Meaning: "the machine account (NAME$@REALM, or the domain on Windows)"},
		{Name: "dc", Meaning: "the domain controller that answered"},
		{Name: "reason", Meaning: "the DC's answer: a Kerberos error name or a secure channel status"},
		{Name: "via", Meaning: "how it was verified: an AS exchange with the host keytab, or NetLogon secure channel verification"},
	}
	FindingMachineSecretStale = diag.FindingSpec{
		Code: "org.machine-secret-stale", Status: report.StatusFail,
		Meaning:  "The domain rejects this machine's own account secret (Kerberos pre-authentication with the host keytab fails, or NetLogon's secure channel verification does): the machine's trust relationship with the domain is broken, so domain logons (except cached ones), group policy and machine-authenticated access fail.",
		Hint:     "Rejoin the machine to the domain with an account allowed to join (Linux: realm leave, then realm join DOMAIN; Windows: Test-ComputerSecureChannel -Repair -Credential, else remove from and rejoin the domain). Then find why it drifted: a restored snapshot or image, or the same name joined twice.",
		Evidence: machineEvidence,
	}
	FindingMachineAccountMissing = diag.FindingSpec{
		Code: "org.machine-account-missing", Status: report.StatusFail,
		Meaning:  "The domain does not accept this machine's account at all: the computer object was deleted, is disabled, or never existed in this domain, so nothing the machine does as itself (logons of domain users, group policy) works.",
		Hint:     "Ask the directory administrators whether the computer object was deleted or disabled (stale-computer clean-up); re-enable it, or rejoin the machine to the domain.",
		Evidence: machineEvidence,
	}
)
