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
