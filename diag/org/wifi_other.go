//go:build !linux && !windows

package orgcheck

import (
	"context"
	"os"
	"os/exec"
)

// airportPath is the tool macOS shipped until 14.4; its successor wdutil
// needs root and CoreWLAN needs cgo, so newer macOS has no Wi-Fi reading.
const airportPath = "/System/Library/PrivateFrameworks/Apple80211.framework/Versions/Current/Resources/airport"

func osWifi(ctx context.Context) ([]wifiLink, error) {
	if _, err := os.Stat(airportPath); err != nil {
		return nil, nil
	}
	b, err := exec.CommandContext(ctx, airportPath, "-I").Output()
	if err != nil {
		return nil, nil
	}
	l := parseAirport("en0", string(b))
	if !l.Connected && l.SSID == "" {
		return nil, nil
	}
	return []wifiLink{l}, nil
}
