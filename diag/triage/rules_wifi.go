package triage

import "github.com/l2diag/l2diag/report"

var specWifiWrongNetwork = Spec{
	Code: "cause.wifi-wrong-network", Layer: LayerLink, Status: report.StatusWarn, Escalation: ResolveHere,
	Title:   "Connected to the wrong Wi-Fi network",
	Meaning: "The machine is on a Wi-Fi network that is not one of the organisation's (a guest, hotel, phone hotspot or neighbour's network): intranet servers, the domain's DNS and internal proxies are not reachable from there, whatever else works.",
	Causes:  []string{"Windows or the desktop joined a remembered guest or open network automatically", "the corporate network is out of range at this spot", "the user picked a similarly named network"},
	Fix:     "Connect to one of the organisation's networks (evidence: expected) and forget the wrong one so it is not joined again (Windows: netsh wlan delete profile name=SSID); off-site, connect the VPN.",
	Why:     "Drawn from org.wifi-wrong-network (only when the profile names the organisation's networks in org.wifi_ssids).",
}
