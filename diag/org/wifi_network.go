package orgcheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

var FindingWifiWrongNetwork = diag.FindingSpec{
	Code: "org.wifi-wrong-network", Status: report.StatusWarn,
	Meaning:  "The Wi-Fi is connected to a network that is not one of the organisation's (org.wifi_ssids): a guest, hotel, phone or neighbour's network gives no route to the intranet and other DNS, proxy and firewall rules.",
	Hint:     "Connect to one of the organisation's networks (evidence: expected) and forget the wrong one in the Wi-Fi settings so it is not joined again automatically (Windows: netsh wlan delete profile name=SSID).",
	Evidence: []diag.EvidenceKey{{Name: "interface", Meaning: "the Wi-Fi interface"}, {Name: "ssid", Meaning: "the network it is connected to"}, {Name: "expected", Meaning: "org.wifi_ssids"}},
}

// wrongNetwork is the finding for a link connected to a network the
// profile does not name; nil when the profile names none (any network is
// fine), the link is not connected or its SSID is not reported (hidden,
// or /proc/net/wireless, which has no SSID: never guessed).
func wrongNetwork(l wifiLink, expected []string) *report.Finding {
	if len(expected) == 0 || !l.Connected || l.SSID == "" || slices.Contains(expected, l.SSID) {
		return nil
	}
	f := FindingWifiWrongNetwork.Finding(fmt.Sprintf("%s is connected to the Wi-Fi network %q, not to one of the organisation's (%s).", l.Interface, l.SSID, strings.Join(quoteAll(expected), ", ")),
		map[string]any{"interface": l.Interface, "ssid": l.SSID, "expected": expected})
	return &f
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}
