package hostcheck

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/shirou/gopsutil/v4/common"
)

// pendingReboot reads Debian/Ubuntu's /run/reboot-required (and the
// packages that asked for it) and, on RHEL-like systems, needs-restarting -r.
func pendingReboot(ctx context.Context, env *diag.Env) rebootState {
	st := rebootState{Known: true}
	flag := hostPath(ctx, common.HostRunEnvKey, "/run", "reboot-required")
	if _, err := os.Stat(flag); err == nil {
		st.Pending = true
		reason := flag + " exists"
		if pkgs, err := os.ReadFile(flag + ".pkgs"); err == nil {
			env.Evidence.AddFile("host/reboot-required.pkgs", flag+".pkgs", pkgs)
			if names := strings.Fields(string(pkgs)); len(names) > 0 {
				reason += " (updated: " + strings.Join(names, ", ") + ")"
			}
		}
		st.Reasons = append(st.Reasons, reason)
	}
	if path, err := exec.LookPath("needs-restarting"); err == nil {
		// Exit 1 means "reboot needed", 0 "not needed"; anything else is
		// no answer. The context bounds it.
		out, err := exec.CommandContext(ctx, path, "-r").CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 {
			st.Pending = true
			st.Reasons = append(st.Reasons, "needs-restarting -r: "+firstLine(out))
		}
	}
	return st
}

// detectContainer names the container runtime this process runs in, or ""
// on a machine or VM. The markers are the ones the runtimes document.
func detectContainer(ctx context.Context) string {
	root := hostPath(ctx, common.HostRootEnvKey, "/")
	if _, err := os.Stat(root + "/.dockerenv"); err == nil {
		return "docker"
	}
	if _, err := os.Stat(root + "/run/.containerenv"); err == nil {
		return "podman"
	}
	if b, err := os.ReadFile(hostPath(ctx, common.HostRunEnvKey, "/run", "systemd", "container")); err == nil {
		if s := strings.TrimSpace(string(b)); s != "" {
			return s
		}
	}
	if b, err := os.ReadFile(hostPath(ctx, common.HostProcEnvKey, "/proc", "1", "cgroup")); err == nil {
		switch {
		case bytes.Contains(b, []byte("kubepods")):
			return "kubernetes"
		case bytes.Contains(b, []byte("/docker/")):
			return "docker"
		case bytes.Contains(b, []byte("/lxc/")):
			return "lxc"
		}
	}
	return ""
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
