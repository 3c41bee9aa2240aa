package triage

import "github.com/l2diag/l2diag/report"

// What the domain controllers themselves say about this machine: the LDAP
// ping names its AD site.

var specADSite = Spec{
	Code: "cause.ad-site-not-covered", Layer: LayerPath, Status: report.StatusWarn, Escalation: DNS,
	Title:   "No domain controller in this machine's AD site",
	Meaning: "The domain controllers place this machine in no AD site, or in a site where no DC answered: logons, group policy and DFS referrals are served from a DC elsewhere, usually across the WAN, slower and failing with that link.",
	Causes:  []string{"the client subnet is not defined in AD Sites and Services (new office, new VPN pool, changed addressing)", "the subnet is mapped to the wrong site", "the site's DCs are down, unreachable or not registered in DNS", "a branch site without a DC by design (then only the subnet mapping matters)"},
	Fix:     "Give the directory administrators this machine's address and the site the DC named (evidence): they add or fix the subnet in AD Sites and Services (New-ADReplicationSubnet) or bring the site's DCs back; nltest /dsgetsite and nltest /dsgetdc:DOMAIN show the result.",
	Why:     "Drawn from org.dc-no-client-site (the LDAP ping's ClientSiteName is empty) and org.dc-not-in-site (no DC answering the ping carries the closest flag, including the site's own DCs looked up by its SRV name).",
}

var specMachineTrust = Spec{
	Code: "cause.machine-trust-broken", Layer: LayerHost, Status: report.StatusFail, Escalation: DNS,
	Title:   "The machine's trust with the domain is broken",
	Meaning: "The domain no longer accepts this machine's own account: its secret does not match the one the DC holds, or the computer object is gone or disabled. Domain users cannot log on except with cached credentials, group policy stops applying, and access that uses the machine's identity fails (\"the trust relationship between this workstation and the primary domain failed\").",
	Causes:  []string{"the machine was restored from a snapshot or image older than its last machine password change", "another machine was joined under the same name", "the computer object was reset, disabled or deleted in AD (stale-computer clean-up)", "the machine was offline past the domain's password policy and the DC side changed"},
	Fix:     "Rejoin the machine to the domain with an account allowed to join computers (the directory administrators own the computer object): Windows: Test-ComputerSecureChannel -Repair -Credential DOMAIN\\admin, else leave and rejoin; Linux: realm leave, then realm join DOMAIN (or adcli join). Re-enable a disabled computer object first.",
	Why:     "Drawn from org.machine-secret-stale (the DC rejected the host keytab's key or the secure channel verification) and org.machine-account-missing (the DC does not know the account or it is disabled).",
}

var specGPO = Spec{
	Code: "cause.group-policy-failing", Layer: LayerHost, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "Group policy is not applied",
	Meaning: "The machine's or the user's group policy did not apply: its last processing failed, or the last success is more than a week old. Settings, drive mappings, printers, scripts and security changes that come from policy are missing or out of date.",
	Causes:  []string{"no domain controller or SYSVOL share reachable when policy runs (off the corporate network, VPN not connected, DNS)", "a broken setting or extension in one GPO (the failing extension is in the evidence)", "a slow link that skips parts of processing", "the machine's trust with the domain is broken"},
	Fix:     "Run gpresult /h gp.html and read the GroupPolicy operational log for the failing step; fix what it names (connect the VPN, repair the GPO with its owners), then gpupdate /force.",
	Why:     "Drawn from org.gpo-failing and org.gpo-stale; when the DC checks found the domain controllers missing from DNS or unreachable (org.dc-not-found, org.dc-srv-inconsistent, org.dc-unreachable, org.dc-ldap-ping-silent), the headline names that as the likely reason.",
}

func ruleGPO(v *View) []Match {
	found := v.Find(codeOrgGPOFailing, codeOrgGPOStale)
	if len(found) == 0 {
		return nil
	}
	m := Match{Headline: message(found), Confidence: Medium, Status: worst(found), Evidence: found}
	if dcs := v.All(codeOrgDCNotFound, codeOrgSRVPartial, codeOrgDCUnreachable, codeOrgDCPingSilent); len(dcs) > 0 {
		m.Evidence = append(m.Evidence, dcs...)
		m.Headline += " The domain controllers are not found or not reached from here, which alone stops policy processing."
		m.NextStep = "Make the domain controllers reachable first (see the DC conclusion), then run gpupdate /force and check gpresult."
	}
	return []Match{m}
}
