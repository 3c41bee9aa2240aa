//go:build linux

package wintier

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestOrgUnderWine: the org checks on a Windows that is not joined (wine
// has no domain, no VPN adapter and no WLAN service) are silent: each is
// skipped with its reason, or, where wine lacks the API, an error saying
// what could not be read. Never a finding, never a conclusion.
func TestOrgUnderWine(t *testing.T) {
	tr := newTier(t)
	rep, _ := tr.run(t, lab.WineExe(t, false), "--only", "org")
	for _, id := range []string{"org-domain", "org-kerberos", "org-vpn", "org-wifi", "org-group-policy"} {
		r := one(t, rep, id, "")
		t.Logf("%s under wine: %s: %s %s (details %v)", id, r.Status, r.Summary, r.Error, r.Details)
		if len(r.Findings) != 0 {
			t.Errorf("%s: findings %v on a machine with no domain, VPN or Wi-Fi\n%s", id, codes(r), dump(r))
		}
		switch r.Status {
		case report.StatusSkipped:
			if r.Summary == "" {
				t.Errorf("%s: skipped without a reason", id)
			}
		case report.StatusError:
			if !strings.Contains(r.Error, "org: ") {
				t.Errorf("%s: an error that does not say what could not be read: %q", id, r.Error)
			}
		default:
			t.Errorf("%s: %s; want skipped (or an error naming the API wine lacks)\n%s", id, r.Status, dump(r))
		}
	}
	if c := causes(rep); len(c) != 0 {
		t.Errorf("conclusions %v from the org checks alone on an unjoined machine", c)
	}
}
