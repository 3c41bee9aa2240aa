package permcheck

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// identity is who l2diag runs as, in platform-neutral form. Fields a
// platform does not have stay empty; pointers keep "not known" apart from
// "false" (tri-state).
type identity struct {
	User string `json:"user"`
	// ID is the numeric UID on Unix, the SID on Windows.
	ID           string   `json:"id"`
	PrimaryGroup string   `json:"primary_group,omitempty"`
	Groups       []string `json:"groups"`
	// Elevated is true for root, for a process with CAP_DAC_OVERRIDE, and
	// for an elevated Windows token.
	Elevated bool   `json:"elevated"`
	Umask    string `json:"umask,omitempty"`
	Home     string `json:"home,omitempty"`
	// Capabilities are the effective Linux capabilities that change what
	// the other checks can do.
	Capabilities []string `json:"capabilities,omitempty"`
	// PingGroupRange is net.ipv4.ping_group_range as the kernel shows it.
	PingGroupRange string `json:"ping_group_range,omitempty"`
	// PingAdmitted says whether one of the user's groups is in that range.
	PingAdmitted *bool `json:"ping_admitted,omitempty"`
	// RawSockets says whether the process may open raw sockets.
	RawSockets *bool `json:"raw_sockets,omitempty"`
	// PingProgram is the system's ping and the privilege it carries of its
	// own ("/usr/bin/ping: cap_net_raw", "/bin/ping: setuid root",
	// "/usr/bin/ping: none"); PingWorks says whether that lets this user
	// ping (nil: not known).
	PingProgram string `json:"ping_program,omitempty"`
	PingWorks   *bool  `json:"ping_works,omitempty"`
	// Integrity is the Windows token's mandatory integrity level.
	Integrity string `json:"integrity,omitempty"`
}

// errUnsupported is what platform code returns on a GOOS it does not cover.
var errUnsupported = fmt.Errorf("not supported on %s/%s", runtime.GOOS, runtime.GOARCH)

var identitySpec = diag.Spec{
	ID:       "perm-identity",
	Category: diag.CategoryPerm,
	Phase:    diag.PhaseProbe,
	Finds:    "who l2diag runs as: user, groups, root/elevation, umask, home, capabilities and unprivileged ping",
	Findings: []diag.FindingSpec{FindingElevated, FindingNoICMP},
	Plan:     diag.Once(runIdentity),
}

func runIdentity(ctx context.Context, env *diag.Env) report.Result {
	id, err := currentIdentity(ctx)
	if errors.Is(err, errUnsupported) {
		return diag.Skipped(err.Error())
	}
	if err != nil {
		return diag.Errored(fmt.Errorf("perm: identity: %w", err))
	}
	var res report.Result
	res.SetDetail("identity", id)
	res.Summary = identitySummary(id)
	if id.Elevated {
		res.AddFinding(FindingElevated.Finding(
			fmt.Sprintf("Running as %s (elevated): path verdicts are that account's, not an ordinary user's.", id.User),
			map[string]any{"user": id.User, "id": id.ID}))
	}
	if f, ok := icmpFinding(id); ok {
		res.AddFinding(f)
	}
	return res
}

// icmpFinding is perm.identity-no-icmp when this user cannot ping. Only a
// user whose ping command fails is told so: distributions give ping its
// own privilege (cap_net_raw, setuid) exactly so that the kernel default
// ping_group_range ("1 0") costs the user nothing, and l2diag's own
// measurement already says it fell back to TCP (net.ping-unprivileged).
func icmpFinding(id identity) (report.Finding, bool) {
	if id.PingAdmitted == nil || *id.PingAdmitted || id.RawSockets == nil || *id.RawSockets ||
		(id.PingWorks != nil && *id.PingWorks) {
		return report.Finding{}, false
	}
	msg := fmt.Sprintf("%s may not ping: no CAP_NET_RAW, net.ipv4.ping_group_range (%s) admits none of its groups", id.User, id.PingGroupRange)
	if id.PingProgram != "" {
		msg += fmt.Sprintf(", and the ping program has no privilege of its own (%s)", id.PingProgram)
	}
	return FindingNoICMP.Finding(msg+".",
		map[string]any{"ping_group_range": id.PingGroupRange, "groups": id.Groups, "ping_program": id.PingProgram}), true
}

func identitySummary(id identity) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Runs as %s (%s)", id.User, id.ID)
	if id.Elevated {
		b.WriteString(", elevated")
	}
	if len(id.Groups) > 0 {
		fmt.Fprintf(&b, "; groups %s", strings.Join(id.Groups, ", "))
	}
	if id.Umask != "" {
		fmt.Fprintf(&b, "; umask %s", id.Umask)
	}
	b.WriteString(".")
	return b.String()
}
