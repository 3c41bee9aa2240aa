package hostcheck

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/shirou/gopsutil/v4/common"
)

// listFailedServices asks systemd for failed units, then for each one's
// result and since when it failed.
func listFailedServices(ctx context.Context, env *diag.Env) (serviceReport, error) {
	rep := serviceReport{Manager: "systemd"}
	// sd_booted(3): systemd is PID 1 exactly when this directory exists.
	if _, err := os.Stat(hostPath(ctx, common.HostRunEnvKey, "/run", "systemd", "system")); err != nil {
		rep.Skip = "systemd is not running on this machine (no /run/systemd/system), so there are no unit states to read."
		if comm, err := os.ReadFile(hostPath(ctx, common.HostProcEnvKey, "/proc", "1", "comm")); err == nil {
			rep.Skip = fmt.Sprintf("systemd is not running on this machine (PID 1 is %s), so there are no unit states to read.", strings.TrimSpace(string(comm)))
		}
		return rep, nil
	}
	if _, err := exec.LookPath("systemctl"); err != nil {
		rep.Skip = "systemd runs but systemctl is not installed here."
		return rep, nil
	}
	args := []string{"list-units", "--state=failed", "--all", "--plain", "--no-legend", "--no-pager"}
	cmd := exec.CommandContext(ctx, "systemctl", args...)
	out, err := cmd.Output()
	code := 0
	if cmd.ProcessState != nil {
		code = cmd.ProcessState.ExitCode()
	}
	env.Evidence.AddCommand("host/systemctl-failed.txt", "systemctl "+strings.Join(args, " "), code, out)
	if err != nil {
		return rep, fmt.Errorf("host: systemctl list-units: %w", err)
	}
	rep.Failed = parseFailedUnits(out)
	if len(rep.Failed) == 0 {
		return rep, nil
	}
	show := []string{"show", "--property=Id,Result,ExecMainStatus,StateChangeTimestamp", "--"}
	for _, f := range rep.Failed {
		show = append(show, f.Name)
	}
	if out, err := exec.CommandContext(ctx, "systemctl", show...).Output(); err == nil {
		env.Evidence.AddCommand("host/systemctl-show-failed.txt", "systemctl "+strings.Join(show, " "), 0, out)
		addUnitResults(rep.Failed, out)
	}
	return rep, nil
}

// parseFailedUnits reads `systemctl list-units --plain --no-legend`:
// UNIT LOAD ACTIVE SUB DESCRIPTION..., one unit a line. Some versions put
// a "●" before units that are not found even with --plain.
func parseFailedUnits(out []byte) []failedService {
	var list []failedService
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(line, "●"), "*"))
		f := strings.Fields(line)
		if len(f) < 4 || f[2] != "failed" {
			continue
		}
		list = append(list, failedService{
			Name:        f[0],
			State:       f[2] + "/" + f[3],
			Description: strings.Join(f[4:], " "),
		})
	}
	return list
}

// addUnitResults fills Result and Since from `systemctl show` blocks
// (KEY=VALUE lines, one blank-line-separated block per unit).
func addUnitResults(list []failedService, out []byte) {
	byName := map[string]*failedService{}
	for i := range list {
		byName[list[i].Name] = &list[i]
	}
	for _, block := range strings.Split(strings.ReplaceAll(string(out), "\r\n", "\n"), "\n\n") {
		kv := map[string]string{}
		for _, line := range strings.Split(block, "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				kv[k] = v
			}
		}
		f := byName[kv["Id"]]
		if f == nil {
			continue
		}
		f.Result = kv["Result"]
		if s := kv["ExecMainStatus"]; s != "" && s != "0" {
			f.Result += ", exit status " + s
		}
		f.Since = kv["StateChangeTimestamp"]
	}
}
