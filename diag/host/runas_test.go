package hostcheck

import (
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/internal/account"
)

// A run as a Windows service account names the user at the console and
// the checks that describe the service account instead; an ordinary
// account (the user at the desk, a technician's admin account) gets no
// such finding.
func TestServiceAccountFinding(t *testing.T) {
	for _, tt := range []struct {
		name    string
		runAs   account.Account
		console []string
		want    bool
		says    []string
	}{
		{"system with a console user", account.Account{Name: `NT AUTHORITY\SYSTEM`, Service: "SYSTEM"}, []string{`CORP\ana`}, true,
			[]string{`ran as SYSTEM, not as CORP\ana, who is logged on at the console`, "perm-path", "SYSTEM's token", "WinHTTP", "SYSTEM's Kerberos tickets", "mapped network drives"}},
		{"network service, nobody at the console", account.Account{Name: `NT AUTHORITY\NETWORK SERVICE`, Service: "NetworkService"}, nil, true,
			[]string{"ran as NetworkService, nobody is logged on at the console", "NetworkService's token"}},
		{"the user at the desk", account.Account{Name: `CORP\ana`}, []string{`CORP\ana`}, false, nil},
		{"an elevated admin", account.Account{Name: `CORP\adm-bob`}, []string{`CORP\ana`}, false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := serviceAccountFinding(tt.runAs, tt.console)
			if ok != tt.want {
				t.Fatalf("got a finding %v (%q), want %v", ok, f.Message, tt.want)
			}
			if !ok {
				return
			}
			if f.Code != FindingServiceAccount.Code {
				t.Errorf("code %s", f.Code)
			}
			for _, s := range tt.says {
				if !strings.Contains(f.Message, s) {
					t.Errorf("message %q does not say %q", f.Message, s)
				}
			}
			checks, _ := f.Evidence["checks"].([]string)
			for _, id := range []string{"perm-path", "net-proxy", "org-kerberos"} {
				if !slices.Contains(checks, id) {
					t.Errorf("evidence checks %v lack %s", checks, id)
				}
			}
		})
	}
}
