package main

import "github.com/l2diag/l2diag/diag/watch"

// associatedSSIDs are the Wi-Fi networks the machine is associated with
// now (nl80211, Linux). The redactor learns the report's own "ssid"
// values itself; these cover the watch's roam events, which no report
// carries.
func associatedSSIDs() []string {
	var out []string
	for _, ap := range watch.ReadWiFiAPs() {
		if ap.SSID != "" {
			out = append(out, ap.SSID)
		}
	}
	return out
}
