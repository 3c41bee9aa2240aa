package watch

import (
	"strings"
	"testing"
	"time"
)

func TestDiffWiFi(t *testing.T) {
	ap := func(ssid, bssid string, dbm int) WiFiAP {
		return WiFiAP{SSID: ssid, BSSID: bssid, SignalDBm: dbm, SignalKnown: dbm != 0}
	}
	tests := []struct {
		name   string
		a, b   map[string]WiFiAP
		kind   string
		detail string
	}{
		{"same access point", map[string]WiFiAP{"wlan0": ap("Corp", "3c:37:86:5e:aa:01", -60)}, map[string]WiFiAP{"wlan0": ap("Corp", "3c:37:86:5e:aa:01", -70)}, "", ""},
		{"roam", map[string]WiFiAP{"wlan0": ap("Corp", "3c:37:86:5e:aa:01", -78)}, map[string]WiFiAP{"wlan0": ap("Corp", "3c:37:86:5e:aa:02", -55)},
			KindWiFiRoam, `wlan0 roamed on "Corp" from 3c:37:86:5e:aa:01 (-78 dBm) to 3c:37:86:5e:aa:02 (-55 dBm)`},
		{"roam, signal unknown", map[string]WiFiAP{"wlan0": ap("Corp", "3c:37:86:5e:aa:01", 0)}, map[string]WiFiAP{"wlan0": ap("Corp", "3c:37:86:5e:aa:02", 0)},
			KindWiFiRoam, `wlan0 roamed on "Corp" from 3c:37:86:5e:aa:01 to 3c:37:86:5e:aa:02`},
		{"another network", map[string]WiFiAP{"wlan0": ap("Corp", "3c:37:86:5e:aa:01", -60)}, map[string]WiFiAP{"wlan0": ap("Guest", "3c:37:86:5e:bb:01", -60)},
			KindWiFiNetwork, `wlan0 left Wi-Fi network "Corp" (3c:37:86:5e:aa:01) for "Guest" (3c:37:86:5e:bb:01)`},
		{"newly associated: a link event, not a roam", nil, map[string]WiFiAP{"wlan0": ap("Corp", "3c:37:86:5e:aa:01", -60)}, "", ""},
		{"disassociated", map[string]WiFiAP{"wlan0": ap("Corp", "3c:37:86:5e:aa:01", -60)}, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diffWiFi(tt.a, tt.b)
			if tt.kind == "" {
				if len(got) != 0 {
					t.Errorf("got %+v, want no change", got)
				}
				return
			}
			if len(got) != 1 || got[0].kind != tt.kind || got[0].detail != tt.detail {
				t.Fatalf("got %+v, want one %s %q", got, tt.kind, tt.detail)
			}
			// The networks the detail names, for the outgoing filter.
			for _, n := range got[0].ssids {
				if !strings.Contains(tt.detail, `"`+n+`"`) {
					t.Errorf("ssids %q: %q is not in the detail", got[0].ssids, n)
				}
			}
			if want := strings.Count(tt.detail, `"`) / 2; len(got[0].ssids) != want {
				t.Errorf("ssids %q, want the %d the detail names", got[0].ssids, want)
			}
			if r := got[0].roam; tt.kind == KindWiFiRoam && (r == nil || r.FromBSSID != "3c:37:86:5e:aa:01" || r.ToBSSID != "3c:37:86:5e:aa:02") {
				t.Errorf("roam = %+v", r)
			}
		})
	}
}

func TestRoamStorms(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	roams := func(ifc string, every time.Duration, n int) []*Event {
		var out []*Event
		for i := range n {
			from, to := "3c:37:86:5e:aa:01", "3c:37:86:5e:aa:02"
			if i%2 == 1 {
				from, to = to, from
			}
			out = append(out, &Event{Kind: KindWiFiRoam, Start: t0.Add(time.Duration(i) * every), Roam: &Roam{Interface: ifc, FromBSSID: from, ToBSSID: to}})
		}
		return out
	}
	tests := []struct {
		name   string
		events []*Event
		want   string
	}{
		{"four roams in 90 s: a storm", roams("wlan0", 30*time.Second, 4), "wlan0 roamed 4 times"},
		{"six flaps, the densest four counted with the rest", roams("wlan0", 10*time.Second, 6), "wlan0 roamed 6 times"},
		{"three roams: walking past access points", roams("wlan0", 20*time.Second, 3), ""},
		{"a roam a minute for ten minutes: walking", roams("wlan0", time.Minute, 10), ""},
		{"two interfaces are counted apart", append(roams("wlan0", 10*time.Second, 2), roams("wlan1", 10*time.Second, 2)...), ""},
		{"other events do not count", []*Event{{Kind: KindWiFiSignal, Start: t0}, {Kind: KindLinkDown, Start: t0}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(roamStorms(tt.events), " ")
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if tt.want != "" && !strings.Contains(got, "3c:37:86:5e:aa:01, 3c:37:86:5e:aa:02") {
				t.Errorf("%q does not name the access points flapped between", got)
			}
		})
	}
}
