package hostcheck

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

var servicesSpec = diag.Spec{
	ID: IDServices, Category: diag.CategoryHost, Phase: diag.PhaseProbe,
	Finds:    "failed systemd units (Linux) or stopped automatic services (Windows)",
	Findings: []diag.FindingSpec{FindingServiceFailed, FindingServiceFailedCritical, FindingOSStalled},
	Plan:     diag.Once(runServices),
}

// failedService is one unit or service in a failed state.
type failedService struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// State is the service manager's words ("failed/failed", "stopped").
	State string `json:"state"`
	// Result says why, where the manager knows ("exit-code", "exit 1067").
	Result string `json:"result,omitempty"`
	Since  string `json:"since,omitempty"`
}

// unreadableService is a service whose state could not be read.
type unreadableService struct {
	Name  string `json:"name"`
	Error string `json:"error"`
}

// serviceReport is what a platform's lister returns: Skip explains why
// there is nothing to list on this machine. Checked counts the services
// whose state was read (0: the lister does not count); Unreadable lists
// those that could not be.
type serviceReport struct {
	Manager    string
	Failed     []failedService
	Skip       string
	Checked    int
	Unreadable []unreadableService
}

func runServices(ctx context.Context, env *diag.Env) report.Result {
	ctx, cancel := withMargin(ctx)
	defer cancel()
	rep, err := guard(ctx, "the service states", func(ctx context.Context) (serviceReport, error) { return listFailedServices(ctx, env) })
	if err != nil {
		return failed(err, "Could not read the service states.")
	}
	if rep.Skip != "" {
		return diag.Skipped(rep.Skip)
	}
	return judgeServices(rep, env.Profile.Host.Services)
}

// judgeServices turns the failed list into findings, honouring the
// profile's ignore and critical patterns.
func judgeServices(rep serviceReport, p profile.HostServices) report.Result {
	var res report.Result
	var reported, ignored []string
	for _, f := range rep.Failed {
		if matchAny(p.Ignore, f.Name) {
			ignored = append(ignored, f.Name)
			continue
		}
		reported = append(reported, f.Name)
		msg := fmt.Sprintf("%s is %s", f.Name, f.State)
		if f.Result != "" {
			msg += " (" + f.Result + ")"
		}
		if f.Since != "" {
			msg += " since " + f.Since
		}
		if f.Description != "" {
			msg += ": " + f.Description
		}
		ev := map[string]any{"unit": f.Name, "state": f.State, "result": f.Result, "since": f.Since, "manager": rep.Manager}
		spec := FindingServiceFailed
		if matchAny(p.Critical, f.Name) {
			spec = FindingServiceFailedCritical
		}
		fd := spec.Finding(msg+".", ev)
		fd.Hint = strings.ReplaceAll(fd.Hint, "UNIT", f.Name)
		fd.Hint = strings.ReplaceAll(fd.Hint, "NAME", f.Name)
		res.AddFinding(fd)
	}
	res.SetMetric("failed", float64(len(reported)))
	res.SetDetail("manager", rep.Manager)
	res.SetDetail("failed", rep.Failed)
	if len(ignored) > 0 {
		res.SetDetail("ignored", ignored)
	}
	switch len(reported) {
	case 0:
		res.Summary = fmt.Sprintf("No failed %s service.", rep.Manager)
	default:
		res.Summary = fmt.Sprintf("%d failed %s service(s): %s.", len(reported), rep.Manager, strings.Join(reported, ", "))
	}
	if rep.Checked > 0 || len(rep.Unreadable) > 0 {
		res.SetMetric("checked", float64(rep.Checked))
	}
	if n := len(rep.Unreadable); n > 0 {
		// What could not be read is not "not failed": count it and say so.
		res.Degraded = true
		res.SetDetail("unreadable", rep.Unreadable)
		res.SetMetric("unreadable", float64(n))
		first := rep.Unreadable[0]
		if rep.Checked == 0 {
			res.Status = report.StatusError
			res.Error = fmt.Sprintf("host: none of the %d %s services could be read (%s: %s)", n, rep.Manager, first.Name, first.Error)
			res.Summary = fmt.Sprintf("Not known: none of the %d %s services could be read (%s: %s).", n, rep.Manager, first.Name, strings.TrimRight(first.Error, "."))
			return res
		}
		if len(reported) == 0 {
			res.Summary = fmt.Sprintf("No failed %s service among %d read", rep.Manager, rep.Checked)
		} else {
			res.Summary = strings.TrimSuffix(res.Summary, ".")
		}
		res.Summary += fmt.Sprintf("; %d could not be read (%s: %s).", n, first.Name, strings.TrimRight(first.Error, "."))
	}
	return res
}

func matchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}
