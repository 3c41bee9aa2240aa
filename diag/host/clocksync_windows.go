package hostcheck

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/l2diag/l2diag/diag"
)

// osClockSync reads `w32tm /query /status`: leap indicator 3 or a local
// clock as source means the Windows Time service is not synchronised.
func osClockSync(ctx context.Context, env *diag.Env) syncState {
	cmd := exec.CommandContext(ctx, "w32tm", "/query", "/status")
	out, err := cmd.CombinedOutput()
	st := syncState{Source: "w32tm", Detail: map[string]any{}}
	if cmd.ProcessState == nil {
		// It never started (no w32tm.exe, as under wine): say so in the
		// evidence instead of "exit 0, no output".
		msg := fmt.Sprintf("w32tm did not start: %v", err)
		env.Evidence.AddCommand("host/w32tm-status.txt", "w32tm /query /status", -1, []byte(msg+"\n"))
		st.Detail["error"] = msg
		return st
	}
	env.Evidence.AddCommand("host/w32tm-status.txt", "w32tm /query /status", cmd.ProcessState.ExitCode(), out)
	text := string(out)
	if strings.Contains(text, "0x80070426") {
		st.Known = true
		st.Detail["reason"] = "the Windows Time service is not running"
		return st
	}
	if err != nil {
		st.Detail["error"] = strings.TrimSpace(text)
		return st
	}
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "Leap Indicator":
			st.Known = true
			st.Synced = !strings.HasPrefix(v, "3")
			st.Detail["leap_indicator"] = v
		case "Source":
			st.Detail["source"] = v
		}
	}
	if src, _ := st.Detail["source"].(string); strings.Contains(src, "Local CMOS Clock") || strings.Contains(src, "Free-running") {
		st.Synced = false
	}
	return st
}
