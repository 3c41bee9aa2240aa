package hostcheck

import (
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// Captured from real systems: Debian 12 (systemd 252) with --plain, and
// an older systemd that prints a bullet before a unit that is not found.
const (
	systemctlDebian12 = `apache2.service loaded failed failed The Apache HTTP Server
logrotate.service loaded failed failed Rotate log files
`
	systemctlBullets = `● nfs-server.service      not-found failed failed nfs-server.service
  smartd.service          loaded    failed failed Self Monitoring and Reporting Technology (SMART) Daemon
`
	systemctlShow = `Id=apache2.service
Result=exit-code
ExecMainStatus=1
StateChangeTimestamp=Tue 2024-03-05 10:12:01 CET

Id=logrotate.service
Result=oom-kill
ExecMainStatus=0
StateChangeTimestamp=Tue 2024-03-05 00:00:03 CET
`
)

func TestParseFailedUnits(t *testing.T) {
	tests := []struct {
		name string
		out  string
		want []string
	}{
		{"none", "", nil},
		{"debian 12", systemctlDebian12, []string{"apache2.service", "logrotate.service"}},
		{"bullets and not-found", systemctlBullets, []string{"nfs-server.service", "smartd.service"}},
		{"legend lines ignored", "0 loaded units listed.\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range parseFailedUnits([]byte(tt.out)) {
				got = append(got, f.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	list := parseFailedUnits([]byte(systemctlDebian12))
	if list[0].Description != "The Apache HTTP Server" || list[0].State != "failed/failed" {
		t.Errorf("first unit = %+v", list[0])
	}
	addUnitResults(list, []byte(systemctlShow))
	if got, want := list[0].Result, "exit-code, exit status 1"; got != want {
		t.Errorf("result = %q, want %q", got, want)
	}
	if got, want := list[1].Result, "oom-kill"; got != want {
		t.Errorf("result = %q, want %q", got, want)
	}
	if !strings.HasPrefix(list[0].Since, "Tue 2024-03-05 10:12:01") {
		t.Errorf("since = %q", list[0].Since)
	}
}

func TestJudgeServices(t *testing.T) {
	rep := serviceReport{Manager: "systemd", Failed: parseFailedUnits([]byte(systemctlDebian12))}
	tests := []struct {
		name       string
		cfg        profile.HostServices
		wantStatus report.Status
		wantCodes  []string
	}{
		{"each failed unit is a finding", profile.HostServices{}, report.StatusWarn, []string{"host.service-failed", "host.service-failed"}},
		{"ignored unit", profile.HostServices{Ignore: []string{"logrotate.*"}}, report.StatusWarn, []string{"host.service-failed"}},
		{"critical unit fails", profile.HostServices{Critical: []string{"apache2.service"}}, report.StatusFail, []string{"host.service-failed-critical", "host.service-failed"}},
		{"all ignored", profile.HostServices{Ignore: []string{"*"}}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := judgeServices(rep, tt.cfg)
			if res.Status != tt.wantStatus || !slices.Equal(codes(res), tt.wantCodes) {
				t.Errorf("got %s %v, want %s %v", res.Status, codes(res), tt.wantStatus, tt.wantCodes)
			}
			for _, f := range res.Findings {
				if !strings.Contains(f.Hint, f.Evidence["unit"].(string)) {
					t.Errorf("hint does not name the unit: %q", f.Hint)
				}
			}
		})
	}
}
