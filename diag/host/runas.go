package hostcheck

import (
	"fmt"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/internal/account"
	"github.com/l2diag/l2diag/report"
)

// FindingServiceAccount says a run as a Windows service account (as
// Intune, SCCM and RMM agents run scripts) describes that account, not
// the user at the console, in the checks it names.
var FindingServiceAccount = diag.FindingSpec{
	Code: "host.run-as-service-account", Status: report.StatusOK,
	Meaning: "l2diag ran as SYSTEM, LocalService or NetworkService (how Intune, SCCM and RMM agents run scripts): the checks named describe that account — its token, folders, proxy settings, tickets and drive letters — not the user logged on at the console. The network, DNS and other host checks hold for both.",
	Hint:    "To see the user's own permissions, proxy, tickets and mapped drives, run l2diag in the user's session (RMM tools: \"run as the logged-on user\"; Intune: \"Run this script using the logged on credentials\").",
	Evidence: []diag.EvidenceKey{
		{Name: "run_as", Meaning: "the service account l2diag ran as (SYSTEM, LocalService, NetworkService)"},
		{Name: "interactive_user", Meaning: "the user logged on at the console; empty when nobody is or it could not be read"},
		{Name: "checks", Meaning: "the check IDs whose results describe the service account rather than that user"},
	},
}

// serviceAccountViews are the checks whose result depends on the account
// l2diag runs as, and what they then describe.
var serviceAccountViews = []struct {
	checks []string
	what   string // %s: the service account
}{
	{[]string{"perm-identity", "perm-path", "perm-temp", "perm-keys"}, "%s's token, folders and keys"},
	{[]string{"net-proxy", "net-http"}, "the machine's WinHTTP proxy (Internet Options are per user)"},
	{[]string{"org-kerberos"}, "%s's Kerberos tickets"},
	{[]string{"host-disks"}, "%s's drive letters (a user's mapped network drives are not seen)"},
}

// ServiceAccountChecks lists the IDs of the checks that describe the
// account l2diag runs as (host.run-as-service-account names them).
func ServiceAccountChecks() []string {
	var ids []string
	for _, v := range serviceAccountViews {
		ids = append(ids, v.checks...)
	}
	return ids
}

// serviceAccountFinding is host.run-as-service-account when runAs is a
// Windows service account; console lists the users at the console.
func serviceAccountFinding(runAs account.Account, console []string) (report.Finding, bool) {
	if runAs.Service == "" {
		return report.Finding{}, false
	}
	var parts []string
	for _, v := range serviceAccountViews {
		what := v.what
		if strings.Contains(what, "%s") {
			what = fmt.Sprintf(what, runAs.Service)
		}
		parts = append(parts, strings.Join(v.checks, ", ")+": "+what)
	}
	user := strings.Join(console, ", ")
	who := "nobody is logged on at the console (or it could not be read)"
	if user != "" {
		who = "not as " + user + ", who is logged on at the console"
	}
	msg := fmt.Sprintf("l2diag ran as %s, %s; these checks describe %s: %s.", runAs.Service, who, runAs.Service, strings.Join(parts, "; "))
	return FindingServiceAccount.Finding(msg, map[string]any{"run_as": runAs.Service, "interactive_user": user, "checks": ServiceAccountChecks()}), true
}
