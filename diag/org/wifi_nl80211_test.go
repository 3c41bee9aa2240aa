package orgcheck

import (
	"context"
	"net"
	"slices"
	"testing"

	"github.com/mdlayher/wifi"

	"github.com/l2diag/l2diag/diag/internal/wlan"
	"github.com/l2diag/l2diag/report"
)

// nlLink is what nl80211 reports for an associated station, through the
// library's own structs (there is no radio here to ask).
func nlLink(ssid string, mhz int, dbm int) wifiLink {
	ap := net.HardwareAddr{0x3c, 0x37, 0x86, 0x5e, 0xaa, 0x01}
	ifi := &wifi.Interface{Name: "wlp2s0", Type: wifi.InterfaceTypeStation}
	bss := &wifi.BSS{SSID: ssid, BSSID: ap, Frequency: mhz, Status: wifi.BSSStatusAssociated}
	sta := []*wifi.StationInfo{{HardwareAddr: ap, Signal: dbm, ReceiveBitrate: 866_700_000, TransmitBitrate: 780_000_000}}
	return fromWlan(wlan.FromNL80211(ifi, bss, sta))
}

func TestFromWlan(t *testing.T) {
	tests := []struct {
		name    string
		mhz     int
		band    string
		channel int
	}{
		{"2.4 GHz channel 6", 2437, "2.4 GHz", 6},
		{"5 GHz channel 36", 5180, "5 GHz", 36},
		{"6 GHz channel 37", 6135, "6 GHz", 37},
		{"unknown frequency", 0, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := nlLink("CorpWLAN", tt.mhz, -60)
			if l.Band != tt.band || l.Channel != tt.channel || l.Source != "nl80211" || l.RxMbps != 866.7 || l.TxMbps != 780 || !l.SignalKnown || l.SignalDBm != -60 {
				t.Errorf("got %+v, want band %q channel %d, -60 dBm, 866.7/780 Mbit/s from nl80211", l, tt.band, tt.channel)
			}
		})
	}
}

func TestWifiNetworkVerdict(t *testing.T) {
	hidden := nlLink("", 5180, -50)
	proc := parseProcWireless(readTestdata(t, "proc-net-wireless.txt"))
	tests := []struct {
		name     string
		expected []string
		links    []wifiLink
		want     []string
	}{
		{"no list in the profile: any network", nil, []wifiLink{nlLink("HotelGuest", 2412, -50)}, nil},
		{"the organisation's network", []string{"CorpWLAN", "Corp-5G"}, []wifiLink{nlLink("Corp-5G", 5180, -50)}, nil},
		{"a guest network", []string{"CorpWLAN"}, []wifiLink{nlLink("CorpGuest", 5180, -50)}, []string{"org.wifi-wrong-network"}},
		{"SSIDs are case-sensitive", []string{"CorpWLAN"}, []wifiLink{nlLink("corpwlan", 5180, -50)}, []string{"org.wifi-wrong-network"}},
		{"wrong and weak", []string{"CorpWLAN"}, []wifiLink{nlLink("iPhone", 2412, -82)}, []string{"org.wifi-weak-signal", "org.wifi-wrong-network"}},
		{"hidden SSID is not judged", []string{"CorpWLAN"}, []wifiLink{hidden}, nil},
		{"/proc/net/wireless has no SSID: only the signal is judged", []string{"CorpWLAN"}, proc[:1], []string{"org.wifi-weak-signal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := testEnv()
			env.Profile.Org.WifiSSIDs = tt.expected
			c := wifiCheck{read: func(context.Context) ([]wifiLink, error) { return tt.links, nil }}
			res := c.run(context.Background(), env)
			res.Normalize()
			got := codesOf(res)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v (%s), want %v", got, res.Summary, tt.want)
			}
			if len(tt.want) > 0 && res.Status != report.StatusWarn {
				t.Errorf("status %s, want warn", res.Status)
			}
		})
	}
}
