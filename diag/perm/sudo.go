package permcheck

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// stopMargin is how long before the check's deadline the perm checks stop
// waiting on a child process, so they still return their own result (the
// runner's grace after the deadline is 150ms).
const stopMargin = 200 * time.Millisecond

var sudoSpec = diag.Spec{
	ID:       "perm-sudo",
	Category: diag.CategoryPerm,
	Phase:    diag.PhaseProbe,
	Finds:    "whether the user may use sudo without a password prompt and which rules apply (sudo -n -l; never prompts, never elevates)",
	Findings: []diag.FindingSpec{FindingSudoNoPasswd, FindingSudoPassword, FindingSudoDenied, FindingSudoSlow, FindingSudoHostname, FindingSudoBroken},
	Plan:     planSudo,
}

// planSudo plans the sudo check where sudo exists.
func planSudo(*diag.PlanInput) []diag.Instance {
	if !sudoSupported {
		return nil
	}
	return []diag.Instance{{Run: runSudo}}
}

// sudoOutcome is what one `sudo -n -l` did.
type sudoOutcome struct {
	exitCode int
	stdout   string
	stderr   string
	timedOut bool
	timeout  time.Duration
	// groups are the names of the user's groups.
	groups []string
}

// adminGroupNames are the groups distributions give sudo rights to.
var adminGroupNames = []string{"sudo", "wheel", "admin"}

func adminGroups(groups []string) []string {
	out := []string{}
	for _, g := range groups {
		for _, a := range adminGroupNames {
			if g == a {
				out = append(out, g)
			}
		}
	}
	return out
}

// sudoListing is the parsed output of `sudo -n -l`.
type sudoListing struct {
	rules    []string
	nopasswd []string
}

// parseSudoList picks the rule lines out of `sudo -l` (LC_ALL=C): the
// indented lines after "User X may run the following commands on H:".
func parseSudoList(out string) sudoListing {
	var l sudoListing
	in := false
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "may run the following commands") {
			in = true
			continue
		}
		if !in {
			continue
		}
		if strings.TrimSpace(line) == "" || (line[0] != ' ' && line[0] != '\t') {
			if strings.TrimSpace(line) != "" {
				in = false
			}
			continue
		}
		r := strings.TrimSpace(line)
		l.rules = append(l.rules, r)
		if strings.Contains(r, "NOPASSWD") {
			l.nopasswd = append(l.nopasswd, r)
		}
	}
	return l
}

func runSudo(ctx context.Context, env *diag.Env) report.Result {
	if isElevated() {
		return diag.Skipped("Running as root: sudo does not apply (run l2diag as the user to see their sudo rights).")
	}
	bin, ok := sudoPath()
	if !ok {
		return diag.Skipped("sudo is not installed.")
	}
	limit := env.Profile.Perm.Sudo.Timeout.D()
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl) - stopMargin; left < limit {
			limit = left
		}
	}
	if limit <= 0 {
		return diag.Errored(fmt.Errorf("perm: sudo: no time left before the check's deadline"))
	}
	o, err := runSudoList(ctx, bin, limit)
	if err != nil {
		return diag.Errored(fmt.Errorf("perm: sudo -n -l: %w", err))
	}
	o.groups = groupNames()
	env.Evidence.AddCommand("perm/sudo-n-l.txt", bin+" -n -l", o.exitCode, []byte(o.stdout+o.stderr))
	return sudoResult(o)
}

func sudoResult(o sudoOutcome) report.Result {
	var res report.Result
	ev := map[string]any{"command": "sudo -n -l", "exit_code": o.exitCode}
	if msg := firstLine(o.stderr); msg != "" {
		ev["stderr"] = msg
	}
	if strings.Contains(o.stderr, "unable to resolve host") {
		res.AddFinding(FindingSudoHostname.Finding("sudo cannot resolve this machine's host name: "+lineWith(o.stderr, "unable to resolve host")+".", ev))
	}
	low := strings.ToLower(o.stderr)
	switch {
	case o.timedOut:
		res.AddFinding(FindingSudoSlow.Finding(fmt.Sprintf("`sudo -n -l` did not answer within %s.", o.timeout), ev))
		res.Summary = "sudo did not answer in time."
	case o.exitCode == 0:
		l := parseSudoList(o.stdout)
		res.SetDetail("rules", l.rules)
		if len(l.nopasswd) > 0 {
			ev["rules"] = l.nopasswd
			res.AddFinding(FindingSudoNoPasswd.Finding(fmt.Sprintf("May run without a password: %s.", strings.Join(l.nopasswd, "; ")), ev))
			res.Summary = fmt.Sprintf("sudo without a password: %d rule(s).", len(l.nopasswd))
		} else {
			res.AddFinding(FindingSudoPassword.Finding("sudo rules exist but each needs the password.", ev))
			res.Summary = fmt.Sprintf("sudo with a password: %d rule(s).", len(l.rules))
		}
	case strings.Contains(low, "password is required"):
		admin := adminGroups(o.groups)
		ev["admin_groups"] = admin
		msg := "sudo asks for the password before it lists anything (l2diag does not prompt)"
		if len(admin) > 0 {
			msg += fmt.Sprintf("; the user is in %s, so sudo with the password probably works", strings.Join(admin, ", "))
			res.Summary = "sudo needs a password (admin group member)."
		} else {
			msg += "; the user is in no admin group (sudo, wheel, admin), so there is probably no rule unless one names the user"
			res.Summary = "sudo needs a password; probably no sudo rights."
		}
		res.AddFinding(FindingSudoPassword.Finding(msg+".", ev))
	case strings.Contains(low, "may not run sudo") || strings.Contains(low, "not in the sudoers file") || strings.Contains(low, "not allowed to"):
		res.AddFinding(FindingSudoDenied.Finding("The user may not use sudo on this host: "+firstLine(o.stderr), ev))
		res.Summary = "No sudo rights."
	default:
		res.AddFinding(FindingSudoBroken.Finding(fmt.Sprintf("sudo failed (exit %d): %s", o.exitCode, firstLine(o.stderr)), ev))
		res.Summary = "sudo does not work."
	}
	return res
}

// firstLine is the first line of s that is not sudo's host name warning.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.Contains(l, "unable to resolve host") {
			return l
		}
	}
	return ""
}

func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
