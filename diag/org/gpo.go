package orgcheck

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// IDGroupPolicy is the group policy state check.
const IDGroupPolicy = "org-group-policy"

// gpoStaleAfter is how old the last successful policy processing may be.
// Windows refreshes every 90 minutes (±30) while a DC is reachable, and at
// each boot and logon; a week covers a laptop that was away over a holiday
// weekend, so older means processing keeps failing or never runs.
const gpoStaleAfter = 7 * 24 * time.Hour

// gpoRun is one scope's (the computer's or a user's) last policy
// processing, as the OS recorded it.
type gpoRun struct {
	// Scope is "computer" or "user".
	Scope string
	// Start and End are when processing began and ended (zero: not recorded).
	Start, End time.Time
	// Status is the processing's Win32 error code; 0 is success.
	Status uint32
	// StatusText words Status ("The specified domain either does not exist...").
	StatusText string
	// Failed lists the client-side extensions whose own status is not 0,
	// each as "name: code".
	Failed []string
}

// gpoState is what a platform reader found.
type gpoState struct {
	// Recorded is false when the OS keeps no group policy state at all
	// (not joined, or policy never processed): the check is skipped.
	Recorded bool
	// Why says what was read, or why nothing was.
	Why  string
	Runs []gpoRun
	// Details are facts without a verdict (sssd's GPO mode and cache).
	Details map[string]any
}

// gpoCheck is org-group-policy with its reader and clock replaceable.
type gpoCheck struct {
	read func(ctx context.Context) (gpoState, error)
	now  func() time.Time
}

var groupPolicySpec = diag.Spec{
	ID: IDGroupPolicy, Category: diag.CategoryOrg, Phase: diag.PhaseProbe,
	Finds:    "when group policy last applied and whether it failed (Windows: the Group Policy service's state in HKLM; Linux: sssd's GPO mode and cache)",
	Findings: []diag.FindingSpec{FindingGPOFailing, FindingGPOStale},
	Plan:     diag.Once(runGroupPolicy),
}

func runGroupPolicy(ctx context.Context, env *diag.Env) report.Result {
	return gpoCheck{read: readGPOState, now: time.Now}.run(ctx)
}

func (c gpoCheck) run(ctx context.Context) report.Result {
	st, err := c.read(ctx)
	if err != nil {
		return diag.Errored(err)
	}
	if !st.Recorded {
		out := diag.Skipped(st.Why)
		out.Details = st.Details
		return out
	}
	var res report.Result
	for k, v := range st.Details {
		res.SetDetail(k, v)
	}
	judgeGPO(&res, st.Runs, c.now())
	if res.Summary == "" {
		res.Summary = st.Why
	}
	return res
}

// judgeGPO records each scope's last run and draws the verdicts: a run
// that ended in an error, and a last success older than gpoStaleAfter.
func judgeGPO(res *report.Result, runs []gpoRun, now time.Time) {
	var rows []map[string]any
	var parts []string
	for _, r := range runs {
		row := map[string]any{"scope": r.Scope, "status": r.Status}
		if !r.End.IsZero() {
			row["end"] = r.End.UTC().Format(time.RFC3339)
		}
		if !r.Start.IsZero() {
			row["start"] = r.Start.UTC().Format(time.RFC3339)
		}
		if r.StatusText != "" {
			row["error"] = r.StatusText
		}
		if len(r.Failed) > 0 {
			row["failed_extensions"] = r.Failed
		}
		rows = append(rows, row)
		age := now.Sub(r.End)
		ev := map[string]any{"scope": r.Scope, "end": row["end"], "status": r.Status, "error": r.StatusText, "failed_extensions": r.Failed}
		switch {
		case r.Status != 0 || len(r.Failed) > 0:
			what := fmt.Sprintf("error %d (%s)", r.Status, r.StatusText)
			if r.Status == 0 {
				what = "failed extensions: " + strings.Join(r.Failed, ", ")
			}
			res.AddFinding(FindingGPOFailing.Finding(fmt.Sprintf("The last %s group policy processing%s ended with %s.", r.Scope, endedAt(r.End), what), ev))
			parts = append(parts, r.Scope+" policy failing")
		case r.End.IsZero():
			parts = append(parts, r.Scope+" policy: no end time recorded")
		case age > gpoStaleAfter:
			res.AddFinding(FindingGPOStale.Finding(fmt.Sprintf("The %s group policy was last applied %s ago (%s).", r.Scope, age.Round(time.Hour), r.End.UTC().Format(time.RFC3339)),
				map[string]any{"scope": r.Scope, "end": row["end"], "age_hours": age.Hours()}))
			parts = append(parts, fmt.Sprintf("%s policy %s old", r.Scope, age.Round(time.Hour)))
		default:
			parts = append(parts, fmt.Sprintf("%s policy applied %s ago", r.Scope, age.Round(time.Minute)))
		}
	}
	if len(rows) > 0 {
		res.SetDetail("runs", rows)
		res.Summary = upperFirst(strings.Join(parts, "; ")) + "."
	}
}

func endedAt(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " (" + t.UTC().Format(time.RFC3339) + ")"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fileTime converts a Windows FILETIME split in two DWORDs (100 ns since
// 1601-01-01 UTC), as the Group Policy state keeps EndTimeHi/EndTimeLo.
func fileTime(hi, lo uint32) time.Time {
	ft := uint64(hi)<<32 | uint64(lo)
	if ft == 0 {
		return time.Time{}
	}
	// Seconds between 1601-01-01 and 1970-01-01.
	const epochDiff = 11644473600
	return time.Unix(int64(ft/1e7)-epochDiff, int64(ft%1e7)*100).UTC()
}

var (
	FindingGPOFailing = diag.FindingSpec{
		Code: "org.gpo-failing", Status: report.StatusWarn,
		Meaning:  "The last group policy processing of the computer or the user ended with an error (or some of its extensions did): settings, drive mappings, printers, scripts or software that come from policy are missing or out of date.",
		Hint:     "Run gpresult /h gp.html and read the Group Policy operational log (Event Viewer: Applications and Services Logs > Microsoft > Windows > GroupPolicy) for the failing step; the usual causes are a DC or SYSVOL share not reachable (VPN off, DNS), a slow link, or a broken setting in one GPO. gpupdate /force retries.",
		Evidence: []diag.EvidenceKey{{Name: "scope", Meaning: "computer or user"}, {Name: "end", Meaning: "when that processing ended (UTC)"}, {Name: "status", Meaning: "its Win32 error code"}, {Name: "error", Meaning: "the code's text"}, {Name: "failed_extensions", Meaning: "the client-side extensions that failed, each with its code"}},
	}
	FindingGPOStale = diag.FindingSpec{
		Code: "org.gpo-stale", Status: report.StatusWarn,
		Meaning:  "Group policy (computer or user) was last applied more than 7 days ago: Windows refreshes it every 90 minutes while a domain controller is reachable, so this machine has not reached one (or processing does not run) for that long, and new settings, mappings and security changes have not arrived.",
		Hint:     "Connect the machine to the corporate network or VPN and run gpupdate /force; if it still does not update, read the Group Policy operational log and check the DC checks of this report.",
		Evidence: []diag.EvidenceKey{{Name: "scope", Meaning: "computer or user"}, {Name: "end", Meaning: "when policy was last applied (UTC)"}, {Name: "age_hours", Meaning: "how long ago, in hours"}},
	}
)
