//go:build linux

package wintier

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestHost: host-system never claims "0 user(s)" when it cannot list
// users, names the account it runs as, and reads a pending reboot from
// the registry; host-services
// reads the service manager (plain QueryServiceConfig) and never reports
// "no failed service" for services it could not read.
func TestHost(t *testing.T) {
	tr := newTier(t)
	tr.wine.Reg("add", `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired`, "/f")
	rep, _ := tr.run(t, lab.WineExe(t, false), "--only", "host", "--skip", "host-clock")

	sys := one(t, rep, "host-system", "")
	if sys.Details["reboot_pending"] != true || !hasCode(sys, "host.reboot-pending") {
		t.Errorf("host-system: reboot_pending %v, codes %v; want the RebootRequired key reported\n%s", sys.Details["reboot_pending"], codes(sys), dump(sys))
	}
	_, listed := sys.Details["users"]
	_, uerr := sys.Details["users_error"]
	switch {
	case listed == uerr:
		t.Errorf("host-system: want either a user list or users_error, got users=%v users_error=%v", listed, uerr)
	case uerr && !strings.Contains(sys.Summary, "users unknown"):
		t.Errorf("host-system: users could not be read (%v) but the summary says %q", sys.Details["users_error"], sys.Summary)
	case listed && strings.Contains(sys.Summary, "0 user(s)") && sys.Metrics["users"] != 0:
		t.Errorf("host-system: summary %q disagrees with the list %v", sys.Summary, sys.Details["users"])
	}
	t.Logf("host-system under wine: %s (run_as %v)", sys.Summary, sys.Details["run_as"])
	// Wine runs the exe as the prefix's user, who is also the console
	// session's user: an ordinary account, so no check describes a service
	// account (the SYSTEM case is covered by hostcheck's unit test; wine
	// cannot run a program as SYSTEM).
	runAs, _ := sys.Details["run_as"].(string)
	if runAs == "" || strings.Contains(strings.ToUpper(runAs), "SYSTEM") || hasCode(sys, "host.run-as-service-account") {
		t.Errorf("host-system: run_as %q, codes %v; want the wine user and no service-account finding\n%s", runAs, codes(sys), dump(sys))
	}
	if iu, ok := sys.Details["interactive_user"].(string); ok && !strings.EqualFold(iu, runAs) && !strings.HasSuffix(strings.ToLower(runAs), `\`+strings.ToLower(iu)) {
		t.Errorf("host-system: interactive_user %q is not the account the exe runs as (%q)", iu, runAs)
	}

	svc := one(t, rep, "host-services", "")
	t.Logf("host-services under wine: %s %s (checked %v, unreadable %v)", svc.Status, svc.Summary, svc.Metrics["checked"], svc.Metrics["unreadable"])
	if svc.Metrics["unreadable"] > 0 && !svc.Degraded {
		t.Errorf("host-services: %v services unreadable but the result is not degraded\n%s", svc.Metrics["unreadable"], dump(svc))
	}
	if svc.Status == "ok" && svc.Metrics["checked"] == 0 && svc.Metrics["unreadable"] == 0 {
		t.Errorf("host-services: ok without reading any service\n%s", dump(svc))
	}
}
