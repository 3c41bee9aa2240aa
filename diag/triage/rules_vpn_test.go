package triage

import (
	"slices"
	"strings"
	"testing"
)

// TestVPNAndWifiConclusions: the org findings of a VPN whose split DNS
// or split routes miss the intranet, and of the wrong Wi-Fi network, each
// end in their conclusion; with a failed DC lookup the VPN's DNS is named
// as the DC lookup's cause (one conclusion, not two).
func TestVPNAndWifiConclusions(t *testing.T) {
	tests := []struct {
		name     string
		results  []*res
		want     []string
		headline string
	}{
		{"split DNS without a routing domain",
			[]*res{result("org-vpn", "").with(t, codeOrgVPNSplitDNS, "names", []string{"corp.example"})},
			[]string{"cause.vpn-dns-not-used"}, ""},
		{"split DNS explains the DC lookup failure",
			[]*res{
				result("org-domain", "").with(t, codeOrgDCNotFound, "domain", "corp.example"),
				result("org-vpn", "").with(t, codeOrgVPNSplitDNS, "names", []string{"corp.example"}),
			},
			[]string{"cause.dc-dns-not-used"}, "because the VPN's DNS is not used"},
		{"an intranet server outside the split tunnel",
			[]*res{result("org-vpn", "").with(t, codeOrgIntranetOut, "hosts", []string{"10.20.0.5 via wlan0"})},
			[]string{"cause.vpn-split-route-missing"}, "intranet servers' subnet"},
		{"a DC outside the split tunnel is named as such",
			[]*res{
				result("org-domain", "").with(t, codeOrgDCOutsideVPN),
				result("org-vpn", "").with(t, codeOrgIntranetOut),
			},
			[]string{"cause.vpn-split-route-missing"}, "domain controllers' subnet"},
		{"the wrong Wi-Fi network",
			[]*res{result("org-wifi", "").with(t, codeOrgWifiWrongNet, "ssid", "HotelGuest")},
			[]string{"cause.wifi-wrong-network"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ConcludeResults(results(tt.results...))
			if !slices.Equal(codes(got), tt.want) {
				t.Fatalf("conclusions %v, want %v\n%s", codes(got), tt.want, dump(got))
			}
			if !strings.Contains(got[0].Headline, tt.headline) {
				t.Errorf("headline %q lacks %q", got[0].Headline, tt.headline)
			}
		})
	}
}
