package wlan

import (
	"context"
	"errors"
	"net"
	"runtime"
	"testing"

	"github.com/mdlayher/wifi"
)

// There is no radio (and no mac80211_hwsim) where the tests run: the
// mapping is tested on the library's own structs, filled as nl80211
// fills them for an associated station.
func TestFromNL80211(t *testing.T) {
	ap := net.HardwareAddr{0x3c, 0x37, 0x86, 0x5e, 0xaa, 0x01}
	other := net.HardwareAddr{0x3c, 0x37, 0x86, 0x5e, 0xaa, 0x02}
	ifi := &wifi.Interface{Index: 3, Name: "wlp2s0", Type: wifi.InterfaceTypeStation, Frequency: 5180}
	tests := []struct {
		name string
		bss  *wifi.BSS
		sta  []*wifi.StationInfo
		want Link
	}{
		{"not associated", nil, nil, Link{Interface: "wlp2s0"}},
		{"authenticated only", &wifi.BSS{SSID: "CorpWLAN", BSSID: ap, Status: wifi.BSSStatusAuthenticated}, nil, Link{Interface: "wlp2s0"}},
		{"associated, station signal and rates",
			&wifi.BSS{SSID: "CorpWLAN", BSSID: ap, Frequency: 5180, Signal: -7600, Status: wifi.BSSStatusAssociated},
			[]*wifi.StationInfo{{HardwareAddr: ap, Signal: -74, SignalAverage: -73, ReceiveBitrate: 58_500_000, TransmitBitrate: 117_000_000}},
			Link{Interface: "wlp2s0", Connected: true, SSID: "CorpWLAN", BSSID: "3c:37:86:5e:aa:01", FreqMHz: 5180, SignalDBm: -74, SignalKnown: true, RxMbps: 58.5, TxMbps: 117}},
		{"no station entry: the scan's signal in mBm",
			&wifi.BSS{SSID: "Guest", BSSID: ap, Signal: -5500, Status: wifi.BSSStatusAssociated},
			nil,
			Link{Interface: "wlp2s0", Connected: true, SSID: "Guest", BSSID: "3c:37:86:5e:aa:01", FreqMHz: 5180, SignalDBm: -55, SignalKnown: true}},
		{"the station matching the BSSID is used",
			&wifi.BSS{SSID: "CorpWLAN", BSSID: ap, Frequency: 2437, Status: wifi.BSSStatusAssociated},
			[]*wifi.StationInfo{{HardwareAddr: other, Signal: -40}, {HardwareAddr: ap, Signal: 0, SignalAverage: -81, ReceiveBitrate: 1_000_000}},
			Link{Interface: "wlp2s0", Connected: true, SSID: "CorpWLAN", BSSID: "3c:37:86:5e:aa:01", FreqMHz: 2437, SignalDBm: -81, SignalKnown: true, RxMbps: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FromNL80211(ifi, tt.bss, tt.sta); got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestReadWithoutRadio: here nl80211 lists no station interface (or the
// kernel has no wireless stack at all); either way Read says so without
// inventing a link.
func TestReadWithoutRadio(t *testing.T) {
	links, err := Read(context.Background())
	if runtime.GOOS != "linux" {
		if !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Read on %s: got %v, want ErrUnavailable", runtime.GOOS, err)
		}
		return
	}
	if err != nil && !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Read: %v", err)
	}
	for _, l := range links {
		t.Logf("found %+v (a real Wi-Fi interface on this machine)", l)
		if l.Interface == "" {
			t.Errorf("a link without an interface name: %+v", l)
		}
	}
}
