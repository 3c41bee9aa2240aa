package hostcheck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/internal/account"
	"github.com/l2diag/l2diag/report"
	"github.com/shirou/gopsutil/v4/host"
)

var systemSpec = diag.Spec{
	ID: IDSystem, Category: diag.CategoryHost, Phase: diag.PhaseProbe,
	Finds:    "OS, kernel, uptime, virtualization/container, logged-in users; long uptime, pending reboot",
	Findings: []diag.FindingSpec{FindingUptimeLong, FindingRebootPending, FindingServiceAccount, FindingOSStalled},
	Plan:     diag.Once(runSystem),
}

// rebootState is tri-state: a platform that cannot tell says so instead
// of claiming "no reboot pending".
type rebootState struct {
	Known   bool
	Pending bool
	// Reasons say what asks for the reboot (a file, a registry key, packages).
	Reasons []string
}

func runSystem(ctx context.Context, env *diag.Env) report.Result {
	ctx, cancel := withMargin(ctx)
	defer cancel()
	p := env.Profile.Host.System

	info, err := guard(ctx, "the host information", host.InfoWithContext)
	if err != nil {
		return failed(err, "Could not read the host information.")
	}
	var res report.Result
	uptime := time.Duration(info.Uptime) * time.Second
	boot := time.Unix(int64(info.BootTime), 0).UTC()
	res.SetMetric("uptime_seconds", float64(info.Uptime))
	res.SetMetric("processes", float64(info.Procs))
	res.SetDetail("hostname", info.Hostname)
	res.SetDetail("os", info.OS)
	res.SetDetail("platform", info.Platform)
	res.SetDetail("platform_family", info.PlatformFamily)
	res.SetDetail("platform_version", info.PlatformVersion)
	res.SetDetail("kernel", info.KernelVersion)
	res.SetDetail("arch", info.KernelArch)
	res.SetDetail("boot_time", boot.Format(time.RFC3339))
	res.SetDetail("virtualization", map[string]any{"system": info.VirtualizationSystem, "role": info.VirtualizationRole})
	container := detectContainer(ctx)
	res.SetDetail("container", container)

	users, uerr := guard(ctx, "the logged-in users", listUsers)
	if errors.Is(uerr, fs.ErrNotExist) {
		// No utmp (containers, minimal images): nobody logged in through login(1).
		users, uerr = nil, nil
	}
	// A platform that cannot list the users says "unknown", never "0".
	usersText := "logged-in users unknown"
	var console []string
	if uerr != nil {
		res.SetDetail("users_error", uerr.Error())
	} else {
		list := make([]map[string]any, 0, len(users))
		for _, u := range users {
			m := map[string]any{"user": u.User, "terminal": u.Terminal, "host": u.Host}
			if u.Started > 0 {
				m["started"] = time.Unix(u.Started, 0).UTC().Format(time.RFC3339)
			}
			if u.State != "" {
				m["state"] = u.State
			}
			if u.Console {
				m["console"] = true
				console = append(console, u.User)
			}
			list = append(list, m)
		}
		res.SetDetail("users", list)
		res.SetMetric("users", float64(len(users)))
		usersText = fmt.Sprintf("%d user(s) logged in", len(users))
		if len(console) > 0 {
			res.SetDetail("interactive_user", strings.Join(console, ", "))
			usersText += " (at the console: " + strings.Join(console, ", ") + ")"
		}
	}

	// Who l2diag runs as matters when it is not the user at the console:
	// a script run by Intune or an RMM agent as SYSTEM.
	if runAs, err := account.Current(); err != nil {
		res.SetDetail("run_as_error", err.Error())
	} else {
		res.SetDetail("run_as", runAs.Name)
		if f, ok := serviceAccountFinding(runAs, console); ok {
			res.AddFinding(f)
			usersText += "; l2diag ran as " + runAs.Service
		}
	}

	if uptime > p.UptimeWarn.D() {
		res.AddFinding(FindingUptimeLong.Finding(
			fmt.Sprintf("Up %s since %s, longer than %s.", span(uptime), boot.Format("2006-01-02"), p.UptimeWarn),
			map[string]any{"uptime_seconds": info.Uptime, "threshold": p.UptimeWarn.String()}))
	}
	rb := pendingReboot(ctx, env)
	if rb.Known {
		res.SetDetail("reboot_pending", rb.Pending)
	} else {
		res.SetDetail("reboot_pending", "unknown")
	}
	if rb.Pending {
		res.AddFinding(FindingRebootPending.Finding("The OS says a reboot is required: "+strings.Join(rb.Reasons, "; ")+".",
			map[string]any{"reasons": rb.Reasons}))
	}

	osName := strings.TrimSpace(info.Platform + " " + info.PlatformVersion)
	if osName == "" {
		osName = info.OS
	}
	where := ""
	switch {
	case container != "":
		where = ", in a " + container + " container"
	case info.VirtualizationRole == "guest" && info.VirtualizationSystem != "":
		where = ", a " + info.VirtualizationSystem + " guest"
	}
	res.Summary = fmt.Sprintf("%s %s (kernel %s, %s)%s, up %s, %s.",
		info.Hostname, osName, info.KernelVersion, info.KernelArch, where, span(uptime), usersText)
	return res
}
