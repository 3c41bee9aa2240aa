package orgcheck

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// osWifi runs `netsh wlan show interfaces` (no privilege needed). No WLAN
// service or no wireless adapter is "no Wi-Fi"; output that does not parse
// (a non-English UI) is "could not read", never "not connected".
func osWifi(ctx context.Context) ([]wifiLink, error) {
	b, err := exec.CommandContext(ctx, "netsh", "wlan", "show", "interfaces").Output()
	out := string(b)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return nil, fmt.Errorf("org: netsh wlan show interfaces: %w", err)
	}
	links := parseNetshWlan(out)
	if len(links) > 0 {
		return links, nil
	}
	low := strings.ToLower(out)
	if err != nil || strings.Contains(low, "wlansvc") || strings.Contains(low, "there is no wireless interface") || strings.TrimSpace(out) == "" {
		return nil, nil
	}
	return nil, fmt.Errorf("org: netsh wlan show interfaces: output not understood (a non-English Windows?): %.200q", out)
}
