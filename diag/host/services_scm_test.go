package hostcheck

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

func TestServiceFailed(t *testing.T) {
	tests := []struct {
		name                                  string
		startType, state, win32Exit, specific uint32
		wantCode                              uint32
		wantFailed                            bool
	}{
		{"auto, stopped, crashed", scmAutoStart, scmStopped, 1067, 0, 1067, true},
		{"auto, stopped, service-specific code", scmAutoStart, scmStopped, scmSpecificError, 42, 42, true},
		{"auto, stopped, clean exit", scmAutoStart, scmStopped, 0, 0, 0, false},
		{"trigger-start never started (1077)", scmAutoStart, scmStopped, scmNeverStarted, 0, 0, false},
		{"manual start, stopped with error", 3, scmStopped, 1067, 0, 0, false},
		{"auto, running", scmAutoStart, 4, 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, failed := serviceFailed(tt.startType, tt.state, tt.win32Exit, tt.specific)
			if failed != tt.wantFailed || (failed && code != tt.wantCode) {
				t.Errorf("serviceFailed = (%d, %v), want (%d, %v)", code, failed, tt.wantCode, tt.wantFailed)
			}
		})
	}
}

// TestJudgeServicesUnreadable: services whose state could not be read are
// counted and reported; none read at all is an error, never "no failed
// service".
func TestJudgeServicesUnreadable(t *testing.T) {
	unread := []unreadableService{{Name: "Spooler", Error: "QueryServiceConfig: Access is denied."}}
	tests := []struct {
		name        string
		rep         serviceReport
		wantStatus  report.Status
		wantSummary string
	}{
		{"all readable", serviceReport{Manager: "Windows", Checked: 12}, report.StatusOK, "No failed Windows service."},
		{"some unreadable", serviceReport{Manager: "Windows", Checked: 11, Unreadable: unread}, report.StatusOK,
			"No failed Windows service among 11 read; 1 could not be read (Spooler: QueryServiceConfig: Access is denied)."},
		{"none readable", serviceReport{Manager: "Windows", Unreadable: unread}, report.StatusError, "Not known: none of the 1 Windows services could be read"},
		{"failed and unreadable", serviceReport{Manager: "Windows", Checked: 3, Unreadable: unread,
			Failed: []failedService{{Name: "wuauserv", State: "stopped", Result: "exit code 1067"}}}, report.StatusWarn,
			"1 failed Windows service(s): wuauserv; 1 could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := judgeServices(tt.rep, profile.HostServices{})
			if res.Status == "" {
				res.Status = report.StatusOK // the runner's default for a result without problems
			}
			if res.Status != tt.wantStatus || !strings.HasPrefix(res.Summary, tt.wantSummary) {
				t.Errorf("got %s %q, want %s %q", res.Status, res.Summary, tt.wantStatus, tt.wantSummary)
			}
			if len(tt.rep.Unreadable) > 0 && (!res.Degraded || res.Metrics["unreadable"] != float64(len(tt.rep.Unreadable))) {
				t.Errorf("unreadable services not counted: degraded %v, metrics %v", res.Degraded, res.Metrics)
			}
		})
	}
}
