package orgcheck

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
)

// toFileTime splits t into the two DWORDs the Group Policy state keeps.
func toFileTime(t time.Time) (hi, lo uint32) {
	ft := uint64(t.Unix()+11644473600)*1e7 + uint64(t.Nanosecond()/100)
	return uint32(ft >> 32), uint32(ft)
}

func TestFileTime(t *testing.T) {
	// 2024-01-01T00:00:00Z is FILETIME 133485408000000000 (0x01DA3C45_7689C000).
	if got := fileTime(0x01DA3C45, 0x7689C000); !got.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("fileTime = %s, want 2024-01-01T00:00:00Z", got)
	}
	want := time.Date(2026, 11, 29, 21, 7, 13, 500, time.UTC)
	if got := fileTime(toFileTime(want)); !got.Equal(want) {
		t.Errorf("round trip %s, want %s", got, want)
	}
	if !fileTime(0, 0).IsZero() {
		t.Error("no time recorded is not the zero time")
	}
}

func TestJudgeGPO(t *testing.T) {
	now := time.Date(2026, 11, 29, 22, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		runs    []gpoRun
		codes   []string
		summary string
	}{
		{"both applied an hour ago", []gpoRun{{Scope: "computer", End: now.Add(-time.Hour)}, {Scope: "user", End: now.Add(-50 * time.Minute)}}, nil, "Computer policy applied 1h0m0s ago; user policy applied 50m0s ago."},
		{"computer processing failed: no DC", []gpoRun{{Scope: "computer", End: now.Add(-time.Hour), Status: 1355, StatusText: "The specified domain either does not exist or could not be contacted."}}, []string{"org.gpo-failing"}, "Computer policy failing."},
		{"one extension failed", []gpoRun{{Scope: "user", End: now.Add(-time.Hour), Failed: []string{"Drive Maps: 2147942402"}}}, []string{"org.gpo-failing"}, "User policy failing."},
		{"last applied 9 days ago", []gpoRun{{Scope: "computer", End: now.Add(-9 * 24 * time.Hour)}}, []string{"org.gpo-stale"}, "Computer policy 216h0m0s old."},
		{"no end time recorded", []gpoRun{{Scope: "computer"}}, nil, "Computer policy: no end time recorded."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res report.Result
			judgeGPO(&res, tt.runs, now)
			if got := codesOf(res); !slices.Equal(got, tt.codes) {
				t.Errorf("codes %v, want %v", got, tt.codes)
			}
			if res.Summary != tt.summary {
				t.Errorf("summary %q, want %q", res.Summary, tt.summary)
			}
			for _, f := range res.Findings {
				if !strings.Contains(f.Message, tt.runs[0].Scope) {
					t.Errorf("message %q does not name the scope", f.Message)
				}
			}
		})
	}
}

func TestGPOCheckSilentWithoutState(t *testing.T) {
	c := gpoCheck{now: time.Now, read: func(context.Context) (gpoState, error) {
		return gpoState{Why: "No group policy processing recorded."}, nil
	}}
	r := c.run(context.Background())
	if r.Status != report.StatusSkipped || len(r.Findings) != 0 || r.Summary == "" {
		t.Errorf("got %s %v %q; want skipped with the reason", r.Status, codesOf(r), r.Summary)
	}
}
