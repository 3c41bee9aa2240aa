package orgcheck

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/l2diag/l2diag/diag/internal/wlan"
)

// osWifi asks nl80211 itself (diag/internal/wlan: no tool, no privilege);
// where that cannot be asked or lists nothing, it finds the wireless
// interfaces in sysfs and reads each one's link with `iw dev IF link`,
// else the signal level from /proc/net/wireless.
func osWifi(ctx context.Context) ([]wifiLink, error) {
	if ls, err := wlan.Read(ctx); err == nil && len(ls) > 0 {
		out := make([]wifiLink, 0, len(ls))
		for _, l := range ls {
			out = append(out, fromWlan(l))
		}
		return out, nil
	}
	dirs, _ := filepath.Glob("/sys/class/net/*/wireless")
	if len(dirs) == 0 {
		dirs, _ = filepath.Glob("/sys/class/net/*/phy80211")
	}
	var names []string
	for _, d := range dirs {
		n := filepath.Base(filepath.Dir(d))
		if !contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	var proc []wifiLink
	if data, err := os.ReadFile("/proc/net/wireless"); err == nil {
		proc = parseProcWireless(string(data))
	}
	iw, iwErr := exec.LookPath("iw")
	var out []wifiLink
	for _, n := range names {
		if iwErr == nil {
			if b, err := exec.CommandContext(ctx, iw, "dev", n, "link").Output(); err == nil {
				out = append(out, parseIwLink(n, string(b)))
				continue
			}
		}
		l := wifiLink{Interface: n, Source: "/proc/net/wireless"}
		for _, p := range proc {
			if p.Interface == n {
				l = p
			}
		}
		out = append(out, l)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
