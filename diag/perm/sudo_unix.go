//go:build linux || darwin

package permcheck

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

const sudoSupported = true

func isElevated() bool {
	c := currentCred()
	return c.uid == 0
}

func groupNames() []string {
	var out []string
	for _, g := range currentCred().groupList {
		out = append(out, groupName(g))
	}
	return out
}

func sudoPath() (string, bool) {
	p, err := exec.LookPath("sudo")
	return p, err == nil
}

// runSudoList runs `sudo -n -l` so that it can never prompt or hang: -n
// (non-interactive), stdin from /dev/null, a new session without a
// controlling terminal, no askpass helper, and killed at limit.
func runSudoList(ctx context.Context, bin string, limit time.Duration) (sudoOutcome, error) {
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := exec.CommandContext(cctx, bin, "-n", "-l")
	cmd.Stdin = nil
	cmd.Env = sudoEnv(os.Environ())
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	// A grandchild holding the pipes must not keep Wait waiting.
	cmd.WaitDelay = 100 * time.Millisecond
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	o := sudoOutcome{stdout: stdout.String(), stderr: stderr.String(), timeout: limit}
	var ee *exec.ExitError
	switch {
	case cctx.Err() != nil && ctx.Err() == nil:
		o.timedOut = true
		o.exitCode = -1
	case ctx.Err() != nil:
		return o, ctx.Err()
	case errors.As(err, &ee):
		o.exitCode = ee.ExitCode()
	case err != nil:
		return o, err
	}
	return o, nil
}

// sudoEnv is the environment minus anything that could make sudo ask for
// a password some other way, in the C locale so its messages parse.
func sudoEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "SUDO_ASKPASS", "LANG", "LANGUAGE", "DISPLAY", "WAYLAND_DISPLAY":
			continue
		}
		if strings.HasPrefix(k, "LC_") {
			continue
		}
		out = append(out, kv)
	}
	return append(out, "LC_ALL=C")
}
