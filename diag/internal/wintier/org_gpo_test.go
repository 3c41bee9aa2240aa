//go:build linux

package wintier

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// TestGroupPolicyStateUnderWine writes the state the Group Policy service
// keeps (HKLM\...\Group Policy\State\Machine\Extension-List) with wine's
// reg.exe and reads it with the Windows build: nothing recorded is
// skipped; a failed run with a failed Drive Maps extension is
// org.gpo-failing; a success nine days old is org.gpo-stale.
func TestGroupPolicyStateUnderWine(t *testing.T) {
	tr := newTier(t)
	exe := lab.WineExe(t, false)
	run := func() report.Result {
		t.Helper()
		rep, _ := tr.run(t, exe, "--only", "org")
		r := one(t, rep, "org-group-policy", "")
		t.Logf("org-group-policy: %s: %s %s %v", r.Status, r.Summary, r.Error, r.Details)
		return r
	}
	if r := run(); r.Status != report.StatusSkipped || len(r.Findings) != 0 {
		t.Errorf("no state recorded: %s %v; want skipped", r.Status, codes(r))
	}
	const key = `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Group Policy\State\Machine\Extension-List\`
	core := key + `{00000000-0000-0000-0000-000000000000}`
	dword := func(k, name string, v uint32) {
		tr.wine.Reg("add", k, "/v", name, "/t", "REG_DWORD", "/d", fmt.Sprint(v), "/f")
	}
	setEnd := func(t0 time.Time) {
		ft := uint64(t0.Unix()+11644473600) * 1e7
		dword(core, "EndTimeHi", uint32(ft>>32))
		dword(core, "EndTimeLo", uint32(ft))
	}
	setEnd(time.Now().Add(-2 * time.Hour))
	dword(core, "Status", 1355) // ERROR_NO_SUCH_DOMAIN: no DC was found
	dword(key+`{5794DAFD-BE60-433F-88A2-1A31939AC01F}`, "Status", 1)
	r := run()
	if !slices.Equal(codes(r), []string{"org.gpo-failing"}) {
		t.Fatalf("failed run: codes %v; want org.gpo-failing", codes(r))
	}
	if s := fmt.Sprint(r.Details["runs"]); !strings.Contains(s, "1355") || !strings.Contains(s, "Drive Maps: 1") || !strings.Contains(s, "computer") {
		t.Errorf("details.runs %s lack status 1355, the failed Drive Maps extension or the scope", s)
	}
	setEnd(time.Now().Add(-9 * 24 * time.Hour))
	dword(core, "Status", 0)
	dword(key+`{5794DAFD-BE60-433F-88A2-1A31939AC01F}`, "Status", 0)
	if r := run(); !slices.Equal(codes(r), []string{"org.gpo-stale"}) {
		t.Errorf("a success nine days old: codes %v; want org.gpo-stale", codes(r))
	}
}
