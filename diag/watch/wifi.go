package watch

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag/internal/wlan"
)

// WiFiAP is the access point a Wi-Fi interface is associated with.
type WiFiAP struct {
	SSID        string
	BSSID       string
	SignalDBm   int
	SignalKnown bool
}

// Roam is a Wi-Fi interface moving from one access point to another of
// the same network, as an event carries it.
type Roam struct {
	Interface     string `json:"interface"`
	SSID          string `json:"ssid,omitempty"`
	FromBSSID     string `json:"from_bssid"`
	ToBSSID       string `json:"to_bssid"`
	FromSignalDBm *int   `json:"from_signal_dbm,omitempty"`
	ToSignalDBm   *int   `json:"to_signal_dbm,omitempty"`
}

// Wi-Fi change kinds: a roam keeps the network (SSID) and changes the
// access point; a network change joins another SSID.
const (
	KindWiFiRoam    = "wifi-roam"
	KindWiFiNetwork = "wifi-network-change"
)

// wifiReadTimeout bounds one nl80211 reading: it runs in the watch's
// loop every watch.system, and the kernel answers in milliseconds; a
// stuck driver must not stall the sampling.
const wifiReadTimeout = 500 * time.Millisecond

// A roaming storm: at walking speed a client changes access point once
// per cell, tens of seconds apart; four roams or more within two minutes
// is a client flapping between access points of similar signal
// (overlapping cells, aggressive roaming thresholds, a failing AP).
const (
	roamStormCount  = 4
	roamStormWindow = 2 * time.Minute
)

// ReadWiFiAPs reads each associated Wi-Fi interface's access point
// through nl80211 (Linux); nil where nl80211 cannot be asked (other OSes:
// no roam events there).
func ReadWiFiAPs() map[string]WiFiAP {
	ctx, cancel := context.WithTimeout(context.Background(), wifiReadTimeout)
	defer cancel()
	links, err := wlan.Read(ctx)
	if err != nil {
		return nil
	}
	out := map[string]WiFiAP{}
	for _, l := range links {
		if l.Connected && l.BSSID != "" {
			out[l.Interface] = WiFiAP{SSID: l.SSID, BSSID: l.BSSID, SignalDBm: l.SignalDBm, SignalKnown: l.SignalKnown}
		}
	}
	return out
}

// SignalsOf is the signal per interface of the access points that
// report one, for the wifi-signal events where /proc/net/wireless is
// not there.
func SignalsOf(aps map[string]WiFiAP) map[string]float64 {
	var out map[string]float64
	for n, ap := range aps {
		if ap.SignalKnown {
			if out == nil {
				out = map[string]float64{}
			}
			out[n] = float64(ap.SignalDBm)
		}
	}
	return out
}

// diffWiFi lists roams and network changes between two readings. An
// interface that (dis)associates is left to the link events.
func diffWiFi(a, b map[string]WiFiAP) []change {
	names := make([]string, 0, len(b))
	for n := range b {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []change
	for _, n := range names {
		old, ok := a[n]
		cur := b[n]
		if !ok || old.BSSID == cur.BSSID {
			continue
		}
		if old.SSID != cur.SSID {
			out = append(out, change{kind: KindWiFiNetwork, target: n, ssids: []string{old.SSID, cur.SSID},
				detail: fmt.Sprintf("%s left Wi-Fi network %q (%s) for %q (%s)", n, old.SSID, old.BSSID, cur.SSID, cur.BSSID)})
			continue
		}
		r := &Roam{Interface: n, SSID: cur.SSID, FromBSSID: old.BSSID, ToBSSID: cur.BSSID}
		if old.SignalKnown {
			r.FromSignalDBm = &old.SignalDBm
		}
		if cur.SignalKnown {
			r.ToSignalDBm = &cur.SignalDBm
		}
		out = append(out, change{kind: KindWiFiRoam, target: n, roam: r, ssids: []string{cur.SSID},
			detail: fmt.Sprintf("%s roamed on %q from %s%s to %s%s", n, cur.SSID, old.BSSID, dbm(r.FromSignalDBm), cur.BSSID, dbm(r.ToSignalDBm))})
	}
	return out
}

func dbm(v *int) string {
	if v == nil {
		return ""
	}
	return " (" + strconv.Itoa(*v) + " dBm)"
}

// roamStorms finds, per interface, the densest run of roams: roamStormCount
// or more within roamStormWindow is a roaming storm, said in one sentence
// each (the access points it flapped between, when).
func roamStorms(events []*Event) []string {
	byIf := map[string][]*Event{}
	for _, e := range events {
		if e.Kind == KindWiFiRoam && e.Roam != nil {
			byIf[e.Roam.Interface] = append(byIf[e.Roam.Interface], e)
		}
	}
	names := make([]string, 0, len(byIf))
	for n := range byIf {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		evs := byIf[n]
		sort.Slice(evs, func(i, j int) bool { return evs[i].Start.Before(evs[j].Start) })
		bestI, bestJ := 0, -1
		for i, j := 0, 0; j < len(evs); j++ {
			for evs[j].Start.Sub(evs[i].Start) > roamStormWindow {
				i++
			}
			if j-i > bestJ-bestI {
				bestI, bestJ = i, j
			}
		}
		if bestJ-bestI+1 < roamStormCount {
			continue
		}
		var aps []string
		for _, e := range evs[bestI : bestJ+1] {
			for _, b := range []string{e.Roam.FromBSSID, e.Roam.ToBSSID} {
				if !slices.Contains(aps, b) {
					aps = append(aps, b)
				}
			}
		}
		first, last := evs[bestI].Start, evs[bestJ].Start
		out = append(out, fmt.Sprintf("Wi-Fi roaming storm: %s roamed %d times between %s and %s (%s) among %s: the client flaps between access points of similar signal.",
			n, bestJ-bestI+1, first.Local().Format("15:04:05"), last.Local().Format("15:04:05"), last.Sub(first).Round(time.Second), strings.Join(aps, ", ")))
	}
	return out
}
